import ScribeBytes
import ScribeCrypto


/// The store's current `Version`, the MANIFEST log that records how it came to
/// be, and the file-number allocator.
///
/// Files: `CURRENT` holds `MANIFEST-NNNNNN\n` (written atomically); the MANIFEST
/// holds one framed `VersionEdit` per version, each carrying its version number
/// and digest, so replay re-derives and checks the whole digest chain.
///
/// Thread safety: `current`, `history`, `newFileNumber` and `markFileNumberUsed`
/// may be called from any thread. `apply` calls must be serialised by the caller
/// (the engine applies edits from one place at a time).
final class VersionSet: @unchecked Sendable {
    /// The store directory.
    let directory: String
    /// What CURRENT and the MANIFEST are read and written through.
    let fileSystem: any FileSystem
    /// The MANIFEST file's name (not path).
    let manifestFileName: String
    /// What opening the MANIFEST found and did, for the engine to report.
    let recovery: ManifestRecovery

    private struct State {
        var current: Version
        var history: [ManifestHistoryEntry]
        var nextFileNumber: UInt64
    }

    private let state: Locked<State>
    /// Touched only by `apply` and `startWriting`, which the caller serialises; nil
    /// until `startWriting` for a set opened from an existing MANIFEST.
    private var writer: ManifestLogWriter?
    /// Where the intact records of the MANIFEST end, and the bytes after them that
    /// `startWriting` cuts off (kept in `lost/` first).
    private let intactLength: UInt64
    private var cutOff: [UInt8]

    static let currentFileName = "CURRENT"
    /// CURRENT is a file name and a newline; anything longer is not ours.
    private static let currentFileLimit = 64

    private init(
        directory: String, fileSystem: any FileSystem, manifestFileName: String, writer: ManifestLogWriter?,
        current: Version, history: [ManifestHistoryEntry], recovery: ManifestRecovery, intactLength: UInt64 = 0,
        cutOff: [UInt8] = []
    ) {
        self.intactLength = intactLength
        self.cutOff = cutOff
        self.directory = directory
        self.fileSystem = fileSystem
        self.manifestFileName = manifestFileName
        self.writer = writer
        self.recovery = recovery
        state = Locked(State(current: current, history: history, nextFileNumber: current.nextFileNumber))
    }

