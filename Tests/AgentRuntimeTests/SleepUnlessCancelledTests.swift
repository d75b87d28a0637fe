import AgentRuntime
import StandardPipeline
import Testing

@Suite("sleepUnlessCancelled")
struct SleepUnlessCancelledTests {
    @Test("the whole duration passes: true, not before the duration")
    func elapses() async {
        let clock = ContinuousClock()
        let start = clock.now
        let elapsed = await sleepUnlessCancelled(for: .milliseconds(30))
        #expect(elapsed)
        #expect(clock.now - start >= .milliseconds(30))
    }

    @Test("cancelled while waiting: false at once, long before the deadline, without throwing")
    func cancelled() async {
        let clock = ContinuousClock()
        let start = clock.now
        let wait = Task { await sleepUnlessCancelled(for: .seconds(3_600)) }
        wait.cancel()
        #expect(await wait.value == false)
        #expect(clock.now - start < .seconds(10))
    }

    @Test("cancelled from a racing task group, as time limits use it, many times over")
    func raced() async {
        for _ in 0..<200 {
            let winner = await withTaskGroup(of: String.self) { group in
                group.addTask { await sleepUnlessCancelled(for: .seconds(3_600)) ? "limit" : "cancelled" }
                group.addTask { "work" }
                let first = await group.next() ?? ""
                group.cancelAll()
                let second = await group.next() ?? ""
                return first + "," + second
            }
            #expect(winner == "work,cancelled")
        }
    }
}
