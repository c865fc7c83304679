/// The MANIFEST file's framing: a sequence of records, each
/// `fixed32le length ‖ fixed32le masked CRC32C(payload) ‖ payload`.
///
/// A crash can only tear the end of the file (records are appended and fsynced one
/// at a time), so a bad record with nothing valid after it is a torn tail, dropped;
/// a bad record followed by a valid one is corruption.
enum ManifestLog {
    /// Bytes before each payload.
    static let headerSize = 8

    /// `header ‖ payload`, ready to append.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count <= Int(UInt32.max), "manifest record too large")
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + payload.count)
        out.appendFixed32(UInt32(payload.count))
        out.appendFixed32(CRC32C.mask(CRC32C.checksum(payload)))
        out.append(contentsOf: payload)
        return out
    }

    /// One intact record: its payload and the file offset of its header.
    struct Record {
        let offset: UInt64
        let payload: [UInt8]
    }

    /// The bytes dropped at the end of a log a crash tore.
    struct TornTail: Sendable, Equatable {
        /// Where the torn record starts (the length of the intact prefix).
        let offset: UInt64
        /// How many bytes follow it.
        let length: UInt64
    }

    /// What a read found: the intact records, where they end, and any torn tail.
    struct Contents {
        let records: [Record]
        let validLength: UInt64
        let tornTail: TornTail?
    }

    /// Reads every record of the file at `path` (one read of the whole file).
    /// Throws `.corruption` when a bad record (bad CRC, or a length running past the
    /// end) is followed by an intact one; otherwise reports the bad suffix as a torn tail.
    static func read(path: String) throws -> Contents {
        let handle = try FileHandle.openForReading(path)
        let size = try handle.size()
        guard size <= UInt64(Int.max) else {
            throw LSMError.corruption(file: path, offset: 0, reason: "file of \(size) bytes is too large")
        }
        let bytes = try handle.read(at: 0, count: Int(size))
        return try parse(bytes, file: path)
    }

    /// Splits `bytes` into records; see `read(path:)`.
    static func parse(_ bytes: [UInt8], file: String) throws -> Contents {
        var records: [Record] = []
        var position = 0
        while position < bytes.count {
            guard let length = intactRecordLength(bytes, at: position) else {
                switch resynchronize(bytes, after: position) {
                case let .intact(next):
                    throw LSMError.corruption(
                        file: file, offset: UInt64(position),
                        reason: "bad manifest record (length or checksum) followed by an intact record at offset \(next)")
                case let .undecided(reached):
                    throw LSMError.corruption(
                        file: file, offset: UInt64(position),
                        reason: "bad manifest record; searching for intact records after it stopped at offset \(reached), so it is not treated as a torn tail")
                case .none:
                    return Contents(
                        records: records, validLength: UInt64(position),
                        tornTail: TornTail(offset: UInt64(position), length: UInt64(bytes.count - position)))
                }
            }
            let start = position + headerSize
            records.append(Record(offset: UInt64(position), payload: Array(bytes[start..<(start + length)])))
            position = start + length
        }
        return Contents(records: records, validLength: UInt64(position), tornTail: nil)
    }

    /// The payload length of the record at `position` when its header and payload
    /// lie within `bytes` and the checksum matches; nil otherwise.
    private static func intactRecordLength(_ bytes: [UInt8], at position: Int) -> Int? {
        let remaining = bytes.count - position
        guard remaining >= headerSize else { return nil }
        return bytes.withUnsafeBytes { p -> Int? in
            let length = Int(readFixed32(p, at: position))
            guard length <= remaining - headerSize else { return nil }
            let stored = CRC32C.unmask(readFixed32(p, at: position + 4))
            let start = position + headerSize
            let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: p[start..<(start + length)]))
            return actual == stored ? length : nil
        }
    }

    /// What follows a bad record.
    private enum Resynchronization {
        /// An intact record starts at this offset: the damage is mid-log.
        case intact(Int)
        /// The search budget ran out at this offset; treated as mid-log (the safe side).
        case undecided(Int)
        /// Nothing intact follows: a torn tail.
        case none
    }

    /// Bytes of checksumming a search may spend before it gives up undecided.
    private static let searchBudget = 1 << 30

    /// Looks for an intact record after the bad one at `position`: first where the
    /// bad record's own length points, then at every byte. A candidate must look
    /// like an encoded version edit (first byte tag 1, the version number; tag 7,
    /// the digest, 33 bytes from the end) before its checksum is computed, so the
    /// search costs about one pass over the file rather than one CRC per byte.
    private static func resynchronize(_ bytes: [UInt8], after position: Int) -> Resynchronization {
        if bytes.count - position >= headerSize {
            let claimed = bytes.withUnsafeBytes { Int(readFixed32($0, at: position)) }
            let next = position + headerSize + claimed
            if claimed <= bytes.count - position - headerSize, next < bytes.count,
               intactRecordLength(bytes, at: next) != nil {
                return .intact(next)
            }
        }
        var budget = searchBudget
        var candidate = position + 1
        while candidate + headerSize <= bytes.count {
            if let length = plausibleEditLength(bytes, at: candidate) {
                if budget < length { return .undecided(candidate) }
                budget -= length
                if intactRecordLength(bytes, at: candidate) != nil { return .intact(candidate) }
            }
            candidate += 1
        }
        return .none
    }

    /// The payload length at `position` when the header's length fits the file and
    /// the payload's first and digest-tag bytes are those of an encoded version edit.
    private static func plausibleEditLength(_ bytes: [UInt8], at position: Int) -> Int? {
        let remaining = bytes.count - position - headerSize
        let length = bytes.withUnsafeBytes { Int(readFixed32($0, at: position)) }
        guard length >= 34, length <= remaining else { return nil }
        let start = position + headerSize
        guard bytes[start] == UInt8(VersionEdit.Tag.versionNumber.rawValue),
              bytes[start + length - 33] == UInt8(VersionEdit.Tag.digest.rawValue) else { return nil }
        return length
    }
}

