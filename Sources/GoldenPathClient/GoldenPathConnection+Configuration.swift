extension GoldenPathConnection {
    /// How the connection presents its token.
    public enum TokenTransport: Sendable, Hashable {
        /// `Authorization: Bearer <token>`.
        case header
        /// The `jwt.<token>` subprotocol (what browsers use; the server echoes it).
        case subprotocol
    }

    /// Limits and timeouts of a connection.
    public struct Configuration: Sendable {
        /// The largest WebSocket frame sent or received, in bytes.
        public var maxFrameSize: Int
        /// The largest message received (a message may span frames), in bytes.
        public var maxMessageSize: Int
        /// How long ``GoldenPathConnection/connect(url:token:transport:configuration:logger:)`` waits for the
        /// socket to open.
        public var connectTimeout: Duration
        /// How long ``GoldenPathConnection/close(timeout:)`` waits, by default, for the server to finish the close
        /// handshake before it drops the connection.
        public var closeTimeout: Duration

        /// A configuration; the defaults take the largest frames the server sends with room to spare.
        public init(
            maxFrameSize: Int = 1 << 22, maxMessageSize: Int = 1 << 24, connectTimeout: Duration = .seconds(30),
            closeTimeout: Duration = .seconds(30)
        ) {
            self.maxFrameSize = maxFrameSize
            self.maxMessageSize = maxMessageSize
            self.connectTimeout = connectTimeout
            self.closeTimeout = closeTimeout
        }
    }
}
