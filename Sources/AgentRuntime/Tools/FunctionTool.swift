import Foundation

/// A tool from a closure over a `Decodable` input and an `Encodable` output; its JSON Schema is derived from the
/// input type (``JSONSchema/init(deriving:)``) unless given.
///
/// ```swift
/// struct WeatherInput: Codable, Sendable { var city: String; var days: Int? }
/// struct Forecast: Codable, Sendable { var summary: String }
///
/// let weather = FunctionTool(name: "get_weather", description: "The forecast for a city") {
///     (input: WeatherInput, context) in Forecast(summary: "Sunny in \(input.city)")
/// }
/// ```
///
/// Arguments are checked against the schema before the body runs, then decoded: a missing field or a wrong type
/// is a `tool_completed {status: error}` with a message naming the field, never a crash.
public struct FunctionTool<Input: Decodable & Sendable, Output: Encodable & Sendable>: Tool {
    /// The tool's name.
    public let name: String
    /// What it does, for a model.
    public let description: String
    /// The parameters' schema.
    public let parameters: JSONSchema
    /// Its own time limit, if any.
    public let timeLimit: Duration?
    /// Parameters never journaled.
    public let secretParameters: Set<String>
    private let body: @Sendable (Input, ToolContext) async throws -> Output

    /// Creates a tool. Without `parameters`, the schema is derived from `Input`; a type that cannot be walked
    /// (see ``JSONSchema/init(deriving:)``) is offered as any object, and its arguments are still checked by
    /// decoding them.
    public init(
        name: String, description: String, parameters: JSONSchema? = nil, timeLimit: Duration? = nil,
        secretParameters: Set<String> = [],
        _ body: @escaping @Sendable (Input, ToolContext) async throws -> Output
    ) {
        self.name = name
        self.description = description
        self.parameters = parameters ?? (try? JSONSchema(deriving: Input.self)) ?? .anyObject
        self.timeLimit = timeLimit
        self.secretParameters = secretParameters
        self.body = body
    }

    /// Decodes the arguments, runs the body, and encodes its output.
    /// - Throws: ``ToolError`` (`invalidParameters`) when the arguments do not decode as `Input`; the body's
    ///   errors; `TOOL_FAILED` when the output cannot be encoded.
    public func execute(_ parameters: JSONValue, context: ToolContext) async throws -> JSONValue {
        let input: Input
        do {
            input = try JSONDecoder().decode(Input.self, from: Data(parameters.jsonText.utf8))
        } catch let error as DecodingError {
            throw ToolError(code: .invalidParameters, message: "\(name): \(Self.explain(error))")
        }
        let output = try await body(input, context)
        do {
            let data = try JSONEncoder().encode(output)
            return try JSONValue(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw ToolError(code: .failed, message: "\(name) produced an output that is not JSON")
        }
    }

    /// A decoding error in words: which field, and what was wrong.
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): the required field is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "the arguments do not fit"
        }
    }
}
