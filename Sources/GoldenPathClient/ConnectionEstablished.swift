/// `connection_established {connection_id, user_id, head_seq}`: the server authenticated the connection.
public struct ConnectionEstablished: Sendable, Hashable {
    /// The connection's id (as journaled in `connection_opened`).
    public let connectionID: String
    /// The authenticated user.
    public let userID: String
    /// The journal's head when the connection opened: frames after it arrive live.
    public let headSeq: Int64
    /// The whole frame.
    public let object: FrameObject

    /// Reads the fields; nil when one is missing or malformed.
    init?(_ object: FrameObject) {
        guard let connectionID = object.string("connection_id"), let userID = object.string("user_id"),
            let headSeq = object.int64("head_seq")
        else { return nil }
        self.connectionID = connectionID
        self.userID = userID
        self.headSeq = headSeq
        self.object = object
    }
}