/// Appends framed records to a MANIFEST file, each written in one `write` and
/// made durable with `fdatasync` before `append` returns. After a failed append
/// (whose bytes may or may not have reached the disk) the writer cuts the file
/// back to the last good record, best effort, and refuses further appends with
/// `.closed`: the caller must reopen, and recovery settles what is durable.
final class ManifestLogWriter {
    let path: String
    private let handle: FileHandle
    /// The end of the last record known to be written in full.
    private(set) var length: UInt64
    private var failure: LSMError?

    /// Creates (truncating) a new log at `path`.
    static func create(path: String) throws -> ManifestLogWriter {
        let handle = try FileHandle.create(path)
        try handle.sync()
        return ManifestLogWriter(path: path, handle: try FileHandle.openForAppending(path), length: 0)
    }

    /// Opens an existing log whose first `validLength` bytes are intact records,
    /// cutting off (and syncing) anything after them.
    static func openForAppending(path: String, validLength: UInt64) throws -> ManifestLogWriter {
        let handle = try FileHandle.openForAppending(path)
        if try handle.size() != validLength {
            try handle.truncate(to: validLength)
            try handle.sync()
        }
        return ManifestLogWriter(path: path, handle: handle, length: validLength)
    }

    private init(path: String, handle: FileHandle, length: UInt64) {
        self.path = path
        self.handle = handle
        self.length = length
    }

    /// Frames `payload`, appends it and syncs. Costs one write and one fdatasync.
    func append(_ payload: [UInt8]) throws {
        if let failure { throw failure }
        let framed = ManifestLog.frame(payload)
        do {
            try handle.write(framed)
            try handle.syncData()
        } catch {
            failure = .closed(reason: "appending to \(path) failed: \(error)")
            try? handle.truncate(to: length)
            throw error
        }
        length += UInt64(framed.count)
    }
}
