import LSMEngine

/// libFuzzer target: the input is a whole MANIFEST. Parses its records,
/// decodes every version edit and replays them onto the empty version as
/// opening a store does. Invariant: a MANIFEST that replays also decodes, and
/// its final version is numbered at least by its record count (exactly, unless
/// its first record carries a chain base and starts later).
public enum FuzzManifest {
    public static func run(_ bytes: [UInt8]) {
        let edits = try? UntrustedInput.manifestEdits(bytes)
        guard let version = try? UntrustedInput.manifestReplay(bytes) else { return }
        FuzzSupport.check(edits != nil, "a MANIFEST replays but its edits do not decode")
        FuzzSupport.check(version.versionNumber >= UInt64(edits ?? 0),
                          "replayed to version \(version.versionNumber) from \(edits ?? 0) records")
    }

    /// The MANIFEST of a small store written by the engine.
    public static func seeds() throws -> [[UInt8]] {
        try FuzzSupport.seedStoreFiles().filter { $0.name.hasPrefix("MANIFEST-") }.map(\.bytes)
    }
}
