/// The byte encodings a verifier hashes (docs/proofs.md, "Byte layouts").
/// Little-endian fixed-width integers and LEB128 varints, as in the engine's formats.
public enum ProofEncoding {
    /// The leaf input of a segment entry:
    /// `varint(len key) ‖ key ‖ fixed64(sequence << 8 | kind) ‖ valueHash ‖ varint(len nextKey) ‖ nextKey`.
    public static func entryLeafInput(_ entry: ProofEntry) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entry.key.count + entry.nextKey.count + 60)
        appendLengthPrefixed(entry.key, to: &out)
        appendFixed64(entry.sequence << 8 | UInt64(entry.kind.byte), to: &out)
        out.append(contentsOf: entry.valueHash)
        appendLengthPrefixed(entry.nextKey, to: &out)
        return out
    }

    /// The leaf input of a data block in its segment's tree: `fixed32 entryCount ‖ blockRoot`.
    public static func blockLeafInput(entryCount: UInt32, blockRoot: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + blockRoot.count)
        appendFixed32(entryCount, to: &out)
        out.append(contentsOf: blockRoot)
        return out
    }

    /// The leaf input of a segment record in the manifest tree:
    /// `varint(len id) ‖ id ‖ u8 level ‖ root ‖ varint(len smallestKey) ‖ smallestKey ‖
    /// varint(len largestKey) ‖ largestKey ‖ fixed64 smallestSequence ‖ fixed64 largestSequence ‖
    /// fixed64 entryCount ‖ fixed64 fileSize ‖ fixed32 blockCount`.
    public static func recordLeafInput(_ record: SegmentRecord) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(record.id.utf8.count + record.smallestKey.count + record.largestKey.count + 90)
        appendLengthPrefixed(Array(record.id.utf8), to: &out)
        out.append(record.level)
        out.append(contentsOf: record.root)
        appendLengthPrefixed(record.smallestKey, to: &out)
        appendLengthPrefixed(record.largestKey, to: &out)
        appendFixed64(record.smallestSequence, to: &out)
        appendFixed64(record.largestSequence, to: &out)
        appendFixed64(record.entryCount, to: &out)
        appendFixed64(record.fileSize, to: &out)
        appendFixed32(record.blockCount, to: &out)
        return out
    }

    /// A manifest version header: `fixed64 version ‖ fixed64 lastSequence ‖ fixed32 segmentCount ‖ manifestRoot`.
    public static func header(version: UInt64, lastSequence: UInt64, segmentCount: UInt32, manifestRoot: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerSize)
        appendFixed64(version, to: &out)
        appendFixed64(lastSequence, to: &out)
        appendFixed32(segmentCount, to: &out)
        out.append(contentsOf: manifestRoot)
        return out
    }

    /// The size of a version header.
    public static let headerSize = 52

    /// The little-endian integer in `bytes[offset..<offset+8]`; the caller checks the bounds.
    static func readFixed64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }

    private static func appendFixed64(_ value: UInt64, to out: inout [UInt8]) {
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    private static func appendFixed32(_ value: UInt32, to out: inout [UInt8]) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }

    private static func appendLengthPrefixed(_ bytes: [UInt8], to out: inout [UInt8]) {
        var length = UInt64(bytes.count)
        while length >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        out.append(UInt8(length))
        out.append(contentsOf: bytes)
    }
}
