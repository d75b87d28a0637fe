import Synchronization

/// A load user's results, filled in by its WebSocket handler and read after it returns.
final class LoadResultBox: Sendable {
    private let state: Mutex<LoadUserResult>

    init(userID: String) {
        state = Mutex(LoadUserResult(userID: userID, messages: [], foreignFrames: 0))
    }

    func record(_ message: LoadUserResult.Message) { state.withLock { $0.messages.append(message) } }
    func foreign() { state.withLock { $0.foreignFrames += 1 } }
    var result: LoadUserResult { state.withLock { $0 } }
}
