/// The record that the frame carrying event `seq` was written to a connection of `recipientUserID`.
public struct Delivery: Sendable, Hashable {
    /// The sequence number of the event the frame carried.
    public var seq: Int64
    /// The connection the frame was written to.
    public var connectionID: String
    /// The authenticated user of that connection.
    public var recipientUserID: String
    /// The frame's `type`.
    public var frameType: String

    /// Creates a delivery record.
    public init(seq: Int64, connectionID: String, recipientUserID: String, frameType: String) {
        self.seq = seq
        self.connectionID = connectionID
        self.recipientUserID = recipientUserID
        self.frameType = frameType
    }
}
