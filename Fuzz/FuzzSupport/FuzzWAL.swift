import LSMEngine

/// libFuzzer target: the input is a whole WAL file, read strictly and
/// leniently (skipping corrupt records), decoding every record as a write
/// batch; the input is also decoded as one write batch. Invariant: when both
/// readings succeed, lenient recovery returns at least as many operations.
public enum FuzzWAL {
    public static func run(_ bytes: [UInt8]) {
        let path = "\(FuzzSupport.scratch)/input.log"
        _ = try? UntrustedInput.writeBatchOperations(bytes)
        guard FuzzSupport.write(bytes, to: path) else { return }
        let strict = try? UntrustedInput.walOperations(path: path, lenient: false)
        let lenient = try? UntrustedInput.walOperations(path: path, lenient: true)
        if let strict, let lenient {
            FuzzSupport.check(lenient >= strict, "lenient recovery returned \(lenient) operations, strict \(strict)")
        }
    }

    /// The WAL of a small store written by the engine.
    public static func seeds() throws -> [[UInt8]] {
        try FuzzSupport.seedStoreFiles().filter { $0.name.hasSuffix(".log") && !$0.bytes.isEmpty }.map(\.bytes)
    }
}
