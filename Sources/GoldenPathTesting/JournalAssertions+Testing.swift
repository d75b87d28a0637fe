#if canImport(Testing)
    import Testing

    extension JournalAssertions {
        /// Records an issue (at the caller's source location) with the diff when the run's events do not match
        /// `pattern`; returns whether they matched.
        @discardableResult
        public func expectRun(
            _ runID: String, matches pattern: EventPattern, framesOnly: Bool = false,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> Bool {
            guard let mismatch = try await runMismatch(runID, pattern, framesOnly: framesOnly) else { return true }
            Issue.record("run \(runID):\n\(mismatch)", sourceLocation: sourceLocation)
            return false
        }

        /// Records an issue when the frames a connection received differ from its `deliveries` rows.
        public func expectDeliveries(
            connectionID: String, received frames: [TestWebSocketClient.Frame], throughSeq: Int64? = nil,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws {
            let problems = try await deliveryMismatches(
                connectionID: connectionID, received: frames, throughSeq: throughSeq)
            for problem in problems {
                Issue.record("connection \(connectionID): \(problem)", sourceLocation: sourceLocation)
            }
        }

        /// Records an issue for every row of `cross_user_deliveries` and `cross_user_events`, and every canary leak.
        public func expectIsolation(
            canaries: [String: String] = [:], received: [String: [TestWebSocketClient.Frame]] = [:],
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws {
            for row in try await crossUserDeliveries() {
                Issue.record("cross-user delivery: \(row)", sourceLocation: sourceLocation)
            }
            for row in try await crossUserEvents() {
                Issue.record("cross-user event: \(row)", sourceLocation: sourceLocation)
            }
            for leak in try await canaryLeaks(canaries: canaries, received: received) {
                Issue.record("canary leak: \(leak)", sourceLocation: sourceLocation)
            }
        }
    }
#endif
