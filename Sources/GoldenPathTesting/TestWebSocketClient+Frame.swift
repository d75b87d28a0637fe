import AgentRuntime
import Foundation

extension TestWebSocketClient {
    /// One frame the server sent: its text and its JSON.
    public struct Frame: Sendable, Hashable, CustomStringConvertible {
        /// The frame as received.
        public let text: String
        /// The frame parsed (`.null` when it was not JSON).
        public let json: JSONValue

        /// Parses a received text frame.
        public init(text: String) {
            self.text = text
            self.json = (try? JSONValue(parsing: text)) ?? .null
        }

        /// `type`.
        public var type: String? { json["type"]?.stringValue }
        /// `seq` (journal-event frames only).
        public var seq: Int64? { json["seq"]?.intValue.map(Int64.init) }
        /// `run_id`.
        public var runID: String? { json["run_id"]?.stringValue }
        /// `thread_id`.
        public var threadID: String? { json["thread_id"]?.stringValue }
        /// `user_id`.
        public var userID: String? { json["user_id"]?.stringValue }
        /// `agent_name`.
        public var agentName: String? { json["agent_name"]?.stringValue }
        /// `tool_name`.
        public var toolName: String? { json["tool_name"]?.stringValue }
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
    }

    /// Why an await failed.
    public struct WaitError: Error, Sendable, CustomStringConvertible {
        /// What was awaited and what had arrived.
        public let description: String
    }
}
