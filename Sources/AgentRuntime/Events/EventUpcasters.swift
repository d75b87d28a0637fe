import Foundation

/// The registry of upcasting steps: each turns a payload of one event type from schema version `n` into version
/// `n + 1`, so that a journal written by older code stays readable (``AgentEvent/init(recorded:upcasters:)``).
///
/// Every type is at version 1 today, so ``standard`` is empty. When a payload changes shape: bump
/// ``EventType/schemaVersion`` and register the step from the old version in ``standard``.
public struct EventUpcasters: Sendable {
    /// One step: a payload at version `n` (as JSON) to the same payload at version `n + 1`.
    public typealias Step = @Sendable (JSONValue) throws -> JSONValue

    private struct Key: Hashable {
        var type: EventType
        var version: Int
    }

    private var steps: [Key: Step] = [:]

    /// An empty registry.
    public init() {}

    /// The steps of the current code (none yet: every type is at version 1).
    public static let standard = EventUpcasters()

    /// Registers the step that turns `type`'s payload from `version` into `version + 1`.
    public mutating func register(_ type: EventType, from version: Int, _ step: @escaping Step) {
        steps[Key(type: type, version: version)] = step
    }

    /// A copy with one more step.
    public func registering(_ type: EventType, from version: Int, _ step: @escaping Step) -> EventUpcasters {
        var copy = self
        copy.register(type, from: version, step)
        return copy
    }

    /// True when a step from `version` is registered for `type`.
    public func hasStep(for type: EventType, from version: Int) -> Bool {
        steps[Key(type: type, version: version)] != nil
    }

    /// The payload brought from `version` up to `type`'s current schema version, one step at a time.
    /// - Throws: ``AgentEventError`` — `unsupportedSchemaVersion` for a version newer than this code or one with no
    ///   step registered; `invalidPayload` when the payload is not JSON or a step fails.
    public func upcast(type: EventType, payload: Data, from version: Int, seq: Int64) throws -> Data {
        let target = type.schemaVersion
        guard version <= target else {
            throw AgentEventError(
                code: .unsupportedSchemaVersion,
                message:
                    "event \(seq) (\(type.rawValue)) has schema version \(version); this code reads up to \(target)",
                seq: seq)
        }
        guard version < target else { return payload }
        var json: JSONValue
        do {
            json = try JSONValue(parsing: payload)
        } catch {
            throw AgentEventError(
                code: .invalidPayload, message: "event \(seq) (\(type.rawValue)) has a payload that is not JSON",
                seq: seq)
        }
        for current in version..<target {
            guard let step = steps[Key(type: type, version: current)] else {
                throw AgentEventError(
                    code: .unsupportedSchemaVersion,
                    message: """
                        event \(seq) (\(type.rawValue)) has schema version \(version) and no upcaster exists from \
                        version \(current)
                        """,
                    seq: seq)
            }
            do {
                json = try step(json)
            } catch {
                throw AgentEventError(
                    code: .invalidPayload,
                    message: "event \(seq) (\(type.rawValue)) cannot be upcast from version \(current)", seq: seq)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(json)
        } catch {
            throw AgentEventError(code: .unencodable, message: "event \(seq) cannot be re-encoded after upcasting")
        }
    }
}
