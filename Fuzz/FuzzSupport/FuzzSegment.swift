import LSMEngine

/// libFuzzer target: the input is a whole segment file. Opens it, iterates
/// forward and backward, reads every version of the keys it saw and verifies
/// it, checking the invariants of `FuzzSupport.checkSegment`.
public enum FuzzSegment {
    public static func run(_ bytes: [UInt8]) {
        let path = "\(FuzzSupport.scratch)/input.segment"
        guard FuzzSupport.write(bytes, to: path) else { return }
        FuzzSupport.checkSegment(path: path)
    }

    /// The segment files of a small store written by the engine.
    public static func seeds() throws -> [[UInt8]] {
        try FuzzSupport.seedStoreFiles().filter { $0.name.hasSuffix(".sst") }.map(\.bytes)
    }
}
