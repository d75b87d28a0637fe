import Crypto
import Foundation

/// An agent whose language model chooses the tools: the LLM tool-calling loop.
///
/// The model is called with the agent's instructions, a prompt built from the run state and the agent's tools.
/// The tool calls it returns are executed — several in one turn concurrently, their `tool_executing` events all
/// first and their `tool_completed` events after, both in the model's order — and their results go back to the
/// model as `tool` messages, until it answers without tool calls. The model's text in a turn that calls tools is
/// that turn's `agent_thinking`. An unknown tool, or arguments that are not JSON or do not fit the tool's schema,
/// are fed back as errors the model sees. Past ``turnLimit`` turns or ``toolCallBudget`` calls the agent fails
/// (`TURN_LIMIT`, `TOOL_CALL_BUDGET`); its transcript stays in the journal.
///
/// A handoff is offered to the model as a tool `transfer_to_<agent>`: calling it ends this agent and passes
/// control to that agent.
///
/// ```swift
/// let researcher = ToolLoopAgent<Trip>(
///     name: "researcher", instructions: "Find flights. Use the tools; answer with the best option.",
///     tools: ["search_flights"], handoffs: ["booker"],
///     prompt: { trip in "Find flights for: \(trip.request)" },
///     finish: { trip, transcript in trip.options = transcript.finalText; return transcript.finalText })
/// ```
public struct ToolLoopAgent<State: Codable & Sendable>: Agent {
    /// The agent's name.
    public let name: AgentName
    /// The system message.
    public var instructions: String
    /// The instructions' version, journaled with each request (default: `sha256:` and the first 12 hex digits
    /// of the instructions' hash, so that an edit is visible in the journal).
    public var instructionsVersion: String
    /// The names of the pipeline's tools this agent may call.
    public var tools: [String]
    /// The agents this one may pass control to.
    public var handoffs: [AgentName]
    /// The model and its options.
    public var model: ModelSettings
    /// The most model turns (nil: ``AgentsConfiguration/maximumModelTurns``).
    public var turnLimit: Int?
    /// The most tool calls (nil: ``AgentsConfiguration/maximumToolCalls``).
    public var toolCallBudget: Int?
    /// What the agent is asked to do, for `agent_started`.
    public var task: @Sendable (State) -> String
    /// The user message the model is given, from the run state.
    public var prompt: @Sendable (State) -> String
    /// Folds the loop's transcript into the state and returns the agent's summary (default: the model's final
    /// text). Throw ``AgentFailure`` when the transcript is not good enough.
    public var finish: @Sendable (inout State, ToolLoopTranscript) throws -> String

    /// Creates a tool-loop agent.
    public init(
        name: AgentName, instructions: String, instructionsVersion: String? = nil, tools: [String],
        handoffs: [AgentName] = [], model: ModelSettings = ModelSettings(), turnLimit: Int? = nil,
        toolCallBudget: Int? = nil, task: (@Sendable (State) -> String)? = nil,
        prompt: @escaping @Sendable (State) -> String,
        finish: @escaping @Sendable (inout State, ToolLoopTranscript) throws -> String = { _, transcript in
            transcript.finalText
        }
    ) {
        self.name = name
        self.instructions = instructions
        self.instructionsVersion = instructionsVersion ?? Self.version(of: instructions)
        self.tools = tools
        self.handoffs = handoffs
        self.model = model
        self.turnLimit = turnLimit
        self.toolCallBudget = toolCallBudget
        self.task = task ?? { _ in "Work on the request with the model and its tools" }
        self.prompt = prompt
        self.finish = finish
    }

    /// The agent's task.
    public func taskDescription(for state: State) -> String { task(state) }

    /// Runs the loop.
    /// - Throws: ``AgentFailure`` (`TURN_LIMIT`, `TOOL_CALL_BUDGET`, the model's error code, or what ``finish``
    ///   throws); `CancellationError`; `JournalError`.
    public func run(_ session: AgentSession, state: State) async throws -> AgentResult<State> {
        var state = state
        let transcript = try await ToolLoop(agent: self, session: session).run(prompt: prompt(state))
        let summary = try finish(&state, transcript)
        return AgentResult(summary: summary, state: state, handoff: transcript.handoff)
    }

    /// The name of the tool that hands off to `agent`.
    public static func handoffToolName(_ agent: AgentName) -> String { "transfer_to_\(agent.rawValue)" }

