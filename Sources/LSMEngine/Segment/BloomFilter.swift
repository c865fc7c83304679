import ScribeBytes

/// The segment's Bloom filter over user keys.
///
/// Layout of the filter block (raw): `bit array (m/8 bytes) ‖ k (1 byte)`; an
/// empty block means "no filter" (every probe answers "may contain").
/// Probing key `x`: `h = bloomHash(x)`, `delta = (h >> 17) | (h << 15)` (a
/// 32-bit rotate right by 17); for `j` in `0..<k`: bit `h mod m` must be set
/// (bit `i` is bit `i & 7` of byte `i >> 3`), then `h = h &+ delta`.
/// This is LevelDB's filter, so any implementation of its hash can probe it.
package struct BloomFilter: Sendable {
    private let bits: [UInt8]
    private let probes: Int

    /// The largest bit array: bit positions are 32-bit.
    static let maxBytes = Int(UInt32.max / 8)

    /// The probe count for `bitsPerKey`: `clamp(round(bitsPerKey × 0.69), 1, 30)` (≈ ln 2 × bits per key).
    static func probeCount(bitsPerKey: Int) -> Int {
        min(max(Int((Double(bitsPerKey) * 0.69).rounded()), 1), 30)
    }

    /// Parses a non-empty filter block; throws `.corruption` when the probe
    /// count is outside 1...30 or the bit array is empty.
    package init(block: [UInt8], file: String, offset: UInt64) throws {
        guard block.count >= 2 else {
            throw LSMError.corruption(file: file, offset: offset, reason: "filter block of \(block.count) bytes has no bit array")
        }
        let k = Int(block[block.count - 1])
        guard (1...30).contains(k) else {
            throw LSMError.corruption(file: file, offset: offset, reason: "filter probe count \(k) outside 1...30")
        }
        guard block.count - 1 <= BloomFilter.maxBytes else {
            throw LSMError.corruption(file: file, offset: offset, reason: "filter of \(block.count - 1) bytes exceeds 2^32 bits")
        }
        bits = Array(block[0..<(block.count - 1)])
        probes = k
    }

    /// False only when `userKey` was certainly not added. O(k) bit tests.
    package func mayContain(_ userKey: UnsafeRawBufferPointer) -> Bool {
        let m = UInt32(truncatingIfNeeded: bits.count * 8)
        var h = bloomHash(userKey)
        let delta = (h >> 17) | (h << 15)
        return bits.withUnsafeBufferPointer { b in
            for _ in 0..<probes {
                let bit = Int(h % m)
                if b[bit >> 3] & (1 << UInt8(bit & 7)) == 0 { return false }
                h = h &+ delta
            }
            return true
        }
    }
}

/// Accumulates the user keys of a segment and produces its filter block.
/// Consecutive equal user keys (versions of one key) are added once.
/// Costs 4 bytes of memory per distinct key until `finish`.
package struct BloomFilterBuilder {
    let bitsPerKey: Int
    private var hashes: [UInt32] = []
    private var lastKey: [UInt8] = []

    /// `bitsPerKey` 0 disables the filter (`finish` returns an empty block).
    package init(bitsPerKey: Int) {
        precondition(bitsPerKey >= 0, "bits per key must not be negative")
        self.bitsPerKey = bitsPerKey
    }

    package mutating func add(userKey: UnsafeRawBufferPointer) {
        guard bitsPerKey > 0 else { return }
        if !hashes.isEmpty {
            let same = lastKey.withUnsafeBytes { ByteOrder.compare($0, userKey) == 0 }
            if same { return }
        }
        hashes.append(bloomHash(userKey))
        lastKey.removeAll(keepingCapacity: true)
        lastKey.append(contentsOf: userKey)
    }

    /// The filter block: `bit array ‖ k`, with `m = max(keys × bitsPerKey, 64)`
    /// rounded up to whole bytes (capped at 2^32 − 8 bits); empty when the filter is disabled.
    package func finish() -> [UInt8] {
        guard bitsPerKey > 0 else { return [] }
        let k = BloomFilter.probeCount(bitsPerKey: bitsPerKey)
        let byteCount = min((max(hashes.count * bitsPerKey, 64) + 7) / 8, BloomFilter.maxBytes)
        let m = UInt32(truncatingIfNeeded: byteCount * 8)
        var out = [UInt8](repeating: 0, count: byteCount + 1)
        for hash in hashes {
            var h = hash
            let delta = (h >> 17) | (h << 15)
            for _ in 0..<k {
                let bit = Int(h % m)
                out[bit >> 3] |= 1 << UInt8(bit & 7)
                h = h &+ delta
            }
        }
        out[byteCount] = UInt8(k)
        return out
    }
}

/// LevelDB's 32-bit `Hash(data, n, 0xbc9f1d34)` (a Murmur-like hash), bytes unsigned:
/// `m = 0xc6a4a793`; `h = seed ^ (n × m)`; for each whole 4-byte word `w`
/// (little-endian): `h += w; h *= m; h ^= h >> 16`; then the 1–3 tail bytes
/// `t0, t1, t2` are added as `h += t2 << 16; h += t1 << 8; h += t0; h *= m; h ^= h >> 24`
/// (only the ones present). All arithmetic wraps modulo 2^32.
func bloomHash(_ data: UnsafeRawBufferPointer) -> UInt32 {
    let m: UInt32 = 0xc6a4_a793
    let n = data.count
    var h: UInt32 = 0xbc9f_1d34 ^ (UInt32(truncatingIfNeeded: n) &* m)
    var i = 0
    while i + 4 <= n {
        h = h &+ readFixed32(data, at: i)
        h = h &* m
        h ^= h >> 16
        i += 4
    }
    let tail = n - i
    if tail > 0 {
        if tail == 3 { h = h &+ (UInt32(data[i + 2]) << 16) }
        if tail >= 2 { h = h &+ (UInt32(data[i + 1]) << 8) }
        h = h &+ UInt32(data[i])
        h = h &* m
        h ^= h >> 24
    }
    return h
}
