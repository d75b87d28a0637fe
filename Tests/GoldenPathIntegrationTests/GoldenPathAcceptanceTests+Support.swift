import AgentRuntime
import Foundation
import GRDB
import GoldenPathTesting
import Journal
import StandardPipeline
import Synchronization
import Testing

/// An LLM that holds every call until the test opens its ``Gate`` (or the call is cancelled), then answers as
/// ``ScriptedLLM`` does — for observing a run mid-flight without sleeping.
final class GatedLLM: LLMClient {
    private let inner: ScriptedLLM
    private let gate = Gate()

    init(behavior: ScriptedLLM.Behavior = .normal) {
        inner = ScriptedLLM(behavior: behavior)
    }

    var modelName: String { inner.modelName }

    func open() { gate.open() }

    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await gate.wait()
        return try await inner.complete(request)
    }
}

/// The SPEC §5 paths: the sub-agents after triage, by data sufficiency.
let specPaths: [[String]] = [
    ["triage", "data", "optimization", "actions", "reporting"],
    ["triage", "data_helper", "data", "reporting"],
    ["triage", "data_helper", "reporting"],
]

/// (type, agent, tool, seq) of a frame or an event, for comparing what a client saw with the journal.
struct FrameKey: Hashable, CustomStringConvertible {
    var type: String
    var agent: String?
    var tool: String?
    var seq: Int64?

    init(_ frame: TestWebSocketClient.Frame) {
        type = frame.type ?? "?"
        agent = frame.agentName
        tool = frame.toolName
        seq = frame.seq
    }

    init(_ event: RecordedEvent) {
        type = event.type
        let payload = (try? JSONValue(parsing: event.payload)) ?? .null
        agent = payload["agent_name"]?.stringValue
        tool = payload["tool_name"]?.stringValue
        seq = event.seq
    }

    var description: String { "\(seq.map(String.init) ?? "-") \(type) \(agent ?? "") \(tool ?? "")" }
}

/// Checks a run's frames (without `message_received`) against the golden path of SPEC §5; returns the
/// sub-agent order.
@discardableResult
func expectGoldenPath(_ frames: [TestWebSocketClient.Frame], sourceLocation: SourceLocation = #_sourceLocation)
    -> [String]
{
    let run = frames.filter { $0.type != "message_received" }
    let keys = run.map(FrameKey.init)
    #expect(keys.first?.type == "agent_started" && keys.first?.agent == "supervisor", sourceLocation: sourceLocation)
    #expect(
        keys.last?.type == "run_completed", "last frame \(keys.last?.description ?? "none")",
        sourceLocation: sourceLocation)
    let seqs = run.compactMap(\.seq)
    #expect(
        seqs.count == run.count && seqs == seqs.sorted() && Set(seqs).count == seqs.count,
        "seq not strictly increasing: \(seqs)", sourceLocation: sourceLocation)
    if keys.count >= 2 {
        #expect(
            keys[keys.count - 2].type == "agent_completed" && keys[keys.count - 2].agent == "supervisor",
            sourceLocation: sourceLocation)
    }
    var order: [String] = []
    var open: String?
    var thinking = 0
    var tools: [String: Bool] = [:]
    let firstSub = keys.firstIndex { $0.type == "agent_started" && $0.agent != "supervisor" } ?? keys.count
    #expect(
        keys[..<firstSub].contains { $0.type == "agent_thinking" && $0.agent == "supervisor" },
        "no supervisor agent_thinking before the first sub-agent", sourceLocation: sourceLocation)
    for frame in run where frame.agentName != "supervisor" && frame.agentName != nil {
        switch frame.type {
        case "agent_started":
            #expect(
                open == nil, "\(frame.agentName ?? "") started inside \(open ?? "")", sourceLocation: sourceLocation)
            open = frame.agentName
            thinking = 0
            tools = [:]
            order.append(frame.agentName ?? "")
        case "agent_thinking":
            thinking += 1
        case "tool_executing":
            tools[frame["execution_id"]?.stringValue ?? ""] = true
        case "tool_completed":
            #expect(tools[frame["execution_id"]?.stringValue ?? ""] == true, sourceLocation: sourceLocation)
            tools[frame["execution_id"]?.stringValue ?? ""] = false
        case "agent_completed":
            #expect(thinking >= 1, "\(open ?? "") completed without thinking", sourceLocation: sourceLocation)
            #expect(!tools.values.contains(true), sourceLocation: sourceLocation)
            open = nil
        default:
            break
        }
        #expect(frame.agentName == open || frame.type == "agent_completed", sourceLocation: sourceLocation)
    }
    #expect(specPaths.contains(order), "sub-agent order \(order)", sourceLocation: sourceLocation)
    return order
}

/// The journal's frame events of one run, in order.
func journalFrames(_ journal: EventJournal, runID: String) async throws -> [RecordedEvent] {
    try await journal.events(filter: .run(runID)).filter { AgentEvent.frameTypes.contains($0.type) }
}

/// One integer from SQL.
func count(_ journal: EventJournal, _ sql: String, _ arguments: StatementArguments = []) async throws -> Int {
    try await journal.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? -1 }
}

/// Sends a user message and waits for its `message_received`; returns the run id.
func sendMessage(
    _ client: TestWebSocketClient, content: String, clientMessageID: String = UUID().uuidString,
    threadID: String? = nil
) async throws -> String {
    var message: [String: any Sendable] = [
        "type": "user_message", "content": content, "client_message_id": clientMessageID,
    ]
    if let threadID { message["thread_id"] = threadID }
    let start = client.frames.count
    try await client.send(message)
    let received = try await client.awaitFrame(from: start, "message_received of \(clientMessageID)") {
        $0.type == "message_received" && $0["client_message_id"]?.stringValue == clientMessageID
    }
    return try #require(received.runID)
}

/// A JWT with `alg: none` for a user (the server must refuse it).
func unsignedToken(userID: String) -> String {
    func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    let expiry = Int(Date().timeIntervalSince1970) + 3600
    return encode(#"{"alg":"none","typ":"JWT"}"#) + "." + encode(#"{"sub":"\#(userID)","exp":\#(expiry),"iat":0}"#)
        + "."
}

/// Waits (on a journal subscription, never by sleeping) for the first event that passes `filter` and
/// `predicate`; fails after `timeout`.
@discardableResult
func awaitEvent(
    _ journal: EventJournal, filter: EventFilter, timeout: Duration = .seconds(30),
    where predicate: @escaping @Sendable (RecordedEvent) -> Bool
) async throws -> RecordedEvent {
    try await withThrowingTaskGroup(of: RecordedEvent?.self) { group in
        group.addTask {
            for try await event in journal.subscribe(filter: filter) where predicate(event) { return event }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)  // a deadline for a failing test, never a wait for a result
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        return try #require(first, "no matching event within \(timeout)")
    }
}
