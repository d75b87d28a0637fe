/// Who and what a piece of agent work is for. Immutable: every agent and tool gets a copy, never shared state.
public struct UserExecutionContext: Sendable, Hashable {
    /// The user who owns the run; every event of the run is owned by this user.
    public let userID: String
    /// The run's thread.
    public let threadID: String
    /// The run.
    public let runID: String
    /// The id of the request that started the run (the client message id when given, else the run id).
    public let requestID: String
    /// The steps from the run down to this context (`["supervisor", "triage"]`).
    public let path: [String]

    /// Creates a run's root context.
    public init(userID: String, threadID: String, runID: String, requestID: String) {
        self.init(userID: userID, threadID: threadID, runID: runID, requestID: requestID, path: [])
    }

    private init(userID: String, threadID: String, runID: String, requestID: String, path: [String]) {
        self.userID = userID
        self.threadID = threadID
        self.runID = runID
        self.requestID = requestID
        self.path = path
    }

    /// The context of a step inside this one: the same ids, one step deeper.
    public func child(step: String) -> UserExecutionContext {
        UserExecutionContext(
            userID: userID, threadID: threadID, runID: runID, requestID: requestID, path: path + [step])
    }
}
