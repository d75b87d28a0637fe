/// `resume_completed {head_seq}`: a `resume` has re-sent every frame of the user up to `head_seq`; what follows is
/// live.
public struct ResumeCompleted: Sendable, Hashable {
    /// The last sequence the resume covered.
    public let headSeq: Int64
    /// The whole frame.
    public let object: FrameObject

    /// Reads the fields; nil when `head_seq` is missing or malformed.
    init?(_ object: FrameObject) {
        guard let headSeq = object.int64("head_seq") else { return nil }
        self.headSeq = headSeq
        self.object = object
    }
}
