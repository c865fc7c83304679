/// The MANIFEST file's framing: a sequence of records, each
/// `fixed32le length ‖ fixed32le masked CRC32C(payload) ‖ payload`.
///
/// Torn is not corrupt. Records are appended and fsynced one at a time, so a crash
/// can only leave the last record *incomplete*: its header or its payload runs past
/// the end of the file (or the rest of the file is zero bytes, what a crash leaves
/// when the file grew before its data reached the disk). That, with nothing intact
/// after it, is a torn tail: the edit was never acknowledged and is dropped. A
/// *complete* record whose checksum fails is damage to an acknowledged edit —
/// corruption, wherever it is, the last record included — and so is an incomplete
/// record followed by an intact one.
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

    /// Damage to a record that was acknowledged: where it starts, how many bytes
    /// from there to the end of the file, and what is wrong.
    struct Damage: Sendable, Equatable {
        let offset: UInt64
        let length: UInt64
        let reason: String
    }

    /// What a read found: the intact records before any torn tail or damage, where
    /// they end, and the torn tail or the damage that follows them (never both).
    struct Contents {
        let records: [Record]
        let validLength: UInt64
        let tornTail: TornTail?
        let damage: Damage?
    }

    /// Splits `bytes` into records up to the first bad one, and classifies what
    /// follows: nothing, a torn tail, or damage (see the type's comment). Never throws:
    /// the caller decides what damage means under its recovery mode.
    static func parse(_ bytes: [UInt8]) -> Contents {
        var records: [Record] = []
        var position = 0
        while position < bytes.count {
            let length: Int
            switch classify(bytes, at: position) {
            case let .intact(payloadLength):
                length = payloadLength
            case let .badChecksum(payloadLength):
                if bytes[position...].allSatisfy({ $0 == 0 }) { return torn(bytes, at: position, records) }
                return Contents(
                    records: records, validLength: UInt64(position), tornTail: nil,
                    damage: damage(bytes, at: position, "a complete record of \(payloadLength) bytes fails its checksum"))
            case .incomplete:
                if bytes[position...].allSatisfy({ $0 == 0 }) { return torn(bytes, at: position, records) }
                let reason: String
                switch resynchronize(bytes, after: position) {
                case .none:
                    return torn(bytes, at: position, records)
                case let .intact(next):
                    reason = "an incomplete record followed by an intact record at offset \(next)"
                case let .undecided(reached):
                    reason = "an incomplete record; searching for intact records after it stopped at offset \(reached), so it is not treated as a torn tail"
                }
                return Contents(
                    records: records, validLength: UInt64(position), tornTail: nil,
                    damage: damage(bytes, at: position, reason))
            }
            let start = position + headerSize
            records.append(Record(offset: UInt64(position), payload: Array(bytes[start..<(start + length)])))
            position = start + length
        }
        return Contents(records: records, validLength: UInt64(position), tornTail: nil, damage: nil)
    }

    private static func torn(_ bytes: [UInt8], at position: Int, _ records: [Record]) -> Contents {
        Contents(
            records: records, validLength: UInt64(position),
            tornTail: TornTail(offset: UInt64(position), length: UInt64(bytes.count - position)), damage: nil)
    }

    private static func damage(_ bytes: [UInt8], at position: Int, _ reason: String) -> Damage {
        Damage(offset: UInt64(position), length: UInt64(bytes.count - position), reason: reason)
    }

    /// What the bytes at a record boundary hold.
    private enum Framing {
        /// A record whose checksum matches, with this payload length.
        case intact(Int)
        /// Header and payload lie within the file, but the checksum differs.
        case badChecksum(Int)
        /// The header, or the payload it announces, runs past the end of the file.
        case incomplete
    }

    private static func classify(_ bytes: [UInt8], at position: Int) -> Framing {
        let remaining = bytes.count - position
        guard remaining >= headerSize else { return .incomplete }
        return bytes.withUnsafeBytes { p -> Framing in
            let length = Int(readFixed32(p, at: position))
            guard length <= remaining - headerSize else { return .incomplete }
            let stored = CRC32C.unmask(readFixed32(p, at: position + 4))
            let start = position + headerSize
            let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: p[start..<(start + length)]))
            return actual == stored ? .intact(length) : .badChecksum(length)
        }
    }

    /// What follows an incomplete record.
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

    /// Looks for an intact record at every byte after the incomplete one at
    /// `position`. A candidate must look like an encoded version edit (first byte
    /// tag 1, the version number; tag 7, the digest, 33 bytes from the end) before
    /// its checksum is computed, so the search costs about one pass over the file
    /// rather than one CRC per byte.
    private static func resynchronize(_ bytes: [UInt8], after position: Int) -> Resynchronization {
        var budget = searchBudget
        var candidate = position + 1
        while candidate + headerSize <= bytes.count {
            if let length = plausibleEditLength(bytes, at: candidate) {
                if budget < length { return .undecided(candidate) }
                budget -= length
                if case .intact = classify(bytes, at: candidate) { return .intact(candidate) }
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
/// made durable with `fdatasync` before `append` returns. A `write` that fails for
/// lack of space is undone (the file cut back to the last good record) and the
/// writer stays usable. After any other failed append (whose bytes may or may not
/// have reached the disk) the writer cuts the file back, best effort, and refuses
/// further appends with `.closed`: the caller must reopen, and recovery settles
/// what is durable.
final class ManifestLogWriter {
    let path: String
    private let handle: any WritableFile
    /// The end of the last record known to be written in full.
    private(set) var length: UInt64
    private var failure: LSMError?

    /// Creates (truncating) a new log at `path` through `fileSystem`.
    static func create(path: String, fileSystem: any FileSystem) throws -> ManifestLogWriter {
        let handle = try fileSystem.create(path)
        try handle.sync()
        return ManifestLogWriter(path: path, handle: try fileSystem.openForAppending(path), length: 0)
    }

    /// Opens an existing log whose first `validLength` bytes are intact records,
    /// cutting off (and syncing) anything after them.
    static func openForAppending(path: String, validLength: UInt64, fileSystem: any FileSystem) throws -> ManifestLogWriter {
        let handle = try fileSystem.openForAppending(path)
        if try handle.size() != validLength {
            try handle.truncate(to: validLength)
            try handle.sync()
        }
        return ManifestLogWriter(path: path, handle: handle, length: validLength)
    }

    private init(path: String, handle: any WritableFile, length: UInt64) {
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
        } catch let error as LSMError where error.isOutOfSpace {
            // Nothing was synced: with the partial record cut off again the log is
            // exactly as before, and the edit can be retried once space returns.
            if (try? handle.rewind(to: length)) != nil { throw error }
            failure = .closed(reason: "appending to \(path) failed: \(error)")
            throw error
        } catch {
            failure = .closed(reason: "appending to \(path) failed: \(error)")
            try? handle.truncate(to: length)
            throw error
        }
        do {
            try handle.syncData()
        } catch {
            failure = .closed(reason: "syncing \(path) failed: \(error)")
            try? handle.truncate(to: length)
            throw error
        }
        length += UInt64(framed.count)
    }
}
