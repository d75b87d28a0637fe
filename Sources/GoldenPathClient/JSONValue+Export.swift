// Frame fields are `JSONValue`s, the type AgentRuntime uses for payloads (GoldenPathJSON): one JSON type for
// both ends of the protocol.
@_exported import GoldenPathJSON
