/// What `StoreRecovery` hands to a newly opened store.
struct RecoveredState {
    let report: RecoveryReport
    let lastSequence: SequenceNumber
    /// Entries replayed from the WAL that are not in segments yet.
    let memtable: Memtable
    /// The WAL new writes go to; nil when the store was opened read-only.
    let wal: WALWriter?
    let walNumber: UInt64
    /// Holds every live segment, each opened and checked once at open.
    let tableCache: TableCache
}

/// Opens a store directory: takes the lock, loads the manifest, replays the
/// WAL files the manifest does not cover into the memtable, continues the
/// newest WAL after its last complete record, and settles the files nothing
/// references: leftovers whose writes the store holds are deleted, anything else
/// is moved to `lost/` (see `settleUnreferencedFiles`). With `options.readOnly`
/// nothing on disk changes and the report says what recovery would have done.
/// Every file operation goes through `options.fileSystem`.
struct StoreRecovery {
    let path: String
    let options: StoreOptions
    /// The published version a new store starts from (nil: version 1, empty).
    var base: StoreBase?

    private var fileSystem: any FileSystem { options.fileSystem }

    func open() throws -> LSMStore {
        if !fileSystem.isDirectory(path) {
            guard options.createIfMissing, !options.readOnly else {
                throw LSMError.invalidArgument("no store at \(path) and createIfMissing is false")
            }
            try fileSystem.createDirectory(path)
        }
        let lock = try fileSystem.lock(path + "/" + StoreFiles.lockName)
        let exists = fileSystem.fileExists(path + "/CURRENT")
        if exists && options.errorIfExists {
            throw LSMError.invalidArgument("a store already exists at \(path) and errorIfExists is true")
        }
        if !exists {
            guard options.createIfMissing, !options.readOnly else {
                throw LSMError.invalidArgument(
                    "no store at \(path)" + (options.readOnly ? " to open read-only" : " and createIfMissing is false"))
            }
            try refuseForeignFiles()
        }
        if exists, base != nil {
            throw LSMError.invalidArgument("a store already exists at \(path); it cannot start from a published base")
        }
        let versions: VersionSet
        if exists {
            versions = try VersionSet.open(
                directory: path, fileSystem: fileSystem, mode: options.recoveryMode, writing: false)
        } else if let base {
            versions = try VersionSet.create(
                directory: path, fileSystem: fileSystem, base: base, logNumber: 0, nextFileNumber: 2)
        } else {
            versions = try VersionSet.create(directory: path, fileSystem: fileSystem, logNumber: 0, nextFileNumber: 2)
        }

        var report = RecoveryReport()
        report.manifestTornBytes = versions.recovery.tornTail?.length ?? 0
        if let damage = versions.recovery.droppedDamage {
            report.skippedCorruption.append(
                "\(versions.manifestFileName) at offset \(damage.offset): \(damage.reason); dropped \(damage.length) bytes "
                    + "(that record and every one after it)")
        }
        let replayed = Memtable()
        let allLogs = try fileSystem.listDirectory(path).compactMap { StoreFiles.walNumber($0) }
        // A WAL created after the last manifest edit holds a number the manifest
        // has not recorded yet: never hand it out again.
        for number in allLogs { versions.markFileNumberUsed(number) }
        let logs = allLogs.filter { $0 >= versions.current.logNumber }.sorted()
        var replay = WALReplay(flushed: versions.current.lastSequence)
        for number in logs {
            try replay.apply(
                number, in: path, fileSystem: fileSystem, into: replayed, mode: options.recoveryMode, report: &report)
        }
        let lastSequence = replay.lastSequence
        // Every refusal comes before the first change on disk.
        let unreferenced = try planUnreferencedFiles(live: versions.current, replay: replay)

        let wal: WALWriter?
        let walNumber: UInt64
        let memtable: Memtable
        if options.readOnly {
            (wal, walNumber, memtable) = (nil, logs.last ?? versions.current.logNumber, replayed)
            report.quarantined += unreferenced.compactMap { file in
                file.quarantineReason.map { "\(file.name) (left in place: opened read-only): unlisted, \($0)" }
            }
        } else {
            if let preserved = try versions.startWriting() {
                report.quarantined.append("\(preserved): the bytes cut off \(versions.manifestFileName)")
            }
            (wal, walNumber, memtable) = try openLog(
                logs: logs, replay: replay, replayed: replayed, versions: versions, report: &report)
            try settle(unreferenced, report: &report)
        }
        let tableCache = TableCache(
            directory: path, fileSystem: fileSystem, capacity: options.maxOpenSegments,
            blockCache: BlockCache(capacity: options.blockCacheSize), remote: options.remoteSegments)
        // Local segments are opened and checked now; remote ones when first read.
        for segment in versions.current.allSegments
        where options.remoteSegments == nil || fileSystem.fileExists(path + "/" + segment.id.fileName) {
            _ = try tableCache.reader(for: segment)
        }
        let state = RecoveredState(
            report: report, lastSequence: lastSequence, memtable: memtable, wal: wal, walNumber: walNumber, tableCache: tableCache)
        return LSMStore(path: path, options: options, directoryLock: lock, versions: versions, recovered: state)
    }

