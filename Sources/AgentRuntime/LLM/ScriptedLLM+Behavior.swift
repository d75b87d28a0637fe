extension ScriptedLLM {
    /// The faults a ``ScriptedLLM`` injects: rules matched in order, the first match applies.
    public struct Behavior: Sendable {
        /// What to do with a call.
        public enum Action: Sendable, Hashable {
            /// Answer this text instead of the normal answer.
            case answer(String)
            /// Wait, then answer normally (cancellable).
            case delay(Duration)
            /// Fail with this code, reporting one attempt.
            case fail(LLMError.Code)
            /// Answer text that is not a usable report (control characters).
            case garbage
            /// Ask for these tool calls (with `text` as the turn's reasoning), in this order. A call's `id` may be
            /// empty: the model numbers it (`call_<turn>_<n>`).
            case callTools([LLMToolCall], text: String = "")
        }

        /// One rule: which calls it matches, and what to do.
        public struct Rule: Sendable, Hashable {
            /// The agent whose calls match; nil for every agent.
            public var agentName: String?
            /// The call numbers that match (1-based; per agent when `agentName` is set, over all calls otherwise);
            /// nil for every call.
            public var calls: ClosedRange<Int>?
            /// The turns of a tool loop that match (1-based: one plus the assistant messages in the request, so
            /// counted per run, not per model); nil for every turn.
            public var turns: ClosedRange<Int>?
            /// What to do.
            public var action: Action

            /// Creates a rule.
            public init(
                agentName: String? = nil, calls: ClosedRange<Int>? = nil, turns: ClosedRange<Int>? = nil,
                action: Action
            ) {
                self.agentName = agentName
                self.calls = calls
                self.turns = turns
                self.action = action
            }
        }

        /// The rules, first match wins.
        public var rules: [Rule]

        /// Creates a behavior from rules.
        public init(rules: [Rule]) {
            self.rules = rules
        }

        /// Always answer normally.
        public static let normal = Behavior(rules: [])

        /// Fail the first `count` calls (of `agentName`, or of any agent) with `code`.
        public static func failing(
            first count: Int = .max, code: LLMError.Code = .unavailable, agentName: String? = nil
        )
            -> Behavior
        {
            Behavior(rules: [Rule(agentName: agentName, calls: 1...max(1, count), action: .fail(code))])
        }

        /// Delay every call by `duration`.
        public static func delayed(by duration: Duration, agentName: String? = nil) -> Behavior {
            Behavior(rules: [Rule(agentName: agentName, action: .delay(duration))])
        }

        /// Answer every call with `text`.
        public static func answering(_ text: String, agentName: String? = nil) -> Behavior {
            Behavior(rules: [Rule(agentName: agentName, action: .answer(text))])
        }

        /// Answer every call with garbage.
        public static let garbage = Behavior(rules: [Rule(action: .garbage)])

        /// A tool loop's script for one agent: in turn `n` the `n`-th element's calls (an empty element answers
        /// normally), then the normal answer — or `finalText` when given.
        public static func toolScript(
            agentName: String, turns: [[LLMToolCall]], finalText: String? = nil
        ) -> Behavior {
            var rules = turns.enumerated().map { index, calls in
                Rule(agentName: agentName, turns: (index + 1)...(index + 1), action: .callTools(calls))
            }
            if let finalText { rules.append(Rule(agentName: agentName, action: .answer(finalText))) }
            return Behavior(rules: rules)
        }

        /// The rules of both behaviors, `self`'s first.
        public func then(_ other: Behavior) -> Behavior {
            Behavior(rules: rules + other.rules)
        }

        /// The action for a call, or nil to answer normally.
        func action(agentName: String, call: Int, totalCall: Int, turn: Int = 1) -> Action? {
            rules.first { rule in
                if let name = rule.agentName, name != agentName { return false }
                if let turns = rule.turns, !turns.contains(turn) { return false }
                guard let calls = rule.calls else { return true }
                return calls.contains(rule.agentName == nil ? totalCall : call)
            }?.action
        }
    }
}
