import LSMEngine

/// Structure-aware libFuzzer target. The input is a small program:
///
/// | bytes | meaning |
/// |---|---|
/// | 1 | writer options: bits 0–1 block size (64, 128, 256, 4096), bits 2–3 restart interval (1, 2, 16, 16), bit 4 LZ4, bit 5 Bloom filter |
/// | 1 | entry count − 1 (mod 32) |
/// | 2 per entry | key byte (bit 7 = delete, bits 0–4 pick the user key), sequence byte (low 4 bits = value length) |
/// | rest | edits: region byte (mod 6: footer, index, filter, block roots, properties, data block; the rest picks the data block), offset (2 bytes LE, mod the region's size), length byte (bits 0–2: length − 1; bit 7: recompute the region's checksum afterwards), then that many new bytes |
///
/// The harness builds the seed segment in-process with the engine's writer,
/// overwrites the regions, then runs `FuzzSupport.checkSegment`, so mutations
/// land inside well-formed structure and reach the deep readers.
public enum FuzzSegmentMutation {
    public static func run(_ bytes: [UInt8]) {
        guard bytes.count >= 2 else { return }
        let options = bytes[0]
        let count = Int(bytes[1] % 32) + 1
        var position = 2
        var entries: [(userKey: [UInt8], sequence: UInt64, isPut: Bool, value: [UInt8])] = []
        for i in 0..<count {
            let keyByte = position < bytes.count ? bytes[position] : UInt8(i)
            let sequenceByte = position + 1 < bytes.count ? bytes[position + 1] : UInt8(i)
            position += 2
            entries.append((Array("key-".utf8) + [keyByte & 0x1f], UInt64(sequenceByte) + 1, keyByte & 0x80 == 0,
                            [UInt8](repeating: UInt8(ascii: "v"), count: Int(sequenceByte & 0x0f))))
        }
        let directory = "\(FuzzSupport.scratch)/mutation"
        FuzzSupport.makeDirectory(directory)
        guard let built = try? FuzzSupport.SegmentFixture.build(
                directory: directory, entries: entries,
                blockSize: [64, 128, 256, 4096][Int(options & 3)], restartInterval: [1, 2, 16, 16][Int(options >> 2 & 3)],
                compressed: options & 0x10 != 0, bloomBitsPerKey: options & 0x20 != 0 ? 10 : 0),
              var file = FuzzSupport.read(built),
              let regions = try? UntrustedInput.segmentRegions(path: built)
        else {
            FuzzSupport.removeDirectory(directory)
            return
        }
        FuzzSupport.removeDirectory(directory)
        let kinds = UntrustedInput.SegmentRegion.allCases
        while position + 4 <= bytes.count {
            let selector = Int(bytes[position])
            let kind = kinds[selector % kinds.count]
            let candidates = regions[kind] ?? []
            let offset = Int(bytes[position + 1]) | Int(bytes[position + 2]) << 8
            let length = Int(bytes[position + 3] & 7) + 1
            let reseal = bytes[position + 3] & 0x80 != 0
            position += 4
            let replacement = bytes[position..<min(position + length, bytes.count)]
            position += length
            guard !candidates.isEmpty else { continue }
            let region = candidates[(selector / kinds.count) % candidates.count]
            guard !region.isEmpty else { continue }
            var at = region.lowerBound + offset % region.count
            for byte in replacement where at < file.count {
                file[at] = byte
                at += 1
            }
            if reseal { FuzzSupport.SegmentFixture.reseal(&file, range: region, footer: kind == .footer) }
        }
        FuzzSupport.makeDirectory(directory)
        defer { FuzzSupport.removeDirectory(directory) }
        let path = "\(directory)/input.segment"
        guard FuzzSupport.write(file, to: path) else { return }
        FuzzSupport.checkSegment(path: path)
    }

    /// One unmutated program per writer configuration, and one program
    /// editing each region.
    public static func seeds() throws -> [[UInt8]] {
        let entries: [UInt8] = [0, 3, 1, 7, 1, 2, 0x82, 9, 4, 15, 5, 1, 6, 2, 7, 12]
        var seeds: [[UInt8]] = [0x00, 0x15, 0x36, 0x23].map { [$0, 7] + entries }
        for region in 0..<6 {
            seeds.append([0x20, 7] + entries + [UInt8(region), 4, 0, 1, 0xff])
            seeds.append([0x00, 7] + entries + [UInt8(region), 6, 0, 0x81, 0x7f, 0x00])
        }
        return seeds
    }
}
