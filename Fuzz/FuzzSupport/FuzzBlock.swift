import LSMEngine

/// libFuzzer target: the first byte picks the parser, the rest is its input:
/// 0 varints (`ByteReader`), 1 a raw data block, 2 a stored data block with its
/// codec trailer (checksum, LZ4). Invariant: a block iterates the same entries
/// backward as forward.
public enum FuzzBlock {
    public static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        switch selector % 3 {
        case 0:
            _ = try? UntrustedInput.varints(body)
        default:
            guard let entries = try? UntrustedInput.blockEntries(body, stored: selector % 3 == 2) else { return }
            FuzzSupport.check(entries.backward.count == entries.forward.count, "backward and forward differ in length")
            for (f, b) in zip(entries.forward, entries.backward.reversed()) {
                FuzzSupport.check(f.key == b.key && f.value == b.value, "backward and forward differ")
            }
        }
    }

    /// The data blocks of a small store's segments, stored (with trailer) and,
    /// when uncompressed, raw; plus a few varints.
    public static func seeds() throws -> [[UInt8]] {
        var seeds: [[UInt8]] = [[0, 0x00, 0x7f, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f]]
        let directory = "\(FuzzSupport.scratch)/seed-segments"
        defer { FuzzSupport.removeDirectory(directory) }
        for file in try FuzzSupport.seedStoreFiles() where file.name.hasSuffix(".sst") {
            FuzzSupport.removeDirectory(directory)
            FuzzSupport.makeDirectory(directory)
            let path = "\(directory)/\(file.name)"
            FuzzSupport.write(file.bytes, to: path)
            for stored in try UntrustedInput.storedDataBlocks(path: path).prefix(3) {
                seeds.append([2] + stored)
                let kind = stored.count - 5
                if stored[kind] == 0 { seeds.append([1] + stored[..<kind]) }
            }
        }
        return seeds
    }
}
