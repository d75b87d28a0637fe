// `JSONValue` — tool parameters and results, payload fields, run state — lives in GoldenPathJSON so that the
// protocol client (GoldenPathClient) shares it without depending on the runtime; every `import AgentRuntime`
// sees it.
@_exported import GoldenPathJSON
