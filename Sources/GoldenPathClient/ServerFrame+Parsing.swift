extension ServerFrame {
    /// Reads one text frame.
    ///
    /// Never fails on a JSON object: a type this vocabulary does not know, a `type` that is not a string, or a known
    /// type without a field its case needs (an event frame without `seq` or `run_id`, an `error` without `code`, …)
    /// is ``unknown(_:)``, with the whole object.
    /// - Throws: ``FrameDecodingError`` (``FrameDecodingError/Code/invalidJSON``) when `text` is not JSON or not a
    ///   JSON object.
    public init(parsing text: String) throws(FrameDecodingError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw FrameDecodingError(code: .invalidJSON, message: "the frame is not valid JSON", cause: error)
        }
        guard case .object(let fields) = value else {
            throw FrameDecodingError(code: .invalidJSON, message: "the frame is not a JSON object")
        }
        self.init(object: FrameObject(fields: fields, text: text))
    }

    /// The frame with these fields (its `type` among them), as if received.
    public init(fields: [String: JSONValue]) {
        self.init(object: FrameObject(fields: fields))
    }

    /// The frame a JSON object is: its case follows its `type`.
    public init(object: FrameObject) {
        guard let kind = object.string("type").flatMap(Kind.init(rawValue:)) else {
            self = .unknown(object)
            return
        }
        self = Self.typed(kind, object) ?? .unknown(object)
    }

    /// The case for a known type; nil when the object lacks a field that case needs.
    private static func typed(_ kind: Kind, _ object: FrameObject) -> ServerFrame? {
        switch kind {
        case .connectionEstablished: ConnectionEstablished(object).map(ServerFrame.connectionEstablished)
        case .messageReceived: EventFrame(object).map(ServerFrame.messageReceived)
        case .agentStarted: EventFrame(object).map(ServerFrame.agentStarted)
        case .agentThinking: EventFrame(object).map(ServerFrame.agentThinking)
        case .toolExecuting: EventFrame(object).map(ServerFrame.toolExecuting)
        case .toolCompleted: EventFrame(object).map(ServerFrame.toolCompleted)
        case .agentCompleted: EventFrame(object).map(ServerFrame.agentCompleted)
        case .agentError: EventFrame(object).map(ServerFrame.agentError)
        case .agentResponseDelta: EventFrame(object).map(ServerFrame.agentResponseDelta)
        case .agentResponseReset: EventFrame(object).map(ServerFrame.agentResponseReset)
        case .runCompleted: EventFrame(object).map(ServerFrame.runCompleted)
        case .runFailed: EventFrame(object).map(ServerFrame.runFailed)
        case .runCancelled: EventFrame(object).map(ServerFrame.runCancelled)
        case .resumeCompleted: ResumeCompleted(object).map(ServerFrame.resumeCompleted)
        case .threadHistory: ThreadHistory(object).map(ServerFrame.threadHistory)
        case .pong: .pong(object)
        case .error: ServerError(object).map(ServerFrame.error)
        }
    }
}
