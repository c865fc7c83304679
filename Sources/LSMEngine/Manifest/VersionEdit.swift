import ScribeCrypto

/// One change to the set of live segments, as recorded in the MANIFEST: the
/// segments added and removed, and the WAL and sequence bookkeeping that moved
/// with them. `VersionSet.apply` fills in `versionNumber`, `nextFileNumber` and
/// `digest` before it writes the edit.
///
/// Encoding: a sequence of `varint(tag) ‖ field` pairs (docs/formats.md).
/// New fields get new tags; an unknown tag is corruption, because a reader that
/// skipped a field it does not understand could compute a different version.
struct VersionEdit: Sendable, Equatable {
    /// WAL files numbered below this are fully contained in segments and may be deleted.
    var logNumber: UInt64?
    /// The next unused file number (numbers WAL and manifest files).
    var nextFileNumber: UInt64?
    /// The largest sequence whose data is in segments or in WALs older than `logNumber`.
    var lastSequence: SequenceNumber?
    /// Segments that become live, each at its own `level`.
    var added: [SegmentMetadata] = []
    /// Segments that stop being live, by level and id.
    var removed: [(level: Int, id: SegmentID)] = []
    /// The version this edit produces (0 until the VersionSet assigns it).
    var versionNumber: UInt64 = 0
    /// The produced version's digest (empty until the VersionSet computes it).
    var digest: [UInt8] = []
    /// Only in the first edit of a store rebuilt from object storage: the digest of
    /// the published version before this one, which this edit's digest chains from.
    var chainBase: [UInt8]?

    init(
        logNumber: UInt64? = nil, nextFileNumber: UInt64? = nil, lastSequence: SequenceNumber? = nil,
        added: [SegmentMetadata] = [], removed: [(level: Int, id: SegmentID)] = []
    ) {
        self.logNumber = logNumber
        self.nextFileNumber = nextFileNumber
        self.lastSequence = lastSequence
        self.added = added
        self.removed = removed
    }

    static func == (a: VersionEdit, b: VersionEdit) -> Bool {
        a.logNumber == b.logNumber && a.nextFileNumber == b.nextFileNumber && a.lastSequence == b.lastSequence
            && a.added == b.added && a.versionNumber == b.versionNumber && a.digest == b.digest
            && a.chainBase == b.chainBase
            && a.removed.count == b.removed.count
            && zip(a.removed, b.removed).allSatisfy { $0.level == $1.level && $0.id == $1.id }
    }

    /// Field tags. Values are part of the on-disk format and never reused.
    enum Tag: UInt64 {
        case versionNumber = 1
        case logNumber = 2
        case nextFileNumber = 3
        case lastSequence = 4
        case removedSegment = 5
        case addedSegment = 6
        case digest = 7
        case chainBase = 8
    }

