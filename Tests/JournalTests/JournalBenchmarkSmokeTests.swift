import Foundation
import JournalBenchmarks
import Testing

/// The journal benchmark on a tiny workload: every phase runs, for both peers, and checks itself.
@Suite struct JournalBenchmarkSmokeTests {
    @Test func payloadsAreExactly200BytesWithKeysInOrder() throws {
        let workload = try Workload(users: 4, runsPerUser: 2)
        #expect(workload.eventCount == 96)
        #expect(workload.plantedLeaks == 1)
        let encoder = RunPayload.makeEncoder()
        for run in workload.runs {
            for event in run.events {
                let json = String(decoding: try encoder.encode(event.payload), as: UTF8.self)
                #expect(json.utf8.count == 200)
                #expect(json.hasPrefix(#"{"agent":""#))
                #expect(json.contains(#","run_id":"\#(run.runID)","seq":"#))
                #expect(json.contains(#""text":"\#(event.type) #"#))
                #expect(try JSONDecoder().decode(RunPayload.self, from: Data(json.utf8)) == event.payload)
            }
        }
        let leak = workload.runs[7].events[5].payload
        #expect(leak.userID == "user-000000")
        #expect(workload.runs[7].userID == "user-000003")
        #expect(Workload.stride(for: 2_000) == 7_919)
        #expect(Workload.stride(for: 7_919 * 2) == 7_921)
        #expect(Set(workload.readOrder) == Set(0..<8))
    }

    @Test func everyPhaseRunsForBothPeersAndChecksItself() async throws {
        var configuration = JournalBenchmarkConfiguration(users: 4, runsPerUser: 2)
        configuration.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("journal-bench-smoke-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: configuration.directory ?? "") }
        let lines = try await JournalBenchmark(configuration: configuration).run()

        // goldenpath: 6 phases + 2 FULL; raw-sqlite: 5 phases + 1 FULL.
        #expect(lines.count == 14)
        #expect(lines.filter { $0.peer == .goldenpath }.count == 8)
        #expect(lines.filter { $0.peer == .rawSQLite }.count == 6)
        #expect(lines.filter { $0.sync == .full }.count == 3)
        for line in lines {
            #expect(line.events == 96, "\(line.jsonLine)")
            #expect(line.seconds > 0)
        }
        let leaks = lines.filter { $0.phase == .leakQuery }
        #expect(leaks.count == 2)
        #expect(leaks.allSatisfy { $0.leaks == 1 })
        for line in lines where line.phase.rawValue.hasPrefix("append") {
            #expect((line.dbBytes ?? 0) > 96 * 200)
        }
        let summary = BenchmarkSummary(lines: lines)
        #expect(summary.comparisons.allSatisfy { $0.ratio != nil })
    }

    @Test func linesEncodeInTheDocumentedFormat() {
        let line = BenchmarkLine(
            peer: .rawSQLite, phase: .appendTxPerEvent, events: 24_000, seconds: 1.31, sync: .normal, dbBytes: 8_138_752)
        #expect(line.jsonLine == #"{"peer":"raw-sqlite","phase":"append_tx_per_event","events":24000,"seconds":1.31,"#
            + #""events_per_s":18320.6,"sync":"NORMAL","db_bytes":8138752}"#)
        let leak = BenchmarkLine(peer: .goldenpath, phase: .leakQuery, events: 10, seconds: 0.5, leaks: 40)
        #expect(leak.jsonLine == #"{"peer":"goldenpath","phase":"leak_query","events":10,"seconds":0.5,"#
            + #""events_per_s":20,"leaks":40}"#)
    }
}
