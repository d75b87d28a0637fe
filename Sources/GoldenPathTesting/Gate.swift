import AgentRuntime

/// A one-way gate for holding work mid-flight without sleeping: every ``wait()`` suspends until ``open()`` is
/// called (or the waiting task is cancelled); once open, it stays open.
///
/// ```swift
/// let gate = Gate()
/// // in a tool or model stand-in:  try await gate.wait()
/// // in the test, once it has observed what it needs:  gate.open()
/// ```
public final class Gate: Sendable {
    private let latch = Latch()

    /// Creates a closed gate.
    public init() {}

    /// Whether ``open()`` has been called.
    public var isOpen: Bool { latch.isOpen }

    /// Opens the gate: every waiter goes on, and later ``wait()`` calls return at once.
    public func open() { latch.open() }

    /// Waits until the gate is open.
    /// - Throws: `CancellationError` when the waiting task is cancelled first.
    public func wait() async throws {
        await latch.wait()
        try Task.checkCancellation()
    }
}
