import AgentRuntime
import ChildProcessSupport
import Foundation
import Gateway
import GoldenPathClient
import GoldenPathTesting
import Journal
import Synchronization
import Testing

/// The real `goldenpath serve` process killed with SIGKILL while the model is streaming the report, then started
/// again on the same journal: start-up recovery resets the interrupted answer (`recovery`) and streams it anew, and
/// a client that resumes rebuilds exactly the `final_response` from the frames of both connections.
@Suite("Streaming crash recovery", .serialized, .timeLimit(.minutes(5)))
struct StreamingCrashTests {
    /// The report the stub model streams (the first time only its first words, then it holds the stream open).
    static let report = """
        You asked how to cut your cloud bill. The earlier steps found a cheaper option for your servers.

        Next steps:
        1. Review the recommended option.
        2. Carry out the planned actions.
        """

    /// The words the first report call streams before it holds the stream open.
    static let firstWords = ["You ", "asked ", "how ", "to "]

    /// How many report requests the stub has answered: the first is the one the kill interrupts.
    final class ReportCalls: Sendable {
        private let count = Atomic<Int>(0)

        /// Counts one more call; returns its number (1 for the first).
        func next() -> Int { count.add(1, ordering: .relaxed).newValue }
    }

    /// The tool-calling stub model of ``ServeWithModelTests``, except for the report (the request without tools):
    /// the first report call streams its first four words and then sends nothing until the client closes the
    /// connection (the killed process); every later one streams the whole report word by word.
    static func model(
        _ choices: ServeWithModelTests.Choices, reports: ReportCalls
    ) -> @Sendable (StubLLMServer.ReceivedRequest) -> StubLLMServer.Behaviour {
        let toolModel = ServeWithModelTests.model(choices)
        return { request in
            guard request.tools.isEmpty else { return toolModel(request) }
            guard reports.next() == 1 else { return .stream(StubLLMServer.StreamStep.answer(report)) }
            return .stream(
                [.write(StubLLMServer.SSE.role())] + StubLLMServer.StreamStep.tokens(firstWords)
                    + [.waitForClientClose])
        }
    }

    @Test("SIGKILL mid-answer, restart, resume: one terminal, a recovery reset, the rebuilt answer is the final one")
    func killedMidAnswer() async throws {
        let executable = try #require(CrashRecoveryTests.executable, "build the goldenpath executable first")
        let directory = try RecoveryDirectory()
        defer { directory.remove() }
        let secret = "stream-crash-\(UUID().uuidString)"
        let token = try await TokenService(secret: secret).issue(userID: "stream-crash-user").token
        let reports = ReportCalls()
        try await withStubLLMServer(
            defaultBehaviour: .decide(Self.model(ServeWithModelTests.Choices(), reports: reports))
        ) { stub in
            let environment = ["GOLDENPATH_LLM_URL": stub.baseURL, "GOLDENPATH_LLM_MODEL": "stub-model"]
            let first = try await CrashRecoveryTests.ServeProcess.start(
                executable: executable, path: directory.journalPath, secret: secret, extra: ["--llm", "openai"],
                environment: environment)
            let before = try await TestWebSocketClient.connect(port: first.port, token: token)
            try await before.awaitFrame("connection_established") { $0.type == "connection_established" }
            let runID = try await sendMessage(before, content: RecoveryMessages.sufficient)
            // Mid-answer: the report's first delta, and the second (what arrived in the first window), are on the
            // wire; the stub holds the rest of the stream back until the connection closes.
            let second = try await before.awaitFrame("the report's second delta") {
                $0.runID == runID && $0.type == "agent_response_delta" && $0.agentName == "reporting"
                    && $0["chunk_index"]?.intValue == 1
            }
            let interrupted = try #require(second["response_id"]?.stringValue)
            let lastSeen = before.frames.compactMap(\.seq).max() ?? 0
            #expect(try await first.kill(SIGKILL) == .signalled(SIGKILL))
            // The killed process's model stream was closed with it, mid-answer.
            let close = try await stub.nextClientClose()
            #expect(close.requestIndex == stub.requests.count - 1)
            try? await before.close()
            #expect(terminalFrames(before.frames, runID: runID).isEmpty, "the run ended before the kill")

            let restarted = try await CrashRecoveryTests.ServeProcess.start(
                executable: executable, path: directory.journalPath, secret: secret, extra: ["--llm", "openai"],
                environment: environment)
            let after = try await TestWebSocketClient.connect(port: restarted.port, token: token)
            try await after.awaitFrame("connection_established") { $0.type == "connection_established" }
            try await after.send(["type": "resume", "after_seq": Int(lastSeen)])
            _ = try await after.awaitRunEnd(runID: runID)
            try await after.close()
            #expect(try await restarted.kill(SIGTERM) == .exited(0))

            let seen = before.frames + after.frames
            let ends = terminalFrames(seen, runID: runID)
            #expect(ends.count == 1)
            let final = try #require(ends.first?["final_response"]?.stringValue, "\(ends)")
            #expect(ends.first?.type == "run_completed")
            #expect(final == Self.report.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(reports.next() == 3, "the report was asked for once per process")
            // The interrupted answer is reset for recovery, and the answer streams anew under another id.
            let resets = seen.filter { $0.runID == runID && $0.type == "agent_response_reset" }
            #expect(
                resets.map { [$0["response_id"]?.stringValue, $0["reason"]?.stringValue] }
                    == [[interrupted, "recovery"]])
            let resumedIDs = Set(
                after.frames.filter { $0.type == "agent_response_delta" && $0.agentName == "reporting" }
                    .compactMap { $0["response_id"]?.stringValue })
            #expect(resumedIDs.count == 1 && !resumedIDs.contains(interrupted), "\(resumedIDs)")
            // The answer rebuilt from everything this client saw, in order, on both connections.
            var answer = StreamedAnswer(runID: runID)
            for frame in seen { answer.apply(frame.serverFrame) }
            #expect(answer.hasEnded)
            #expect(answer.streamedText == final)
            #expect(answer.text == final)
            #expect(answer.responses.allSatisfy { $0.isComplete }, "\(answer.responses)")
            let cut = answer.responses.first { $0.id == interrupted }
            #expect(cut?.resetReason == "recovery")
            #expect(cut?.text == Self.firstWords.joined(), "the interrupted answer is what the stub streamed")
            // Nothing twice on a connection; the resumed connection got only what came after the last seq seen.
            for (name, client) in [("before", before), ("after", after)] {
                let seqs = client.frames.compactMap(\.seq)
                #expect(Set(seqs).count == seqs.count, "a frame delivered twice on \(name)")
            }
            #expect(after.frames.compactMap(\.seq).allSatisfy { $0 > lastSeen })

            let (status, output) = try await CrashRecoveryTests.runCommand(
                executable, ["verify", "--strict", "--db", directory.journalPath])
            #expect(status == 0, "verify --strict: \(output)")
        }
    }
}
