import LSMEngine

/// The distributed tier (object storage and the replicated manifest) builds on
/// the engine's immutable segments. It arrives with the durable-tier issue; this
/// module exists now so the package layout is final.
public enum ScribeDistributed {
    /// The segment format version this tier ships and accepts.
    public static let segmentFormatVersion = LSMEngine.segmentFormatVersion
}
