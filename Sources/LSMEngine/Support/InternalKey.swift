import ScribeVerifier
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ScribeBytes

/// A write's position in the store's total order. 56 bits are usable: the
/// engine packs it with the entry kind into one 64-bit trailer.
public typealias SequenceNumber = UInt64

/// The largest sequence number the engine can assign (2^56 - 1).
public let maxSequenceNumber: SequenceNumber = (1 << 56) - 1

/// What an entry records for its key.
public enum ValueKind: UInt8, Sendable, Equatable {
    /// A tombstone: the key was deleted at this sequence.
    case delete = 0
    /// A value was written at this sequence.
    case put = 1
}

/// The 8-byte trailer that follows a user key inside an internal key:
/// `fixed64le(sequence << 8 | kind)`.
@usableFromInline
package struct KeyTrailer: Equatable, Sendable {
    @usableFromInline package let rawValue: UInt64

    @inlinable package init(rawValue: UInt64) { self.rawValue = rawValue }

    @inlinable package init(sequence: SequenceNumber, kind: ValueKind) {
        rawValue = (sequence << 8) | UInt64(kind.rawValue)
    }

    @inlinable var sequence: SequenceNumber { rawValue >> 8 }
    @inlinable var kindByte: UInt8 { UInt8(truncatingIfNeeded: rawValue) }

    /// The trailer to seek with: sorts before every entry of the same user key
    /// whose sequence is at most `sequence`.
    @inlinable package static func seek(_ sequence: SequenceNumber) -> KeyTrailer {
        KeyTrailer(rawValue: (sequence << 8) | 0xFF)
    }
}

/// Orders internal keys: user key ascending (bytewise), then trailer descending,
/// so the newest version of a key comes first.
@inlinable
func compareInternal(
    _ aKey: UnsafeRawBufferPointer, _ aTrailer: UInt64,
    _ bKey: UnsafeRawBufferPointer, _ bTrailer: UInt64
) -> Int {
    let c = ByteOrder.compare(aKey, bKey)
    if c != 0 { return c }
    if aTrailer > bTrailer { return -1 }
    if aTrailer < bTrailer { return 1 }
    return 0
}

/// Splits an encoded internal key (`userKey ‖ fixed64le(trailer)`) into its parts.
/// Returns nil when it is shorter than 8 bytes.
@inlinable
func splitInternalKey(_ key: UnsafeRawBufferPointer) -> (userKey: UnsafeRawBufferPointer, trailer: UInt64)? {
    guard key.count >= 8 else { return nil }
    let userKey = UnsafeRawBufferPointer(rebasing: key[0..<(key.count - 8)])
    return (userKey, readFixed64(key, at: key.count - 8))
}

/// Three-way comparison of two encoded internal keys. Keys shorter than 8
/// bytes (only possible in corrupt input) order by raw bytes so comparison
/// stays total and never traps.
@inlinable
func compareEncodedInternalKeys(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    guard let sa = splitInternalKey(a), let sb = splitInternalKey(b) else {
        return ByteOrder.compare(a, b)
    }
    return compareInternal(sa.userKey, sa.trailer, sb.userKey, sb.trailer)
}

/// An owned internal key: user key plus sequence and kind.
public struct InternalKey: Equatable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let userKey: [UInt8]
    public let sequence: SequenceNumber
    public let kind: ValueKind

    public init(userKey: [UInt8], sequence: SequenceNumber, kind: ValueKind) {
        self.userKey = userKey
        self.sequence = sequence
        self.kind = kind
    }

    @usableFromInline var trailer: KeyTrailer { KeyTrailer(sequence: sequence, kind: kind) }

    /// `userKey ‖ fixed64le(sequence << 8 | kind)`.
    public var encoded: [UInt8] {
        var out = userKey
        out.reserveCapacity(userKey.count + 8)
        out.appendFixed64(trailer.rawValue)
        return out
    }

    /// Decodes `userKey ‖ fixed64le(trailer)`; nil when too short or the kind byte is unknown.
    public init?(encoded: some Collection<UInt8>) {
        let bytes = Array(encoded)
        guard bytes.count >= 8 else { return nil }
        let t = bytes.withUnsafeBytes { readFixed64($0, at: bytes.count - 8) }
        guard let kind = ValueKind(rawValue: UInt8(truncatingIfNeeded: t)) else { return nil }
        self.init(userKey: Array(bytes[0..<(bytes.count - 8)]), sequence: t >> 8, kind: kind)
    }

    public static func < (a: InternalKey, b: InternalKey) -> Bool {
        a.userKey.withUnsafeBytes { ka in
            b.userKey.withUnsafeBytes { kb in
                compareInternal(ka, a.trailer.rawValue, kb, b.trailer.rawValue) < 0
            }
        }
    }

    public var description: String {
        "\(Hex.encode(userKey))@\(sequence)/\(kind == .put ? "put" : "del")"
    }
}
