/// db_bench's `GenerateKeyFromInt` without a prefix: the number's low
/// `min(keySize, 8)` bytes big-endian, then ASCII '0' (0x30) up to `keySize`.
/// Big-endian keeps byte order equal to numeric order; a 16-byte key for 5 is
/// `00 00 00 00 00 00 00 05 30 30 30 30 30 30 30 30`.
struct KeyFormatter {
    let keySize: Int

    /// A reusable key buffer already holding the padding.
    func makeBuffer() -> [UInt8] {
        [UInt8](repeating: 0x30, count: keySize)
    }

    /// Writes `value`'s key into `buffer` (made by `makeBuffer`). No allocation
    /// while `buffer` is uniquely referenced.
    func fill(_ buffer: inout [UInt8], with value: UInt64) {
        let bytes = min(keySize, 8)
        buffer.withUnsafeMutableBufferPointer { out in
            for i in 0..<bytes {
                out[i] = UInt8(truncatingIfNeeded: value >> UInt64((bytes - i - 1) * 8))
            }
        }
    }
}

/// db_bench's `RandomGenerator` for fixed-size values: at least 1 MiB of
/// 100-byte pieces, each `compressionRatio × 100` printable random bytes
/// (`' ' + Uniform(95)` from `LehmerRandom(301)`) repeated to 100 bytes, so a
/// value compresses to about half. `next()` hands out consecutive slices of
/// that buffer, wrapping to the start, like db_bench. The bytes are identical
/// to db_bench 7.8's.
struct ValueGenerator {
    private let data: [UInt8]
    private var position = 0
    let valueSize: Int

    init(valueSize: Int, compressionRatio: Double = 0.5) {
        var random = LehmerRandom(seed: 301)
        var data: [UInt8] = []
        let target = max(1_048_576, valueSize)
        data.reserveCapacity(target + 100)
        let rawLength = max(1, Int(100 * compressionRatio))
        var raw = [UInt8](repeating: 0, count: rawLength)
        while data.count < target {
            for i in 0..<rawLength {
                raw[i] = 0x20 + UInt8(random.uniform(95))
            }
            var piece = 0
            while piece < 100 {
                let take = min(rawLength, 100 - piece)
                data.append(contentsOf: raw[0..<take])
                piece += take
            }
        }
        self.data = data
        self.valueSize = valueSize
    }

    /// The next value: a slice of the shared buffer (no copy).
    mutating func next() -> ArraySlice<UInt8> {
        if position + valueSize > data.count { position = 0 }
        position += valueSize
        return data[(position - valueSize)..<position]
    }
}
