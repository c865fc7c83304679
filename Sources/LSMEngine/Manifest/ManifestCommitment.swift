import ScribeCrypto

/// The bytes a manifest version commits to, and the hashes built from them.
/// docs/formats.md specifies every byte; a verifier needs nothing else.
///
/// - Segment record (Merkle leaf input):
///   `varint(len id) ‖ id ‖ u8 level ‖ root(32) ‖ varint(len smallestKey) ‖ smallestKey ‖
///   varint(len largestKey) ‖ largestKey ‖ fixed64 smallestSequence ‖ fixed64 largestSequence ‖
///   fixed64 entryCount ‖ fixed64 fileSize ‖ fixed32 blockCount` (keys are encoded internal keys).
/// - Manifest root: RFC 6962 tree hash over the records' leaf hashes in commitment
///   order (`Version.commitmentPrecedes`).
/// - Version header: `fixed64 versionNumber ‖ fixed64 lastSequence ‖ fixed32 segmentCount ‖ manifestRoot(32)`.
/// - Digest: `digest(n) = SHA-256(digest(n-1) ‖ header(n))`, `digest(0)` = 32 zero bytes.
package enum ManifestCommitment {
    /// `digest(0)`: the value the chain starts from.
    package static let genesisDigest = [UInt8](repeating: 0, count: SHA256.digestSize)
    /// The size of a version header in bytes.
    package static let headerSize = 8 + 8 + 4 + SHA256.digestSize
    /// The longest segment id a record may carry (`SegmentID`'s own limit).
    static let maxIDLength = 128

    /// Appends the segment's record encoding to `out`. Costs one pass over the keys.
    package static func appendRecord(_ segment: SegmentMetadata, to out: inout [UInt8]) {
        out.appendLengthPrefixed(segment.id.rawValue.utf8)
        out.append(UInt8(truncatingIfNeeded: segment.level))
        out.append(contentsOf: segment.root)
        out.appendLengthPrefixed(segment.smallestKey.encoded)
        out.appendLengthPrefixed(segment.largestKey.encoded)
        out.appendFixed64(segment.smallestSequence)
        out.appendFixed64(segment.largestSequence)
        out.appendFixed64(segment.entryCount)
        out.appendFixed64(segment.fileSize)
        out.appendFixed32(segment.blockCount)
    }

    /// The segment's record encoding (the Merkle leaf input).
    package static func record(_ segment: SegmentMetadata) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(segment.id.rawValue.utf8.count + segment.smallestKey.userKey.count
            + segment.largestKey.userKey.count + 100)
        appendRecord(segment, to: &out)
        return out
    }

    /// SHA-256(0x00 ‖ record): the segment's leaf in the manifest tree.
    package static func leafHash(_ segment: SegmentMetadata) -> [UInt8] {
        MerkleTree.leafHash(record(segment))
    }

    /// The manifest root over leaf hashes already in commitment order. The root of no
    /// segments is SHA-256 of the empty string (RFC 6962's empty tree).
    package static func root(ofLeafHashes hashes: [[UInt8]]) -> [UInt8] {
        MerkleTree.root(of: hashes)
    }

    /// `fixed64 versionNumber ‖ fixed64 lastSequence ‖ fixed32 segmentCount ‖ manifestRoot`.
    package static func header(
        versionNumber: UInt64, lastSequence: SequenceNumber, segmentCount: Int, manifestRoot: [UInt8]
    ) -> [UInt8] {
        precondition(manifestRoot.count == SHA256.digestSize, "a manifest root is 32 bytes")
        precondition(segmentCount >= 0 && segmentCount <= Int(UInt32.max), "segment count out of range")
        var out: [UInt8] = []
        out.reserveCapacity(headerSize)
        out.appendFixed64(versionNumber)
        out.appendFixed64(lastSequence)
        out.appendFixed32(UInt32(segmentCount))
        out.append(contentsOf: manifestRoot)
        return out
    }

    /// `SHA-256(previous ‖ header)`: the digest of the version whose header is given.
    package static func digest(previous: [UInt8], header: [UInt8]) -> [UInt8] {
        var h = SHA256.Hasher()
        h.update(previous)
        h.update(header)
        return h.finalize()
    }

    /// Decodes one whole record (exactly `bytes`) from untrusted input, with the
    /// checks of the reader form below; `origin` names the bytes in errors.
    package static func decodeRecord(_ bytes: [UInt8], origin: String) throws -> SegmentMetadata {
        var reader = ByteReader(bytes, file: origin)
        let segment = try decodeRecord(&reader)
        guard reader.isAtEnd else { throw reader.corruption("trailing bytes after segment record") }
        return segment
    }

    /// Decodes one record from untrusted bytes, validating every field: the id through
    /// `SegmentID(rawValue:)`, the level in `0..<Version.maxLevels`, a 32-byte root,
    /// internal keys of at least 8 bytes with a known kind, smallestKey ≤ largestKey and
    /// smallestSequence ≤ largestSequence. Throws `.corruption` at the bad field.
    static func decodeRecord(_ reader: inout ByteReader) throws -> SegmentMetadata {
        let idLength = try reader.readVarintInt(limit: min(maxIDLength, reader.remaining), what: "segment id length")
        let idStart = reader.position
        let idBytes = try reader.readBytes(idLength)
        guard let id = SegmentID(rawValue: String(decoding: idBytes, as: UTF8.self)),
              id.rawValue.utf8.elementsEqual(idBytes) else {
            throw LSMError.corruption(
                file: reader.file, offset: reader.baseOffset + UInt64(idStart), reason: "invalid segment id")
        }
        let levelByte = try reader.readByte()
        guard Int(levelByte) < Version.maxLevels else {
            throw reader.corruption("segment level \(levelByte) is not below \(Version.maxLevels)")
        }
        let root = Array(try reader.readBytes(SHA256.digestSize))
        let smallestKey = try readInternalKey(&reader, what: "smallest key")
        let largestKey = try readInternalKey(&reader, what: "largest key")
        let smallestSequence = try reader.readFixed64()
        let largestSequence = try reader.readFixed64()
        let entryCount = try reader.readFixed64()
        let fileSize = try reader.readFixed64()
        let blockCount = try reader.readFixed32()
        guard blockCount > 0, UInt64(blockCount) <= entryCount else {
            throw reader.corruption("segment \(id): \(blockCount) blocks for \(entryCount) entries")
        }
        guard !(largestKey < smallestKey) else { throw reader.corruption("segment \(id): largest key below smallest key") }
        guard smallestSequence <= largestSequence else {
            throw reader.corruption("segment \(id): largest sequence below smallest sequence")
        }
        return SegmentMetadata(
            id: id, level: Int(levelByte), root: root, smallestKey: smallestKey, largestKey: largestKey,
            smallestSequence: smallestSequence, largestSequence: largestSequence,
            entryCount: entryCount, fileSize: fileSize, blockCount: blockCount)
    }

    private static func readInternalKey(_ reader: inout ByteReader, what: String) throws -> InternalKey {
        let start = reader.position
        let bytes = try reader.readLengthPrefixed(what: what)
        guard let key = InternalKey(encoded: bytes) else {
            throw LSMError.corruption(
                file: reader.file, offset: reader.baseOffset + UInt64(start),
                reason: "\(what) is not an internal key (under 8 bytes or unknown kind)")
        }
        return key
    }

    /// Why `segment` could not be committed, or nil when it can: the same checks
    /// `decodeRecord` applies, so whatever the engine writes it can read back.
    static func invalidity(of segment: SegmentMetadata) -> String? {
        if segment.level < 0 || segment.level >= Version.maxLevels {
            return "segment \(segment.id): level \(segment.level) outside 0..<\(Version.maxLevels)"
        }
        if segment.root.count != SHA256.digestSize { return "segment \(segment.id): root is not 32 bytes" }
        if segment.largestKey < segment.smallestKey { return "segment \(segment.id): largest key below smallest key" }
        if segment.blockCount == 0 || UInt64(segment.blockCount) > segment.entryCount {
            return "segment \(segment.id): \(segment.blockCount) blocks for \(segment.entryCount) entries"
        }
        if segment.smallestSequence > segment.largestSequence {
            return "segment \(segment.id): largest sequence below smallest sequence"
        }
        return nil
    }
}
