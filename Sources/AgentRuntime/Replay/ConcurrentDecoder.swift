import Dispatch
import Foundation
import Journal
import Synchronization

/// Decodes many recorded events on every core (decoding is independent per event), keeping their order.
enum ConcurrentDecoder {
    /// Below this many events, decoding stays on the calling thread.
    static let threshold = 512

    /// One result per event, in the events' order.
    static func decode(_ events: [RecordedEvent]) -> [Result<AgentEvent, AgentEventError>] {
        guard events.count >= threshold else { return events.map(decodeOne) }
        let chunkCount = min(events.count / 128, max(1, System.cores * 4))
        let chunkSize = (events.count + chunkCount - 1) / chunkCount
        let chunks = ChunkResults()
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            let end = min(start + chunkSize, events.count)
            guard start < end else { return }
            chunks.store(chunk, events[start..<end].map(decodeOne))
        }
        return chunks.joined(count: chunkCount)
    }

    private static func decodeOne(_ event: RecordedEvent) -> Result<AgentEvent, AgentEventError> {
        do {
            return .success(try AgentEvent(recorded: event))
        } catch let error as AgentEventError {
            return .failure(error)
        } catch {
            return .failure(AgentEventError(code: .invalidPayload, message: "\(error)", seq: event.seq))
        }
    }

    /// The chunks' results, guarded by a lock (each chunk stores once).
    private final class ChunkResults: Sendable {
        private let results = Mutex<[Int: [Result<AgentEvent, AgentEventError>]]>([:])

        func store(_ chunk: Int, _ values: [Result<AgentEvent, AgentEventError>]) {
            results.withLock { $0[chunk] = values }
        }

        func joined(count: Int) -> [Result<AgentEvent, AgentEventError>] {
            results.withLock { results in (0..<count).flatMap { results[$0] ?? [] } }
        }
    }

    private enum System {
        static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
    }
}