    /// `MANIFEST-` and the number, zero-padded to six digits.
    static func manifestFileName(_ number: UInt64) -> String {
        let digits = String(number)
        return "MANIFEST-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// True when `directory` holds a CURRENT file (a store was created there).
    static func exists(directory: String, fileSystem: any FileSystem) -> Bool {
        fileSystem.fileExists(directory + "/" + currentFileName)
    }

    /// Creates CURRENT and MANIFEST-000001 in an empty store directory, with version 1
    /// (no segments, lastSequence 0, logNumber/nextFileNumber as given). Throws
    /// `.invalidArgument` if the directory already holds a store. Costs two fsyncs of
    /// files and two of the directory. Every file operation goes through `fileSystem`.
    static func create(
        directory: String, fileSystem: any FileSystem, logNumber: UInt64, nextFileNumber: UInt64
    ) throws -> VersionSet {
        guard !exists(directory: directory, fileSystem: fileSystem) else {
            throw LSMError.invalidArgument("a store already exists in \(directory)")
        }
        var edit = VersionEdit(logNumber: logNumber, nextFileNumber: nextFileNumber, lastSequence: 0)
        edit.versionNumber = 1
        return try start(
            directory: directory, fileSystem: fileSystem, first: edit, version: try Version.empty.applying(edit))
    }

    /// Writes MANIFEST-000001 holding `first` (which produces `version`) and a
    /// CURRENT naming it; the set then continues from `version`.
    private static func start(
        directory: String, fileSystem: any FileSystem, first: VersionEdit, version: Version
    ) throws -> VersionSet {
        var edit = first
        edit.digest = version.digest
        let name = manifestFileName(1)
        let writer = try ManifestLogWriter.create(path: directory + "/" + name, fileSystem: fileSystem)
        try writer.append(edit.encoded())
        try fileSystem.syncDirectory(directory)
        try fileSystem.writeAtomically(
            Array((name + "\n").utf8), to: directory + "/" + currentFileName, directory: directory)
        return VersionSet(
            directory: directory, fileSystem: fileSystem, manifestFileName: name, writer: writer, current: version,
            history: [ManifestHistoryEntry(version)], recovery: ManifestRecovery())
    }

    /// Creates CURRENT and MANIFEST-000001 in an empty store directory whose first
    /// version continues a published chain: version `base.versionNumber` with
    /// `base.segments`, chaining from `base.previousDigest`. Throws `.corruption` when
    /// the recomputed digest differs from `base.digest` (the published state does
    /// not hash to what it claims), `.invalidArgument` as `create` does.
    static func create(
        directory: String, fileSystem: any FileSystem, base: StoreBase, logNumber: UInt64, nextFileNumber: UInt64
    ) throws -> VersionSet {
        guard !exists(directory: directory, fileSystem: fileSystem) else {
            throw LSMError.invalidArgument("a store already exists in \(directory)")
        }
        guard base.versionNumber >= 1, base.previousDigest.count == SHA256.digestSize else {
            throw LSMError.invalidArgument("a store base needs a version number ≥ 1 and a 32-byte previous digest")
        }
        var edit = VersionEdit(
            logNumber: logNumber, nextFileNumber: nextFileNumber, lastSequence: base.lastSequence, added: base.segments)
        edit.versionNumber = base.versionNumber
        edit.chainBase = base.previousDigest
        let version = try Version.chainBase(versionNumber: base.versionNumber - 1, digest: base.previousDigest)
            .applying(edit)
        guard version.digest == base.digest else {
            throw LSMError.corruption(
                file: "published manifest \(base.versionNumber)", offset: 0,
                reason: "digest \(Hex.encode(base.digest)) differs from the recomputed \(Hex.encode(version.digest))")
        }
        return try start(directory: directory, fileSystem: fileSystem, first: edit, version: version)
    }

    /// Reads CURRENT and replays the MANIFEST it names: decodes each edit, applies it,
    /// recomputes the version's manifest root and digest and compares them with the
    /// digest stored in the edit. Without `writing` it changes nothing on disk: the
    /// set takes edits only after `startWriting`, which cuts off any torn tail or
    /// dropped damage (a torn tail is an incomplete last record, never acknowledged);
    /// `writing` calls it before returning.
    ///
    /// Damage — a complete record whose checksum fails, an incomplete record followed
    /// by an intact one, an edit that does not decode, is misnumbered, cannot apply
    /// or whose stored digest differs from the recomputed one — throws `.corruption`
    /// in `.strict` mode. In `.skipCorruption` mode the damaged record and every one
    /// after it are dropped (edits build on each other, so nothing after damage can
    /// be applied) and `recovery` says exactly what was dropped.
    ///
    /// Throws `.invalidArgument` when CURRENT is missing; `.corruption` when CURRENT is
    /// malformed or names a missing file, or when no version survives.
    /// Costs one read of the MANIFEST and, per edit, hashing its added records and one
    /// tree over the live segments. Every file operation goes through `fileSystem`.
    static func open(
        directory: String, fileSystem: any FileSystem, mode: RecoveryMode = .strict, writing: Bool
    ) throws -> VersionSet {
        let currentPath = directory + "/" + currentFileName
        guard fileSystem.fileExists(currentPath) else {
            throw LSMError.invalidArgument("no store in \(directory): \(currentFileName) does not exist")
        }
        let name = try readCurrent(path: currentPath, fileSystem: fileSystem)
        let path = directory + "/" + name
        guard fileSystem.fileExists(path) else {
            throw LSMError.corruption(file: currentPath, offset: 0, reason: "names \(name), which does not exist")
        }
        let bytes = try fileSystem.readFile(path, limit: Int.max)
        let size = UInt64(bytes.count)
        let contents = ManifestLog.parse(bytes)
        var damage = contents.damage
        var validLength = contents.validLength
        var version = Version.empty
        var history: [ManifestHistoryEntry] = []
        history.reserveCapacity(contents.records.count)
        for record in contents.records {
            do {
                version = try replay(record, after: version, file: path)
            } catch let LSMError.corruption(_, offset, reason) where mode == .skipCorruption {
                damage = ManifestLog.Damage(offset: offset, length: size - record.offset, reason: reason)
                validLength = record.offset
                break
            }
            history.append(ManifestHistoryEntry(version))
        }
        if let damage, mode == .strict {
            throw LSMError.corruption(
                file: path, offset: damage.offset,
                reason: "\(damage.reason): the record was acknowledged, so this is damage, not a torn tail; "
                    + "refusing to open (recovery mode skip_corruption drops it and the \(damage.length) bytes "
                    + "from it on, keeping a copy in \(Quarantine.directoryName)/)")
        }
        guard !history.isEmpty else {
            throw LSMError.corruption(file: path, offset: 0, reason: "the manifest records no version")
        }
        var recovery = ManifestRecovery()
        if let damage {
            recovery.droppedDamage = ManifestLog.Damage(offset: validLength, length: size - validLength, reason: damage.reason)
        } else if let torn = contents.tornTail {
            recovery.tornTail = torn
        }
        let set = VersionSet(
            directory: directory, fileSystem: fileSystem, manifestFileName: name, writer: nil, current: version,
            history: history, recovery: recovery, intactLength: validLength, cutOff: Array(bytes[Int(validLength)...]))
        if writing { try set.startWriting() }
        return set
    }

    /// Makes an opened set take edits: keeps a copy in `lost/` of any bytes after the
    /// intact records (a torn tail, or damage dropped), cuts them off the MANIFEST and
    /// opens it for appending. Returns the copy's path relative to the store, if any.
    /// Does nothing for a set that already takes edits.
    @discardableResult
    func startWriting() throws -> String? {
        guard writer == nil else { return nil }
        var preserved: String?
        if !cutOff.isEmpty {
            preserved = try Quarantine(directory: directory, fileSystem: fileSystem)
                .preserve(cutOff, as: "\(manifestFileName).from-\(intactLength)")
        }
        writer = try ManifestLogWriter.openForAppending(
            path: directory + "/" + manifestFileName, validLength: intactLength, fileSystem: fileSystem)
        cutOff = []
        return preserved
    }

    /// CURRENT's manifest name: `MANIFEST-` and 1 to 20 digits, then exactly one newline.
    private static func readCurrent(path: String, fileSystem: any FileSystem) throws -> String {
        let bytes = try fileSystem.readFile(path, limit: currentFileLimit)
        let prefix = Array("MANIFEST-".utf8)
        guard bytes.last == UInt8(ascii: "\n"), bytes.starts(with: prefix) else {
            throw LSMError.corruption(file: path, offset: 0, reason: "not a MANIFEST name and a newline")
        }
        let digits = bytes[prefix.count..<(bytes.count - 1)]
        guard (1...20).contains(digits.count),
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw LSMError.corruption(file: path, offset: 0, reason: "malformed manifest file number")
        }
        return String(decoding: bytes.dropLast(), as: UTF8.self)
    }

