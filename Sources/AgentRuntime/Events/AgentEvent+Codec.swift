import Foundation
import Journal

extension AgentEvent {
    /// The event as a `NewEvent` to append: its type string, schema version and JSON payload (sorted keys).
    /// - Throws: ``AgentEventError`` (`unencodable`) when the payload holds a value JSON cannot express.
    public func newEvent(_ metadata: EventMetadata) throws -> NewEvent {
        NewEvent(
            eventID: metadata.eventID, type: type.rawValue, schemaVersion: type.schemaVersion,
            userID: metadata.userID, threadID: metadata.threadID, runID: metadata.runID,
            connectionID: metadata.connectionID, causationSeq: metadata.causationSeq,
            correlationID: metadata.correlationID, payload: try payloadJSON())
    }

    /// The payload as compact JSON text with sorted keys.
    /// - Throws: ``AgentEventError`` (`unencodable`).
    public func payloadJSON() throws -> String {
        if let tree = payloadTree {
            // What JSONEncoder refuses, refused the same way (a value built in code may hold NaN or infinity).
            guard tree.isFinite else {
                throw AgentEventError(code: .unencodable, message: "the \(type.rawValue) payload cannot be encoded as JSON")
            }
            return tree.jsonText
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let data: Data
            switch self {
            case .userMessage(let payload): data = try encoder.encode(payload)
            case .messageReceived(let payload): data = try encoder.encode(payload)
            case .agentStarted(let payload): data = try encoder.encode(payload)
            case .agentThinking(let payload): data = try encoder.encode(payload)
            case .toolExecuting(let payload): data = try encoder.encode(payload)
            case .toolCompleted(let payload): data = try encoder.encode(payload)
            case .agentCompleted(let payload): data = try encoder.encode(payload)
            case .agentError(let payload): data = try encoder.encode(payload)
            case .runCompleted(let payload): data = try encoder.encode(payload)
            case .runFailed(let payload): data = try encoder.encode(payload)
            case .runCancelled(let payload): data = try encoder.encode(payload)
            case .agentResponseDelta(let payload): data = try encoder.encode(payload)
            case .agentResponseReset(let payload): data = try encoder.encode(payload)
            case .llmRequest(let payload): data = try encoder.encode(payload)
            case .llmResponse(let payload): data = try encoder.encode(payload)
            case .llmFailed(let payload): data = try encoder.encode(payload)
            case .runRecovery(let payload): data = try encoder.encode(payload)
            case .connectionOpened(let payload): data = try encoder.encode(payload)
            case .connectionClosed(let payload): data = try encoder.encode(payload)
            case .inputRejected(let payload): data = try encoder.encode(payload)
            case .userSignedUp(let payload): data = try encoder.encode(payload)
            }
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw AgentEventError(code: .unencodable, message: "the \(type.rawValue) payload cannot be encoded as JSON")
        }
    }

    /// The payloads that are mostly a `JSONValue` (tool parameters and results, the run state), as a `JSONValue`
    /// written by ``JSONValue/jsonText`` — the same text, byte for byte, as `JSONEncoder`'s with sorted keys (the
    /// keys are the payloads' own `CodingKeys`), without the encoder's generic walk of every value (the largest
    /// cost of `bench load` in our code). Nil for the other payloads.
    private var payloadTree: JSONValue? {
        switch self {
        case .toolExecuting(let payload):
            typealias Key = ToolExecuting.CodingKeys
            return .object([
                Key.agentName.rawValue: .string(payload.agentName), Key.toolName.rawValue: .string(payload.toolName),
                Key.parameters.rawValue: payload.parameters, Key.executionID.rawValue: .string(payload.executionID),
            ])
        case .toolCompleted(let payload):
            typealias Key = ToolCompleted.CodingKeys
            return .object([
                Key.agentName.rawValue: .string(payload.agentName), Key.toolName.rawValue: .string(payload.toolName),
                Key.executionID.rawValue: .string(payload.executionID), Key.status.rawValue: .string(payload.status.rawValue),
                Key.results.rawValue: payload.results, Key.durationMs.rawValue: .number(Double(payload.durationMs)),
            ])
        case .agentCompleted(let payload):
            typealias Key = AgentCompleted.CodingKeys
            var members: [String: JSONValue] = [
                Key.agentName.rawValue: .string(payload.agentName), Key.status.rawValue: .string(payload.status.rawValue),
                Key.finalResponse.rawValue: payload.finalResponse.map(JSONValue.string) ?? .null,
                Key.durationMs.rawValue: .number(Double(payload.durationMs)),
            ]
            if let state = payload.state { members[Key.state.rawValue] = state }
            return .object(members)
        default:
            return nil
        }
    }

