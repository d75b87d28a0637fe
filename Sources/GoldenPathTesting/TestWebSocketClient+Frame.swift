import AgentRuntime
import Foundation
import GoldenPathClient

extension TestWebSocketClient {
    /// One frame the server sent: its text, its JSON, and the typed frame.
    public struct Frame: Sendable, Hashable, CustomStringConvertible {
        /// The frame as received.
        public let text: String
        /// The frame parsed (`.null` when it was not JSON).
        public let json: JSONValue
        /// The frame in the protocol's vocabulary (``ServerFrame/unknown(_:)`` when it was not a JSON object).
        public let serverFrame: ServerFrame

        /// Parses a received text frame.
        public init(text: String) {
            let frame = (try? ServerFrame(parsing: text)) ?? .unknown(FrameObject(fields: [:], text: text))
            self.init(frame, text: text)
        }

        /// A frame a ``GoldenPathConnection`` received.
        init(_ frame: ServerFrame) {
            self.init(frame, text: frame.text)
        }

        private init(_ frame: ServerFrame, text: String) {
            self.text = text
            self.serverFrame = frame
            if case .unknown(let object) = frame, object.fields.isEmpty {
                // Not a JSON object (or an empty one): keep whatever JSON it is.
                self.json = (try? JSONValue(parsing: text)) ?? .null
            } else {
                self.json = JSONValue(frame.object.fields)
            }
        }

        /// `type`.
        public var type: String? { serverFrame.type }
        /// `seq` (journal-event frames only).
        public var seq: Int64? { serverFrame.seq }
        /// `run_id`.
        public var runID: String? { serverFrame.runID }
        /// `thread_id`.
        public var threadID: String? { serverFrame.threadID }
        /// `user_id`.
        public var userID: String? { serverFrame.userID }
        /// `agent_name`.
        public var agentName: String? { serverFrame.agentName }
        /// `tool_name`.
        public var toolName: String? { serverFrame.toolName }
        /// `code` (error frames).
        public var code: String? { json["code"]?.stringValue }
        /// A string field.
        public subscript(key: String) -> JSONValue? { json[key] }

        /// The frame's text.
        public var description: String { text }
    }

    /// How the client presents its token.
    public enum TokenTransport: Sendable, Hashable {
        /// `Authorization: Bearer <token>`.
        case header
        /// The `jwt.<token>` subprotocol.
        case subprotocol

        /// The connection's equivalent.
        var connectionTransport: GoldenPathConnection.TokenTransport {
            switch self {
            case .header: .header
            case .subprotocol: .subprotocol
            }
        }
    }

    /// Why an await failed.
    public struct WaitError: Error, Sendable, CustomStringConvertible {
        /// What was awaited and what had arrived.
        public let description: String
    }
}

extension JSONValue {
    /// The same JSON in the agent runtime's value type.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .number(let number): self = .number(number)
        case .string(let string): self = .string(string)
        case .array(let array): self = .array(array.map(JSONValue.init))
        case .object(let object): self = JSONValue(object)
        }
    }

    /// A JSON object in the agent runtime's value type.
    init(_ fields: [String: JSONValue]) {
        self = .object(fields.mapValues(JSONValue.init))
    }
}
