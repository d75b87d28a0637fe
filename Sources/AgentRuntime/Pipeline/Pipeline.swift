import Foundation

/// A team's pipeline: its agents, tools, planner and run state — everything the runtime needs to execute a
/// run, journal it, resume it after a crash and verify it on replay.
///
/// A run starts with the supervisor's `agent_started` and one `agent_thinking` (``planDescription``), then asks
/// the ``planner`` for agents until it finishes; each agent's events are its own block. When the planner
/// finishes, ``answer`` writes the final response: the supervisor's `agent_completed` then `run_completed`.
///
/// ```swift
/// let pipeline = Pipeline(
///     name: "travel",
///     agents: [Researcher(), Booker()],
///     tools: [searchFlights, bookFlight],
///     planner: TravelPlanner(),
///     initialState: { request in Trip(request: request) },
///     answer: { progress in FinalAnswer(text: progress.state.summary, degraded: progress.state.failed) })
/// ```
public struct Pipeline<State: Codable & Sendable>: Sendable {
    /// The pipeline's name, for logs.
    public var name: String
    /// The agents, by name.
    public var agents: [AgentName: any Agent<State>]
    /// The tools agents may call, by name (``AgentsConfiguration/tools`` replaces some in tests).
    public var tools: ToolRegistry
    /// Picks the agents, or finishes the run.
    public var planner: any Planner<State>
    /// The supervisor's `task_description` (default "Answer the user's request").
    public var supervisorTask: String
    /// The supervisor's first `agent_thinking`: how the run will go.
    public var planDescription: String
    /// The run state a run starts with, from the user's message.
    public var initialState: @Sendable (String) -> State
    /// The final response, once the planner finishes.
    public var answer: @Sendable (RunProgress<State>) -> FinalAnswer

    /// Creates a pipeline.
    public init(
        name: String, agents: [any Agent<State>], tools: [any Tool] = [], planner: any Planner<State>,
        supervisorTask: String = "Answer the user's request", planDescription: String = "Planning the run.",
        initialState: @escaping @Sendable (String) -> State,
        answer: @escaping @Sendable (RunProgress<State>) -> FinalAnswer
    ) {
        self.name = name
        self.agents = Dictionary(agents.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.tools = ToolRegistry(tools)
        self.planner = planner
        self.supervisorTask = supervisorTask
        self.planDescription = planDescription
        self.initialState = initialState
        self.answer = answer
    }
}

/// A run's answer: the supervisor's `final_response` and whether the run is `degraded`.
public struct FinalAnswer: Sendable, Hashable {
    /// The answer.
    public var text: String
    /// True when something could not be done (the run still completed).
    public var degraded: Bool

    /// Creates an answer.
    public init(text: String, degraded: Bool = false) {
        self.text = text
        self.degraded = degraded
    }
}

/// A pipeline whose state type is hidden: what the run coordinator holds.
protocol PipelineExecution: Sendable {
    /// The pipeline's tools.
    var tools: ToolRegistry { get }
    /// Executes one run.
    func execute(request: String, environment: RunEnvironment, causedBy cause: Int64?) async throws -> RunAnswer
}

/// What a supervisor answered, and where.
struct RunAnswer: Sendable, Hashable {
    var finalResponse: String
    var degraded: Bool
    /// The sequence number of the supervisor's `agent_completed`.
    var completedSeq: Int64
}

extension Pipeline: PipelineExecution {
    func execute(request: String, environment: RunEnvironment, causedBy cause: Int64?) async throws -> RunAnswer {
        try await Supervisor(pipeline: self, environment: environment).run(request: request, causedBy: cause)
    }
}

extension JSONValue {
    /// A `Codable` value as JSON (keys sorted, so that equal values journal equal text).
    /// - Throws: ``AgentEventError`` (`unencodable`) when the value cannot be written as JSON.
    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            self = try JSONValue(parsing: String(decoding: try encoder.encode(value), as: UTF8.self))
        } catch {
            throw AgentEventError(code: .unencodable, message: "a value cannot be encoded as JSON: \(error)")
        }
    }
}
