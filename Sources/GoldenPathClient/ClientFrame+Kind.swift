extension ClientFrame {
    /// The type of a client frame. This enum is the one place they (and their aliases) are spelled.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// `user_message` (also accepted as `chat_message` and `start_agent`).
        case userMessage = "user_message"
        /// `stop_agent`.
        case stopAgent = "stop_agent"
        /// `resume`.
        case resume
        /// `get_thread_history`.
        case getThreadHistory = "get_thread_history"
        /// `ping`.
        case ping

        /// The other names the server accepts for a kind.
        public var aliases: [String] {
            switch self {
            case .userMessage: ["chat_message", "start_agent"]
            case .stopAgent, .resume, .getThreadHistory, .ping: []
            }
        }

        /// The kind a `type` string names, by its name or an alias; nil for anything else (exact spelling only).
        public init?(named type: String) {
            if let kind = Kind(rawValue: type) {
                self = kind
            } else if let kind = Kind.byAlias[type] {
                self = kind
            } else {
                return nil
            }
        }

        private static let byAlias: [String: Kind] = Dictionary(
            allCases.flatMap { kind in kind.aliases.map { ($0, kind) } }, uniquingKeysWith: { first, _ in first })
    }
}
