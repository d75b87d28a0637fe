/// `thread_history {thread_id, messages[]}`: the answer to `get_thread_history`.
public struct ThreadHistory: Sendable, Hashable {
    /// The thread.
    public let threadID: String
    /// The thread's messages, oldest first, as the server lists them.
    public let messages: [JSONValue]
    /// The whole frame.
    public let object: FrameObject

    /// Reads the fields; nil when one is missing or malformed.
    init?(_ object: FrameObject) {
        guard let threadID = object.string("thread_id"), let messages = object["messages"]?.arrayValue else {
            return nil
        }
        self.threadID = threadID
        self.messages = messages
        self.object = object
    }
}
