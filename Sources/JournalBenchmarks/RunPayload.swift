import Foundation

/// The payload of every workload event: the same struct, encoded and decoded with Foundation's JSON codec, by
/// both peers.
///
/// Foundation's `JSONEncoder` on Linux writes an object's keys in hash order (it varies from one process to the
/// next), so the encoder sorts them, as the Agents layer's codec does: `agent, run_id, seq, text, thread_id,
/// user_id`. The keys, values and the 200-byte size are the workload's; only the key order differs from it.
public struct RunPayload: Codable, Sendable, Hashable {
    /// The user the event names (the run's owner, except in the planted leaks).
    public var userID: String
    /// The run the event belongs to.
    public var runID: String
    /// The thread of the run.
    public var threadID: String
    /// The agent the event concerns (`""`, `supervisor` or `researcher`).
    public var agent: String
    /// The event's index in its run (0…11).
    public var seq: Int
    /// A description padded with filler so that the encoded payload is exactly 200 bytes.
    public var text: String

    private enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case runID = "run_id"
        case threadID = "thread_id"
        case agent
        case seq
        case text
    }

    /// Creates a payload.
    public init(userID: String, runID: String, threadID: String, agent: String, seq: Int, text: String) {
        self.userID = userID
        self.runID = runID
        self.threadID = threadID
        self.agent = agent
        self.seq = seq
        self.text = text
    }

    /// The encoder both peers use: compact, sorted keys, slashes unescaped.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
