import AgentRuntime
import Foundation
import GoldenPathTesting
import Testing
import TripPlanner

/// `book_flight`'s `payment_token` reaches the tool and never the journal's files.
@Suite("Trip planner: secrets", .timeLimit(.minutes(3)))
struct TripSecretTests {
    /// How many times `needle` occurs in `haystack`.
    static func occurrences(of needle: Data, in haystack: Data) -> Int {
        var count = 0
        var start = haystack.startIndex
        while let found = haystack.range(of: needle, in: start..<haystack.endIndex) {
            count += 1
            start = found.upperBound
        }
        return count
    }

    @Test("the payment token is found 0 times in journal.sqlite, -wal and -shm after a booked run")
    func paymentTokenNeverJournaled() async throws {
        let secret = TripTests.unique("tok_secret")
        let recording = ArgumentRecordingTool(wrapping: TripTools.bookFlight)
        var agents = AgentsConfiguration()
        agents.tools = ToolRegistry([recording])
        try await TripTests.withServer(agents: agents, paymentToken: { _ in secret }) { server in
            let traveler = try await Traveler.make(server, "secret")
            let runID = try await traveler.send(TripTests.request)
            let frames = try await traveler.client.awaitRunEnd(runID: runID)
            #expect(frames.last?.type == "run_completed")

            // The booking used the secret: the tool was called with it and succeeded.
            #expect(recording.arguments.map { $0["payment_token"]?.stringValue } == [secret])
            let events = try await JournalAssertions(server.journal).runEvents(runID)
            let executing = try #require(
                events.first { $0.type == "tool_executing" && $0.payload.contains(#""tool_name":"book_flight""#) })
            #expect(try JSONValue(parsing: executing.payload)["parameters"]?["payment_token"] == "[REDACTED]")
            let completed = try #require(
                events.first { $0.type == "tool_completed" && $0.payload.contains(#""tool_name":"book_flight""#) })
            let reference = try #require(try JSONValue(parsing: completed.payload)["results"]?["reference"]?.stringValue)

            // The journal's bytes: the secret 0 times, while what was journaled is found (the search works).
            let paths = ["", "-wal", "-shm"].map { server.journalPath + $0 }
            var searched = Data()
            for path in paths where FileManager.default.fileExists(atPath: path) {
                searched.append(try Data(contentsOf: URL(fileURLWithPath: path)))
            }
            #expect(FileManager.default.fileExists(atPath: server.journalPath))
            #expect(Self.occurrences(of: Data(secret.utf8), in: searched) == 0)
            #expect(Self.occurrences(of: Data(reference.utf8), in: searched) > 0)
            #expect(Self.occurrences(of: Data("[REDACTED]".utf8), in: searched) > 0)
            // Nor did any frame carry it.
            #expect(!traveler.client.frames.contains { $0.text.contains(secret) })
            try await traveler.client.close()
        }
    }
}
