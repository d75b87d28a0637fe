import AgentRuntime
import GoldenPathTesting
import Testing
import TripPlanner

/// Two users plan trips at the same time; nothing of one reaches the other.
@Suite("Trip planner: isolation", .timeLimit(.minutes(3)))
struct TripIsolationTests {
    @Test("two users' concurrent runs: no cross-user delivery or event, no canary leak, only own frames")
    func twoUsersStayApart() async throws {
        try await TripTests.withServer { server in
            let alice = try await Traveler.make(server, "alice")
            let bob = try await Traveler.make(server, "bob")
            let canaries = [alice.userID: TripTests.unique("cnryalice"), bob.userID: TripTests.unique("cnrybob")]
            async let aliceRun = alice.send(TripTests.request + " Reference \(canaries[alice.userID] ?? "").")
            async let bobRun = bob.send(TripTests.request + " Reference \(canaries[bob.userID] ?? "").")
            let (aliceRunID, bobRunID) = try await (aliceRun, bobRun)
            try await alice.client.awaitRunEnd(runID: aliceRunID)
            try await bob.client.awaitRunEnd(runID: bobRunID)

            let journal = JournalAssertions(server.journal)
            // Each canary is in its owner's events (the check below would find a leak)…
            for (user, runID) in [(alice.userID, aliceRunID), (bob.userID, bobRunID)] {
                let canary = try #require(canaries[user])
                #expect(try await journal.runEvents(runID).contains { $0.payload.contains(canary) })
            }
            // …and nowhere else: not in another user's events, deliveries or frames.
            #expect(try await journal.crossUserDeliveries().isEmpty)
            #expect(try await journal.crossUserEvents().isEmpty)
            let received = [alice.userID: alice.client.frames, bob.userID: bob.client.frames]
            #expect(try await journal.canaryLeaks(canaries: canaries, received: received).isEmpty)

            // Each client received only its own user's frames, and each of its run's frame events.
            for (traveler, runID) in [(alice, aliceRunID), (bob, bobRunID)] {
                let frames = traveler.client.frames
                #expect(frames.allSatisfy { $0.userID == nil || $0.userID == traveler.userID })
                #expect(frames.allSatisfy { $0.runID == nil || $0.runID == runID })
                #expect(
                    frames.filter { $0.runID == runID }.compactMap(\.seq)
                        == (try await journal.runEvents(runID, framesOnly: true)).map(\.seq))
                try await journal.expectDeliveries(connectionID: traveler.connectionID, received: frames)
            }
            try await alice.client.close()
            try await bob.client.close()
        }
    }
}
