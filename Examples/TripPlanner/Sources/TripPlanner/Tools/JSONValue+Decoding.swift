import AgentRuntime
import Foundation

extension JSONValue {
    /// The value decoded as `T` (tool results folded into the run state).
    /// - Throws: ``AgentFailure`` (`BAD_TOOL_OUTPUT`) when it does not decode.
    func decoded<T: Decodable>(as type: T.Type, from tool: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(jsonText.utf8))
        } catch {
            throw AgentFailure(code: "BAD_TOOL_OUTPUT", message: "\(tool) answered something that is not a \(T.self)")
        }
    }
}
