import ScribeCrypto

/// What a segment says about itself, stored in its properties block (raw form):
///
/// | field | encoding |
/// |---|---|
/// | format version | `fixed32le` |
/// | segment id | `varint(len) ‖ ASCII` |
/// | level | `fixed32le` (≤ 255) |
/// | entry count | `fixed64le` |
/// | data size (raw bytes of all data blocks) | `fixed64le` |
/// | smallest internal key | `varint(len) ‖ key` |
/// | largest internal key | `varint(len) ‖ key` |
/// | smallest sequence | `fixed64le` |
/// | largest sequence | `fixed64le` |
/// | creation time (unix ms) | `fixed64le` |
/// | compression | 1 byte (`SegmentCompression`) |
/// | block count | `fixed64le` |
/// | segment Merkle root | 32 bytes |
///
/// Nothing may follow the root.
struct SegmentProperties: Equatable, Sendable {
    static let maxLevel = 255

    var formatVersion: UInt32
    var id: SegmentID
    var level: Int
    var entryCount: UInt64
    var dataSize: UInt64
    var smallestKey: InternalKey
    var largestKey: InternalKey
    var smallestSequence: SequenceNumber
    var largestSequence: SequenceNumber
    var creationTime: UInt64
    var compression: SegmentCompression
    var blockCount: UInt64
    var root: [UInt8]

    func encode() -> [UInt8] {
        var out: [UInt8] = []
        out.appendFixed32(formatVersion)
        out.appendLengthPrefixed(Array(id.rawValue.utf8))
        out.appendFixed32(UInt32(level))
        out.appendFixed64(entryCount)
        out.appendFixed64(dataSize)
        out.appendLengthPrefixed(smallestKey.encoded)
        out.appendLengthPrefixed(largestKey.encoded)
        out.appendFixed64(smallestSequence)
        out.appendFixed64(largestSequence)
        out.appendFixed64(creationTime)
        out.append(compression.rawValue)
        out.appendFixed64(blockCount)
        out.append(contentsOf: root)
        return out
    }

    /// Parses a raw properties block and checks it is self-consistent: a valid
    /// id equal to `SegmentID(level:smallestSequence:largestSequence:root:)`,
    /// level ≤ 255, valid internal keys with smallest ≤ largest, sequence range
    /// ordered and containing both keys' sequences, at least one entry and
    /// block and no more blocks than entries, a known compression kind, a
    /// 32-byte root and no trailing bytes. `offset` is the block's file offset.
    static func decode(_ bytes: [UInt8], file: String, offset: UInt64) throws -> SegmentProperties {
        var r = ByteReader(bytes, file: file, baseOffset: offset)
        func fail(_ reason: String) -> LSMError {
            .corruption(file: file, offset: offset, reason: "properties: \(reason)")
        }
        let version = try r.readFixed32()
        let idBytes = try r.readLengthPrefixed(what: "segment id")
        guard let id = SegmentID(rawValue: String(decoding: idBytes, as: UTF8.self)),
              Array(id.rawValue.utf8) == idBytes
        else { throw fail("invalid segment id") }
        let level = try r.readFixed32()
        guard level <= UInt32(maxLevel) else { throw fail("level \(level) exceeds \(maxLevel)") }
        let entryCount = try r.readFixed64()
        let dataSize = try r.readFixed64()
        guard let smallest = InternalKey(encoded: try r.readLengthPrefixed(what: "smallest key")) else {
            throw fail("smallest key is not an internal key")
        }
        guard let largest = InternalKey(encoded: try r.readLengthPrefixed(what: "largest key")) else {
            throw fail("largest key is not an internal key")
        }
        let smallestSequence = try r.readFixed64()
        let largestSequence = try r.readFixed64()
        let creationTime = try r.readFixed64()
        let compressionByte = try r.readByte()
        guard let compression = SegmentCompression(rawValue: compressionByte) else {
            throw fail("unknown compression kind \(compressionByte)")
        }
        let blockCount = try r.readFixed64()
        let root = Array(try r.readBytes(SHA256.digestSize))
        guard r.isAtEnd else { throw r.corruption("properties: \(r.remaining) trailing bytes") }
        let p = SegmentProperties(
            formatVersion: version, id: id, level: Int(level), entryCount: entryCount, dataSize: dataSize,
            smallestKey: smallest, largestKey: largest, smallestSequence: smallestSequence,
            largestSequence: largestSequence, creationTime: creationTime, compression: compression,
            blockCount: blockCount, root: root)
        guard entryCount >= 1, blockCount >= 1, blockCount <= entryCount, blockCount <= UInt64(UInt32.max) else {
            throw fail("\(entryCount) entries in \(blockCount) blocks")
        }
        guard smallestSequence <= largestSequence, !(largest < smallest) else { throw fail("key or sequence range reversed") }
        let sequences = smallestSequence...largestSequence
        guard sequences.contains(smallest.sequence), sequences.contains(largest.sequence) else {
            throw fail("key sequences outside the sequence range")
        }
        guard id == p.derivedID else { throw fail("id \(id) does not match the content (\(p.derivedID))") }
        return p
    }

    /// The id these properties imply.
    var derivedID: SegmentID {
        SegmentID(level: level, smallestSequence: smallestSequence, largestSequence: largestSequence, root: root)
    }

    /// The manifest's view of the segment.
    func metadata(fileSize: UInt64) -> SegmentMetadata {
        SegmentMetadata(
            id: id, level: level, root: root, smallestKey: smallestKey, largestKey: largestKey,
            smallestSequence: smallestSequence, largestSequence: largestSequence, entryCount: entryCount,
            fileSize: fileSize, blockCount: UInt32(clamping: blockCount))
    }
}
