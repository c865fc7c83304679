import ScribeCrypto

/// The engine's integer encodings fed straight into a hasher, without building
/// the bytes first: how headers and leaves are hashed (docs/formats.md).
extension SHA256.Hasher {
    /// Feeds `fixed32le(value)`.
    mutating func update(fixed32 value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { update($0) }
    }

    /// Feeds `fixed64le(value)`.
    mutating func update(fixed64 value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { update($0) }
    }

    /// Feeds the LEB128 varint encoding of `value`.
    mutating func update(varint value: UInt64) {
        var v = value
        var bytes: (UInt64, UInt64) = (0, 0)
        let count = withUnsafeMutableBytes(of: &bytes) { out -> Int in
        var n = 0
        while v >= 0x80 {
            out[n] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            n += 1
        }
        out[n] = UInt8(truncatingIfNeeded: v)
        return n + 1
        }
        withUnsafeBytes(of: bytes) { update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}
