import AgentRuntime
import Foundation
import Testing

/// `goldenpath bench load --stream` end to end (the built executable, a tiny load): every run gives a first-delta
/// time, and a wider delta window journals fewer deltas for the same answers.
@Suite("bench load --stream", .serialized, .timeLimit(.minutes(5)))
struct BenchLoadStreamingTests {
    @Test("one report per window, each with a first-delta time per run; fewer deltas at a wider window")
    func streamingLoad() async throws {
        let executable = try #require(CrashRecoveryTests.executable, "build the goldenpath executable first")
        let (status, output) = try await CrashRecoveryTests.runCommand(
            executable,
            [
                "bench", "load", "--users", "2", "--messages", "2", "--durability", "normal", "--stream",
                "--stream-pace-ms", "2", "--delta-window-ms", "0", "--delta-window-ms", "200", "--json",
            ])
        #expect(status == 0, "\(output)")
        let reports = try output.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
            try JSONValue(parsing: String($0))
        }
        #expect(reports.map { $0["delta_window_ms"]?.intValue } == [0, 200])
        for report in reports {
            #expect(report["completed"]?.intValue == 4, "\(report)")
            #expect(report["first_delta_samples"]?.intValue == 4, "\(report)")
            #expect((report["first_delta_p99_ms"]?.doubleValue ?? -1) >= 0, "\(report)")
            #expect((report["journal_bytes_per_run"]?.doubleValue ?? 0) > 0, "\(report)")
        }
        let deltas = reports.compactMap { $0["deltas_per_run"]?.doubleValue }
        #expect(deltas.count == 2 && deltas[0] > deltas[1] && deltas[1] >= 1, "\(deltas)")
    }
}