    /// Applies one MANIFEST record to `previous`, checking its number and digest.
    /// Only the first record (applied to `Version.empty`) may carry a chain base:
    /// it then starts at any version number and chains from that digest.
    static func replay(_ record: ManifestLog.Record, after previous: Version, file: String) throws -> Version {
        let edit = try VersionEdit.decode(
            record.payload, file: file, offset: record.offset + UInt64(ManifestLog.headerSize))
        var previous = previous
        if let base = edit.chainBase {
            guard previous.versionNumber == 0, edit.versionNumber >= 1 else {
                throw LSMError.corruption(
                    file: file, offset: record.offset, reason: "a chain base outside the first manifest record")
            }
            previous = Version.chainBase(versionNumber: edit.versionNumber - 1, digest: base)
        }
        let expected = previous.versionNumber + 1
        func corruption(_ reason: String) -> LSMError {
            .corruption(file: file, offset: record.offset, reason: "version \(expected): \(reason)")
        }
        guard edit.versionNumber == expected else {
            throw corruption("the record is numbered \(edit.versionNumber)")
        }
        guard edit.digest.count == SHA256.digestSize else { throw corruption("the record carries no digest") }
        let version: Version
        do {
            version = try previous.applying(edit)
        } catch let LSMError.invalidArgument(reason) {
            throw corruption(reason)
        }
        guard version.digest == edit.digest else {
            throw corruption(
                "stored digest \(Hex.encode(edit.digest)) differs from the recomputed \(Hex.encode(version.digest))")
        }
        return version
    }

