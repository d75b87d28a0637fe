import AgentRuntime

/// An offline, deterministic model for the trip planner (demo and tests): a ``ScriptedLLM`` whose concierge, in
/// turn 1, calls `search_flights` and `check_weather` together (two parallel calls), and in turn 2 calls
/// `transfer_to_booker`. Every other call gets the scripted model's normal answer.
///
/// The script always plans Berlin → Lisbon, 14–21 May 2026, whatever the user wrote: it stands for a model, it
/// is not one. `serve` a real model with an ``OpenAICompatibleLLM`` instead.
public enum ScriptedConcierge {
    /// Turn 1's `search_flights` arguments.
    public static let flightQuery = FlightQuery(
        origin: "Berlin", destination: "Lisbon", date: "2026-05-14", returnDate: "2026-05-21")

    /// Turn 1's `search_flights` call.
    public static let searchFlightsCall = LLMToolCall(
        id: "", name: TripTools.searchFlightsName,
        arguments: #"{"date":"2026-05-14","destination":"Lisbon","origin":"Berlin","return_date":"2026-05-21"}"#)

    /// Turn 1's `check_weather` call.
    public static let checkWeatherCall = LLMToolCall(
        id: "", name: TripTools.checkWeatherName, arguments: #"{"city":"Lisbon","date":"2026-05-14"}"#)

    /// Turn 2's handoff.
    public static let handoffCall = LLMToolCall(
        id: "", name: ToolLoopAgent<Trip>.handoffToolName(.booker), arguments: "{}")

    /// The script.
    public static var behavior: ScriptedLLM.Behavior {
        .toolScript(
            agentName: AgentName.concierge.rawValue,
            turns: [[searchFlightsCall, checkWeatherCall], [handoffCall]])
    }

    /// A scripted model following ``behavior``, then `extra`'s rules (faults to inject in tests).
    public static func makeLLM(then extra: ScriptedLLM.Behavior = .normal) -> ScriptedLLM {
        ScriptedLLM(behavior: behavior.then(extra))
    }
}
