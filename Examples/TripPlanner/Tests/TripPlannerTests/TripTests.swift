import AgentRuntime
import Foundation
import GoldenPathTesting
import Testing
import TripPlanner

/// What the suites share: the request, the server they start, the expected event sequence, unique strings.
enum TripTests {
    /// A request the scripted concierge answers (it always plans Berlin → Lisbon).
    static let request = "Plan a trip from Berlin to Lisbon, 14 to 21 May 2026, and book the cheapest flight."

    /// A unique, letters-only string (a canary, or a secret to look for).
    static func unique(_ prefix: String) -> String {
        let letters = Array("bcdfghjkmnpqrstvwxz")
        return prefix + String((0..<20).map { _ in letters.randomElement() ?? "z" })
    }

    /// A server running the trip planner with the scripted concierge.
    static func startServer(
        agents: AgentsConfiguration = AgentsConfiguration(),
        paymentToken: @escaping PaymentTokenProvider = { _ in TripPlanner.demoPaymentToken }
    ) async throws -> LiveServer {
        try await LiveServer.start(
            pipeline: TripPlanner.pipeline(paymentToken: paymentToken), llm: ScriptedConcierge.makeLLM(),
            agents: agents)
    }

    /// Runs `body` with a fresh server running the trip planner (default: with the scripted concierge) and
    /// shuts it down after.
    static func withServer<T: Sendable>(
        llm: any LLMClient = ScriptedConcierge.makeLLM(), agents: AgentsConfiguration = AgentsConfiguration(),
        paymentToken: @escaping PaymentTokenProvider = { _ in TripPlanner.demoPaymentToken },
        _ body: (LiveServer) async throws -> T
    ) async throws -> T {
        try await withLiveServer(
            pipeline: TripPlanner.pipeline(paymentToken: paymentToken), llm: llm, agents: agents, body)
    }

    /// The exact journal sequence of one trip run that books, with `extra` inserted right after the booker's
    /// `tool_executing` (a resumed run's `run_recovery`).
    static func bookedRun(afterBookingStarted extra: [EventPattern.Element] = []) -> EventPattern {
        let head: [EventPattern.Element] = [
            .event("user_message"),
            .event("message_received"),
            .event("agent_started", agent: "supervisor"),
            .event("agent_thinking", agent: "supervisor"),
            .event("agent_started", agent: "concierge"),
            .event("llm_request", agent: "concierge"),
            .zeroOrMore(EventPattern.streamedAnswerEvent),  // the turn's text as it streams (none in tool-call turns)
            .event("llm_response", agent: "concierge"),
            .event("tool_executing", agent: "concierge", tool: "search_flights"),
            .event("tool_executing", agent: "concierge", tool: "check_weather"),
            .event("tool_completed", agent: "concierge", tool: "search_flights", status: "success"),
            .event("tool_completed", agent: "concierge", tool: "check_weather", status: "success"),
            .event("llm_request", agent: "concierge"),
            .zeroOrMore(EventPattern.streamedAnswerEvent),  // the turn's text as it streams (none in tool-call turns)
            .event("llm_response", agent: "concierge"),
            .event("agent_completed", agent: "concierge", status: "completed"),
            .event("agent_started", agent: "booker"),
            .event("agent_thinking", agent: "booker"),
            .event("tool_executing", agent: "booker", tool: "book_flight"),
        ]
        let tail: [EventPattern.Element] = [
            .event("tool_completed", agent: "booker", tool: "book_flight", status: "success"),
            .event("agent_completed", agent: "booker", status: "completed"),
            .event("agent_started", agent: "summarizer"),
            .event("agent_thinking", agent: "summarizer"),
            .event("agent_completed", agent: "summarizer", status: "completed"),
            .event("agent_completed", agent: "supervisor", status: "completed"),
            .event("run_completed"),
        ]
        return EventPattern(head + extra + tail)
    }
}