    /// The tagged encoding: `versionNumber` (only when non-zero), `chainBase` (when
    /// present), the other scalar fields present, then removals, additions and the
    /// digest, in that order.
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        func scalar(_ tag: Tag, _ value: UInt64?) {
            guard let value else { return }
            out.appendVarint(tag.rawValue)
            out.appendVarint(value)
        }
        scalar(.versionNumber, versionNumber == 0 ? nil : versionNumber)
        if let chainBase {
            out.appendVarint(Tag.chainBase.rawValue)
            out.append(contentsOf: chainBase)
        }
        scalar(.logNumber, logNumber)
        scalar(.nextFileNumber, nextFileNumber)
        scalar(.lastSequence, lastSequence)
        for r in removed {
            out.appendVarint(Tag.removedSegment.rawValue)
            out.appendVarint(UInt64(r.level))
            out.appendLengthPrefixed(r.id.rawValue.utf8)
        }
        for segment in added {
            out.appendVarint(Tag.addedSegment.rawValue)
            out.appendLengthPrefixed(ManifestCommitment.record(segment))
        }
        if !digest.isEmpty {
            out.appendVarint(Tag.digest.rawValue)
            out.append(contentsOf: digest)
        }
        return out
    }

    /// Decodes an edit from untrusted bytes (`file` and `offset` locate them for
    /// errors). Throws `.corruption` on an unknown or repeated scalar tag, a
    /// truncated or over-long field, an invalid segment id, level or record, or
    /// trailing bytes inside an added-segment field. Allocates at most what the
    /// input holds.
    static func decode(_ bytes: [UInt8], file: String, offset: UInt64) throws -> VersionEdit {
        var reader = ByteReader(bytes, file: file, baseOffset: offset)
        var edit = VersionEdit()
        var seen = Set<UInt64>()
        while !reader.isAtEnd {
            let tagStart = reader.position
            let rawTag = try reader.readVarint64()
            guard let tag = Tag(rawValue: rawTag) else {
                throw LSMError.corruption(
                    file: file, offset: offset + UInt64(tagStart), reason: "unknown version edit tag \(rawTag)")
            }
            if tag != .removedSegment && tag != .addedSegment {
                guard seen.insert(rawTag).inserted else {
                    throw LSMError.corruption(
                        file: file, offset: offset + UInt64(tagStart), reason: "repeated version edit tag \(rawTag)")
                }
            }
            switch tag {
            case .versionNumber:
                edit.versionNumber = try reader.readVarint64()
                guard edit.versionNumber != 0 else { throw reader.corruption("version number 0") }
            case .logNumber: edit.logNumber = try readFileNumber(&reader, what: "log number")
            case .nextFileNumber: edit.nextFileNumber = try readFileNumber(&reader, what: "next file number")
            case .lastSequence:
                let sequence = try reader.readVarint64()
                guard sequence <= maxSequenceNumber else { throw reader.corruption("last sequence \(sequence) too large") }
                edit.lastSequence = sequence
            case .removedSegment: edit.removed.append(try decodeRemoval(&reader))
            case .addedSegment: edit.added.append(try decodeAddition(&reader))
            case .digest: edit.digest = Array(try reader.readBytes(SHA256.digestSize))
            case .chainBase: edit.chainBase = Array(try reader.readBytes(SHA256.digestSize))
            }
        }
        return edit
    }

    private static func readFileNumber(_ reader: inout ByteReader, what: String) throws -> UInt64 {
        let number = try reader.readVarint64()
        guard number <= StoreFiles.maxFileNumber else { throw reader.corruption("\(what) \(number) exceeds \(StoreFiles.maxFileNumber)") }
        return number
    }

    private static func decodeRemoval(_ reader: inout ByteReader) throws -> (level: Int, id: SegmentID) {
        let level = try reader.readVarintInt(limit: Version.maxLevels - 1, what: "removed segment level")
        let start = reader.position
        let idBytes = try reader.readLengthPrefixed(what: "removed segment id")
        guard idBytes.count <= ManifestCommitment.maxIDLength,
              let id = SegmentID(rawValue: String(decoding: idBytes, as: UTF8.self)),
              id.rawValue.utf8.elementsEqual(idBytes) else {
            throw LSMError.corruption(
                file: reader.file, offset: reader.baseOffset + UInt64(start), reason: "invalid removed segment id")
        }
        return (level, id)
    }

    private static func decodeAddition(_ reader: inout ByteReader) throws -> SegmentMetadata {
        let length = try reader.readVarintInt(limit: Int(UInt32.max), what: "added segment record length")
        let start = reader.position
        guard length <= reader.remaining else {
            throw reader.corruption("added segment record of \(length) bytes runs past the end")
        }
        var record = ByteReader(
            reader.bytes, range: start..<(start + length), file: reader.file, baseOffset: reader.baseOffset)
        let segment = try ManifestCommitment.decodeRecord(&record)
        guard record.isAtEnd else { throw record.corruption("trailing bytes after segment record") }
        _ = try reader.readBytes(length)
        return segment
    }
}