    /// Decodes a recorded event, upcasting payloads written under an older schema version first.
    /// - Throws: ``AgentEventError``: `unknownType` for a type string this code does not know (never a crash),
    ///   `unsupportedSchemaVersion`, `invalidPayload`.
    public init(recorded: RecordedEvent) throws {
        try self.init(recorded: recorded, upcasters: .standard)
    }

    /// Decodes a recorded event, upcasting its payload with `upcasters` when it was written under an older schema
    /// version (``EventUpcasters``).
    /// - Throws: ``AgentEventError``: `unknownType`, `unsupportedSchemaVersion`, `invalidPayload`.
    public init(recorded: RecordedEvent, upcasters: EventUpcasters) throws {
        guard let type = EventType(rawValue: recorded.type) else {
            throw AgentEventError(
                code: .unknownType, message: "event \(recorded.seq) has the unknown type \(recorded.type)",
                seq: recorded.seq)
        }
        let payload = try upcasters.upcast(
            type: type, payload: Data(recorded.payload.utf8), from: recorded.schemaVersion, seq: recorded.seq)
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_: T.Type) throws -> T {
            do {
                return try decoder.decode(T.self, from: payload)
            } catch {
                throw AgentEventError(
                    code: .invalidPayload,
                    message: "event \(recorded.seq) (\(type.rawValue)) has a payload that does not decode",
                    seq: recorded.seq)
            }
        }
        switch type {
        case .userMessage: self = .userMessage(try decode(UserMessage.self))
        case .messageReceived: self = .messageReceived(try decode(MessageReceived.self))
        case .agentStarted: self = .agentStarted(try decode(AgentStarted.self))
        case .agentThinking: self = .agentThinking(try decode(AgentThinking.self))
        case .toolExecuting: self = .toolExecuting(try decode(ToolExecuting.self))
        case .toolCompleted: self = .toolCompleted(try decode(ToolCompleted.self))
        case .agentCompleted: self = .agentCompleted(try decode(AgentCompleted.self))
        case .agentError: self = .agentError(try decode(AgentErrorReported.self))
        case .runCompleted: self = .runCompleted(try decode(RunCompleted.self))
        case .runFailed: self = .runFailed(try decode(RunFailed.self))
        case .runCancelled: self = .runCancelled(try decode(RunCancelled.self))
        case .agentResponseDelta: self = .agentResponseDelta(try decode(AgentResponseDelta.self))
        case .agentResponseReset: self = .agentResponseReset(try decode(AgentResponseReset.self))
        case .llmRequest: self = .llmRequest(try decode(LLMRequested.self))
        case .llmResponse: self = .llmResponse(try decode(LLMResponded.self))
        case .llmFailed: self = .llmFailed(try decode(LLMFailed.self))
        case .runRecovery: self = .runRecovery(try decode(RunRecovery.self))
        case .connectionOpened: self = .connectionOpened(try decode(ConnectionOpened.self))
        case .connectionClosed: self = .connectionClosed(try decode(ConnectionClosed.self))
        case .inputRejected: self = .inputRejected(try decode(InputRejected.self))
        case .userSignedUp: self = .userSignedUp(try decode(UserSignedUp.self))
        }
    }
}

extension JSONValue {
    /// False when a number anywhere in the value is NaN or infinite (JSON cannot hold it).
    fileprivate var isFinite: Bool {
        switch self {
        case .number(let value): value.isFinite
        case .array(let elements): elements.allSatisfy(\.isFinite)
        case .object(let members): members.values.allSatisfy(\.isFinite)
        case .null, .bool, .string: true
        }
    }
}

