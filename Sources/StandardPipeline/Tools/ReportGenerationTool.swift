import AgentRuntime
import Foundation

/// `llm_report_generation` (reporting): asks the language model for the answer, from the request and what the
/// earlier agents found or could not do. The LLM call is journaled (`llm_request`, `llm_response`/`llm_failed`).
public struct ReportGenerationTool: Tool {
    /// `llm_report_generation`
    public static let toolName = "llm_report_generation"
    /// `llm_report_generation`
    public var name: String { Self.toolName }
    /// What the tool does, for a model.
    public var description: String { "Writes the answer with the language model from the findings of the earlier steps." }
    /// The parameters it reads.
    public var parameters: JSONSchema { Self.schema }
    static let schema: JSONSchema =
        JSONSchema.object(
            properties: [
                "request": .string(), "category": .string(), "priority": .string(), "data_sufficiency": .string(),
                "findings": .array(of: .string()), "missing": .array(of: .string()),
                "failed_steps": .array(of: .string()),
            ], required: ["request"])
    /// 45 s: the call holds the LLM client's own retries and fallback (3 × 8 s plus backoff).
    public var timeLimit: Duration? { .seconds(45) }

    static let systemPrompt = """
        You are the reporting agent of GoldenPath. Answer the user in a few short paragraphs: quote their request, \
        summarize the findings of the earlier steps, say plainly what could not be determined, and end with a \
        "Next steps:" list.
        """

    /// Creates the tool.
    public init() {}

    /// Parameters `{request, category, priority, data_sufficiency, findings[], missing[], failed_steps[]}`;
    /// results `{report, model, prompt_tokens, completion_tokens}`.
    /// - Throws: ``ToolError`` (`LLM_UNAVAILABLE`, `LLM_INVALID_RESPONSE`) when the model gives no usable answer.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        let request = LLMRequest(
            agentName: context.agentName, purpose: name,
            messages: [
                LLMRequest.Message(role: "system", content: Self.systemPrompt),
                LLMRequest.Message(role: "user", content: try Self.prompt(from: parameters)),
            ],
            maxTokens: 600, temperature: 0)
        let response: LLMResponse
        do {
            response = try await context.complete(request, accepting: { Self.isUsable($0.content) })
        } catch let error as LLMError {
            throw ToolError(code: ToolError.Code(rawValue: error.code.description), message: error.message)
        }
        guard Self.isUsable(response.content) else {
            throw ToolError(
                code: ToolError.Code(rawValue: LLMError.Code.invalidResponse.description),
                message: "the language model answered text that is not a usable report")
        }
        return [
            // As the model wrote it (not trimmed): the streamed deltas of the answer add up to it exactly.
            "report": .string(response.content),
            "model": .string(response.model), "prompt_tokens": .number(Double(response.promptTokens)),
            "completion_tokens": .number(Double(response.completionTokens)),
        ]
    }

    /// The user prompt: the request, the classification, then `Findings:`, `Missing:` and `Failed steps:` lists.
    static func prompt(from parameters: JSONValue) throws -> String {
        let request = try parameters.requiredString("request", tool: toolName)
        var lines = ["Request: \(request)"]
        let category = parameters["category"]?.stringValue ?? "unknown"
        let priority = parameters["priority"]?.stringValue ?? "unknown"
        let sufficiency = parameters["data_sufficiency"]?.stringValue ?? "unknown"
        lines.append("Category: \(category); priority: \(priority); data sufficiency: \(sufficiency)")
        for (title, key) in [("Findings", "findings"), ("Missing", "missing"), ("Failed steps", "failed_steps")] {
            let items = parameters[key]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard !items.isEmpty else { continue }
            lines.append("\(title):")
            lines += items.map { "- \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// True for text a person can read: not blank, no control characters besides line breaks and tabs.
    static func isUsable(_ text: String) -> Bool {
        // Leading and trailing white space may hold any white space; inside, only line breaks and tabs.
        let scalars = text.unicodeScalars
        let trimmed = scalars.drop(while: \.properties.isWhitespace).reversed().drop(while: \.properties.isWhitespace)
        guard trimmed.contains(where: \.properties.isAlphabetic) else { return false }
        return !trimmed.contains { scalar in
            // ASCII without Unicode's property tables: this looks at every character of every report.
            if scalar.isASCII { return (scalar.value < 0x20 || scalar.value == 0x7F) && !"\n\r\t".unicodeScalars.contains(scalar) }
            return scalar.properties.generalCategory == .control || scalar == "\u{FFFD}"
        }
    }
}
