import Foundation
import Journal
import Logging
import Testing

@testable import AgentRuntime
@testable import StandardPipeline

/// The deterministic tools, the scripted model, and the integrity checks of the Agents layer.
@Suite("Tools and scripted model", .timeLimit(.minutes(5)))
struct ToolsAndModelTests {
    @Test("figures with units and currencies decide data sufficiency")
    func quantities() {
        let found = QuantityScanner.quantities(in: "We pay $12,000 (or 11.5k EUR) for 40 servers at 35% load, 3 teams")
        #expect(found.map(\.text) == ["$12,000", "11.5k EUR", "40 servers", "35%"])
        #expect(found.map(\.value) == [12_000, 11_500, 40, 35])
        #expect(found.filter(\.isCurrency).map(\.unit) == ["USD", "EUR"])
        #expect(
            DataSufficiency(quantityCount: QuantityScanner.quantities(in: Messages.sufficient).count) == .sufficient)
        #expect(DataSufficiency(quantityCount: QuantityScanner.quantities(in: Messages.partial).count) == .partial)
        #expect(
            DataSufficiency(quantityCount: QuantityScanner.quantities(in: Messages.insufficient).count) == .insufficient
        )
        #expect(QuantityScanner.quantities(in: "version 2 of 3 things").isEmpty)
    }

    @Test("the scripted model quotes the request, lists findings and ends with next steps")
    func scriptedAnswer() async throws {
        let llm = ScriptedLLM()
        let request = LLMRequest(
            agentName: "reporting", purpose: "llm_report_generation",
            messages: [
                .init(role: "system", content: "Be brief."),
                .init(
                    role: "user", content: "Request: cut cost\nFindings:\n- data: figures $5\nMissing:\n- usage volume"),
            ])
        let response = try await llm.complete(request)
        #expect(response.model == "scripted-1")
        #expect(response.content.hasPrefix("You asked: \"cut cost\"."))
        #expect(response.content.contains("- data: figures $5"))
        #expect(response.content.contains("- usage volume"))
        #expect(response.content.contains("Next steps:\n1. Send the missing data: usage volume"))
        #expect(response.completionTokens == response.content.split(whereSeparator: \.isWhitespace).count)
        #expect(response.promptTokens == 14)
        #expect(try await llm.complete(request) == response)
    }

    @Test("scripted faults: fail the first N calls of an agent, then answer; fixed answers")
    func scriptedFaults() async throws {
        let llm = ScriptedLLM(
            behavior: ScriptedLLM.Behavior(rules: [
                .init(agentName: "reporting", calls: 1...2, action: .fail(.timeout)),
                .init(agentName: "other", action: .answer("fixed")),
            ]))
        let request = LLMRequest(agentName: "reporting", purpose: "p", messages: [.init(role: "user", content: "x")])
        for _ in 1...2 {
            do {
                _ = try await llm.complete(request)
                Issue.record("the call did not fail")
            } catch let error as LLMError {
                #expect(error.code == .timeout)
                #expect(error.attempts.first?.outcome == "timeout")
            }
        }
        #expect(try await llm.complete(request).content.hasPrefix("You asked"))
        var other = request
        other.agentName = "other"
        #expect(try await llm.complete(other).content == "fixed")
        #expect(llm.callCount == 4)
    }

    @Test("a delayed scripted answer reports its latency")
    func scriptedDelay() async throws {
        let llm = ScriptedLLM(behavior: .delayed(by: .milliseconds(20)))
        let response = try await llm.complete(
            LLMRequest(agentName: "reporting", purpose: "p", messages: [.init(role: "user", content: "x")]))
        #expect(response.latencyMs == 20)
    }

    @Test("verify fails on an event inside a run owned by another user")
    func crossUserEventIsAFailure() async throws {
        try await withCoordinator { harness in
            let accepted = try await harness.send(Messages.insufficient)
            _ = try await harness.eventsUntilEnd(of: accepted.runID)
            #expect(try await harness.journal.verify().failures.isEmpty)
            let intruder = try AgentEvent.agentThinking(
                AgentThinking(agentName: "triage", reasoning: "x", stepNumber: 9)
            )
            .newEvent(EventMetadata(eventID: "intruder", userID: "mallory", runID: accepted.runID))
            let recorded = try await harness.journal.append(intruder, to: EventStreams.run(accepted.runID))
            let report = try await harness.journal.verify()
            #expect(report.failures.map(\.check) == ["cross_user_events"])
            #expect(report.failures.first?.seq == recorded.seq)
        }
    }

    @Test("the tools answer deterministically")
    func toolResults() async throws {
        let file = try AgentsTestJournal()
        defer { file.remove() }
        let journal = try file.open()
        defer { try? journal.close() }
        let execution = UserExecutionContext(userID: "u", threadID: "t", runID: "r", requestID: "q")
        let context = ToolContext(
            execution: execution, agentName: "test", executionID: "e", callIndex: 0, llm: ScriptedLLM(),
            recorder: RunRecorder(journal: journal, context: execution), causationSeq: nil)
        let classification = try await ClassifyRequestTool().execute(
            ["request": .string("URGENT: our bill is $9,000 for 30 servers")], context: context)
        #expect(classification["category"] == "cost")
        #expect(classification["priority"] == "high")
        #expect(classification["data_sufficiency"] == "sufficient")
        let metrics = try await ExtractMetricsTool().execute(["request": "$9,000 for 30 servers"], context: context)
        let estimate = try await EstimateCostChangeTool().execute(
            ["metrics": metrics["metrics"] ?? .null, "category": "cost"], context: context)
        #expect(estimate["baseline"] == 9_000)
        #expect(estimate["estimated_value"] == 7_380)
        let ranking = try await RankOptionsTool().execute(
            ["category": "cost", "estimated_change_pct": -18], context: context)
        #expect(ranking["top"] == "right-size over-provisioned instances")
        let missing = try await IdentifyMissingDataTool().execute(
            ["request": "our bill is $9,000", "category": "cost"], context: context)
        #expect(missing["missing"]?.arrayValue?.count == 2)
        await #expect(throws: ToolError.self) { try await PlanActionsTool().execute([:], context: context) }
    }
}
