extension GoldenPathConnection {
    /// The frames of a connection, in the order the server sent them; the sequence ends when the connection has
    /// closed and every frame was read, and throws the client's error when the connection failed.
    ///
    /// Every iterator reads from the connection's one queue: a frame one of them (or a helper) has read is not
    /// seen by another.
    public struct Frames: AsyncSequence, Sendable {
        /// A frame.
        public typealias Element = ServerFrame
        /// The client's error, when the connection fails.
        public typealias Failure = any Error

        let connection: GoldenPathConnection

        /// An iterator over the connection's unread frames.
        public func makeAsyncIterator() -> Iterator { Iterator(connection: connection) }

        /// Reads the connection's next frame on each call.
        public struct Iterator: AsyncIteratorProtocol {
            let connection: GoldenPathConnection

            /// The next frame; nil once the connection has closed and every frame was read.
            /// - Throws: the client's error when the connection failed; `CancellationError`.
            public mutating func next() async throws -> ServerFrame? {
                try await connection.next()
            }
        }
    }

    /// The frames not read yet, then every frame as it arrives, until the connection ends.
    public var frames: Frames { Frames(connection: self) }

    /// The next unread frame, waiting for one; nil once the connection has closed and every frame was read.
    /// - Throws: the client's error when the connection failed (once every frame received was read);
    ///   `CancellationError`.
    public func next() async throws -> ServerFrame? {
        try await core.next()
    }
}