    static func version(of instructions: String) -> String {
        let digest = SHA256.hash(data: Data(instructions.utf8))
        return "sha256:" + digest.prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}

/// What a tool loop did: every tool call with its result, the model's final text, and the handoff it chose.
public struct ToolLoopTranscript: Sendable, Hashable {
    /// The model's answer in its last turn.
    public var finalText: String
    /// Every tool call, in order.
    public var calls: [ToolCallResult]
    /// How many times the model was called.
    public var turns: Int
    /// The agent the model handed off to, if it did.
    public var handoff: AgentName?

    /// The results of the successful calls of `tool`, in order.
    public func results(of tool: String) -> [JSONValue] {
        calls.filter { $0.name == tool && $0.status == .success }.map(\.results)
    }
}

/// One execution of a ``ToolLoopAgent``'s loop.
struct ToolLoop<State: Codable & Sendable>: Sendable {
    let agent: ToolLoopAgent<State>
    let session: AgentSession

    func run(prompt: String) async throws -> ToolLoopTranscript {
        let configuration = session.configuration
        let turnLimit = agent.turnLimit ?? configuration.maximumModelTurns
        let budget = agent.toolCallBudget ?? configuration.maximumToolCalls
        let offered = agent.tools.compactMap { session.tools[$0] }
        var definitions = offered.map(\.definition)
        var handoffByTool: [String: AgentName] = [:]
        for target in agent.handoffs {
            let toolName = ToolLoopAgent<State>.handoffToolName(target)
            handoffByTool[toolName] = target
            definitions.append(
                LLMToolDefinition(
                    name: toolName, description: "Pass the conversation to the \(target.rawValue) agent.",
                    parameters: ["type": "object", "properties": [:]]))
        }
        let secrets = Dictionary(offered.map { ($0.name, $0.secretParameters) }, uniquingKeysWith: { $0.union($1) })
        var messages = [
            LLMRequest.Message(role: "system", content: agent.instructions),
            LLMRequest.Message(role: "user", content: prompt),
        ]
        var added = messages
        var transcript = ToolLoopTranscript(finalText: "", calls: [], turns: 0, handoff: nil)
        let call = LLMCall(llm: session.llm, recorder: session.recorder)
        while true {
            guard transcript.turns < turnLimit else {
                throw AgentFailure(
                    code: "TURN_LIMIT",
                    message: "the model was still calling tools after \(turnLimit) turn(s)")
            }
            transcript.turns += 1
            let request = LLMRequest(
                agentName: agent.name.rawValue, purpose: "tool_loop", messages: messages,
                maxTokens: agent.model.maxTokens, temperature: agent.model.temperature, tools: definitions,
                toolChoice: definitions.isEmpty ? nil : agent.model.toolChoice,
                parallelToolCalls: definitions.isEmpty ? nil : agent.model.parallelToolCalls,
                model: agent.model.model, endpoint: agent.model.endpoint)
            let answer: LLMCall.Answer
            do {
                answer = try await call.answer(
                    request,
                    journaled: LLMCall.Journaled(
                        messages: added, includeTools: transcript.turns == 1, turn: transcript.turns,
                        instructionsVersion: agent.instructionsVersion, secretParameters: secrets),
                    causedBy: session.lastSeq)
            } catch let error as LLMError {
                throw AgentFailure(code: error.code.description, message: error.message)
            }
            session.advance(to: answer.seq)
            let response = answer.response
            guard !response.toolCalls.isEmpty else {
                transcript.finalText = response.content
                return transcript
            }
            let text = response.content.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { try await session.think(text) }
            if let target = response.toolCalls.lazy.compactMap({ handoffByTool[$0.name] }).first {
                transcript.finalText = text
                transcript.handoff = target
                return transcript
            }
            guard transcript.calls.count + response.toolCalls.count <= budget else {
                throw AgentFailure(
                    code: "TOOL_CALL_BUDGET", message: "the model asked for more than \(budget) tool call(s)")
            }
            let results = try await session.callTools(
                response.toolCalls.map { ToolInvocation(name: $0.name, arguments: .text($0.arguments), callID: $0.id) },
                allowed: Set(agent.tools))
            transcript.calls += results
            added =
                [LLMRequest.Message(role: "assistant", content: response.content, toolCalls: response.toolCalls)]
                + results.map { result in
                    LLMRequest.Message(role: "tool", content: result.results.jsonText, toolCallID: result.callID)
                }
            messages += added
        }
    }
}