    /// The WAL new writes go to, its number and the live memtable: the newest WAL,
    /// continued after cutting its torn tail, when recovery skipped nothing; else (a
    /// fresh store, or damage skipped) a new WAL after the replayed entries are
    /// written as a segment and every old WAL is retired — those whose damage was
    /// skipped to `lost/` — so the next strict open does not meet the damage again.
    private func openLog(
        logs: [UInt64], replay: WALReplay, replayed: Memtable, versions: VersionSet, report: inout RecoveryReport
    ) throws -> (WALWriter, UInt64, Memtable) {
        if let last = logs.last, report.skippedCorruption.isEmpty {
            // Keep the replayed entries as the live memtable and append to the
            // newest WAL after cutting its torn tail (never acknowledged); the
            // WALs are retired by the next flush, like any memtable's.
            let file = try fileSystem.openForAppending(path + "/" + StoreFiles.walName(last))
            try file.truncate(to: replay.lastLogEnd)
            try file.sync()
            return (WALWriter(file: file, startingAt: replay.lastLogEnd), last, replayed)
        } else {
            // A fresh store, or damage skipped: write what was replayed as a
            // segment and retire every old WAL now, so the next strict open does
            // not meet the damage again. WALs whose damage was skipped go to lost/.
            var edit = VersionEdit()
            if !replayed.isEmpty {
                let keepAll = HistoryFilter(policy: .retainAll, oldestVisible: 0) { _ in false }
                if let metadata = try SegmentBuilding.write(
                    replayed.makeIterator(), directory: path, level: 0, options: options, filter: keepAll) {
                    edit.added = [metadata]
                }
            }
            let newNumber = versions.newFileNumber()
            let file = try fileSystem.create(path + "/" + StoreFiles.walName(newNumber))
            try fileSystem.syncDirectory(path)
            edit.logNumber = newNumber
            edit.lastSequence = replay.lastSequence
            try versions.apply(edit)
            for number in replay.damagedLogs {
                let moved = try Quarantine(directory: path, fileSystem: fileSystem).move(StoreFiles.walName(number))
                report.quarantined.append("\(moved): a WAL whose damage was skipped")
            }
            StoreFiles.removeWALs(in: path, below: newNumber, fileSystem: fileSystem)
            return (WALWriter(file: file, startingAt: 0), newNumber, Memtable())
        }
    }

    /// A directory without CURRENT must hold no data of ours: refusing avoids
    /// creating a fresh store over the remains of one whose CURRENT was lost.
    /// A MANIFEST alone (no segment, no WAL) is what a crash while creating the
    /// store leaves; it holds no data and is removed.
    private func refuseForeignFiles() throws {
        let names = try fileSystem.listDirectory(path)
        if let stray = names.first(where: { $0.hasSuffix(".sst") || StoreFiles.walNumber($0) != nil }) {
            throw LSMError.corruption(
                file: path + "/CURRENT", offset: 0,
                reason: "CURRENT is missing but \(stray) exists; refusing to create a new store over it")
        }
        for name in names where name.hasPrefix("MANIFEST-") {
            try fileSystem.remove(path + "/" + name)
        }
    }

    /// A file in the store directory the manifest does not list, and what to do with it.
    private struct UnreferencedFile {
        let name: String
        /// Why it goes to `lost/`; nil: it is a leftover to delete.
        let quarantineReason: String?
    }

    /// Decides about the files the manifest does not list. Temp files are leftovers,
    /// and so are segments whose every write the store still holds: the output of a
    /// compaction that crashed before its edit (sequences up to the manifest's last
    /// sequence, still in the inputs) or of a flush that did (sequences inside what
    /// the WALs replayed). Any other unlisted segment holds writes the store would
    /// lack — the manifest lost the edit that added it — so `.strict` refuses to open
    /// and `.skipCorruption` sends it to `lost/`; one that does not parse goes to
    /// `lost/` in either mode.
    private func planUnreferencedFiles(live version: Version, replay: WALReplay) throws -> [UnreferencedFile] {
        let liveNames = Set(version.allSegments.map { $0.id.fileName })
        var plan: [UnreferencedFile] = []
        for name in try fileSystem.listDirectory(path) {
            if name.hasSuffix(".tmp") {
                plan.append(UnreferencedFile(name: name, quarantineReason: nil))
                continue
            }
            guard name.hasSuffix(".sst"), !liveNames.contains(name) else { continue }
            let file = path + "/" + name
            let properties: SegmentProperties
            do {
                properties = try SegmentReader.open(path: file, fileSystem: fileSystem).properties
            } catch let LSMError.corruption(_, offset, why) {
                plan.append(UnreferencedFile(name: name, quarantineReason: "does not parse (offset \(offset): \(why))"))
                continue
            }
            let sequences = properties.smallestSequence...properties.largestSequence
            if replay.holds(sequences) {
                plan.append(UnreferencedFile(name: name, quarantineReason: nil))
                continue
            }
            let reason = "holds sequences \(sequences.lowerBound)...\(sequences.upperBound), which neither the manifest's "
                + "segments nor the WALs hold"
            if options.recoveryMode == .strict {
                throw LSMError.corruption(
                    file: file, offset: 0,
                    reason: "the manifest does not list this segment, which \(reason): acknowledged writes would be "
                        + "lost; refusing to open (recovery mode skip_corruption moves it to \(Quarantine.directoryName)/ "
                        + "and opens without it)")
            }
            plan.append(UnreferencedFile(name: name, quarantineReason: reason))
        }
        return plan
    }

    /// Deletes the leftovers of `plan` and moves the rest to `lost/`.
    private func settle(_ plan: [UnreferencedFile], report: inout RecoveryReport) throws {
        for file in plan {
            if let reason = file.quarantineReason {
                report.quarantined.append(
                    "\(try Quarantine(directory: path, fileSystem: fileSystem).move(file.name)): unlisted, \(reason)")
            } else {
                try fileSystem.remove(path + "/" + file.name)
            }
        }
    }
}