    /// The version readers should use now.
    var current: Version { state.withLock { $0.current } }

    /// Number, digest and header of every version in the MANIFEST, oldest first,
    /// numbered consecutively (from 1, or from the published base of a rebuilt store).
    var history: [ManifestHistoryEntry] { state.withLock { $0.history } }

    /// Assigns `versionNumber` = current + 1 and `nextFileNumber` (the allocator's
    /// position, or the edit's if larger), computes the new Version, appends the edit
    /// with its number and digest to the MANIFEST, syncs, then installs the version.
    /// Throws `.invalidArgument` for an edit `Version.applying` rejects (nothing is
    /// written then), or the I/O error of the append (after which the set refuses
    /// further edits with `.closed`). Costs one write and one fdatasync.
    @discardableResult
    func apply(_ edit: VersionEdit) throws -> Version {
        var edit = edit
        let (base, allocated) = state.withLock { ($0.current, $0.nextFileNumber) }
        edit.versionNumber = base.versionNumber + 1
        edit.nextFileNumber = max(edit.nextFileNumber ?? 0, allocated)
        edit.digest = []
        let version = try base.applying(edit)
        edit.digest = version.digest
        guard let writer else { throw LSMError.readOnly("the manifest was opened read-only") }
        try writer.append(edit.encoded())
        state.withLock {
            $0.current = version
            $0.history.append(ManifestHistoryEntry(version))
            $0.nextFileNumber = max($0.nextFileNumber, version.nextFileNumber)
        }
        return version
    }

    /// Allocates a new file number. It is persisted with the next edit's
    /// `nextFileNumber`; files numbered after the last edit must be reported with
    /// `markFileNumberUsed` on recovery so their numbers are not handed out again.
    func newFileNumber() -> UInt64 {
        state.withLock {
            let number = $0.nextFileNumber
            $0.nextFileNumber += 1
            return number
        }
    }

    /// Makes sure `number` is never allocated again (recovery calls it for every WAL
    /// file it finds, which may be numbered after the last recorded edit).
    func markFileNumberUsed(_ number: UInt64) {
        precondition(number <= StoreFiles.maxFileNumber, "file number \(number) out of range")
        state.withLock { $0.nextFileNumber = max($0.nextFileNumber, number + 1) }
    }
}

/// What opening a MANIFEST found (at most one of a torn tail and dropped damage) and
/// where the bytes it cut off were kept.
struct ManifestRecovery: Sendable, Equatable {
    var tornTail: ManifestLog.TornTail?
    /// Damage dropped in `.skipCorruption` mode: from its offset to the end of the file.
    var droppedDamage: ManifestLog.Damage?
}
