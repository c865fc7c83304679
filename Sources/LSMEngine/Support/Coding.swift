/// Little-endian fixed-width and LEB128 varint encoders. All on-disk integers
/// in the engine go through these, so the byte layouts in docs/formats.md hold.
extension Array where Element == UInt8 {
    @inlinable
    mutating func appendFixed32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 24))
    }

    @inlinable
    mutating func appendFixed64(_ value: UInt64) {
        appendFixed32(UInt32(truncatingIfNeeded: value))
        appendFixed32(UInt32(truncatingIfNeeded: value >> 32))
    }

    @inlinable
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(truncatingIfNeeded: v))
    }

    @inlinable
    mutating func appendVarint(_ value: Int) {
        appendVarint(UInt64(value))
    }

    /// Appends `varint(bytes.count) ‖ bytes`.
    @inlinable
    mutating func appendLengthPrefixed(_ bytes: some Collection<UInt8>) {
        appendVarint(UInt64(bytes.count))
        append(contentsOf: bytes)
    }
}

/// The number of bytes `appendVarint` writes for `value`.
@inlinable
func varintLength(_ value: UInt64) -> Int {
    var v = value
    var n = 1
    while v >= 0x80 {
        v >>= 7
        n += 1
    }
    return n
}

@inlinable
func readFixed32(_ p: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
    UInt32(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
}

@inlinable
package func readFixed64(_ p: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
    UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
}

/// A bounds-checked cursor over untrusted bytes. Every read either succeeds or
/// throws `LSMError.corruption` with the absolute offset of the bad field; it
/// never traps and never allocates more than the bytes it was given.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    /// File name and file offset of `bytes[0]`, for error messages.
    let file: String
    let baseOffset: UInt64

    init(_ bytes: [UInt8], range: Range<Int>? = nil, file: String, baseOffset: UInt64 = 0) {
        self.bytes = bytes
        let r = range ?? 0..<bytes.count
        self.position = r.lowerBound
        self.end = r.upperBound
        self.file = file
        self.baseOffset = baseOffset
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    func corruption(_ reason: String) -> LSMError {
        .corruption(file: file, offset: baseOffset + UInt64(position), reason: reason)
    }

    mutating func readByte() throws -> UInt8 {
        guard position < end else { throw corruption("truncated: expected 1 more byte") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readFixed32() throws -> UInt32 {
        guard remaining >= 4 else { throw corruption("truncated: expected a 4-byte integer") }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return v
    }

    mutating func readFixed64() throws -> UInt64 {
        guard remaining >= 8 else { throw corruption("truncated: expected an 8-byte integer") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return v
    }

    mutating func readVarint64() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw corruption("truncated varint") }
            let b = bytes[position]
            position += 1
            if shift == 63 && b > 1 { throw corruption("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw corruption("varint longer than 10 bytes") }
        }
    }

    /// Reads a varint that must fit in `Int` and be at most `limit`.
    mutating func readVarintInt(limit: Int, what: String) throws -> Int {
        let start = position
        let v = try readVarint64()
        guard v <= UInt64(limit) else {
            position = start
            throw corruption("\(what) \(v) exceeds limit \(limit)")
        }
        return Int(v)
    }

    mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw corruption("truncated: expected \(count) bytes, \(remaining) remain")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Reads `varint(n) ‖ n bytes`, with `n` bounded by what remains.
    mutating func readLengthPrefixed(what: String) throws -> [UInt8] {
        let n = try readVarintInt(limit: remaining, what: "\(what) length")
        return Array(try readBytes(n))
    }
}
