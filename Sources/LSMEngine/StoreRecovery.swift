/// What `StoreRecovery` hands to a newly opened store.
struct RecoveredState {
    let report: RecoveryReport
    let lastSequence: SequenceNumber
    /// Entries replayed from the WAL that are not in segments yet.
    let memtable: Memtable
    let wal: WALWriter
    let walNumber: UInt64
    /// Holds every live segment, each opened and checked once at open.
    let tableCache: TableCache
}

/// Opens a store directory: takes the lock, loads the manifest, replays the
/// WAL files the manifest does not cover into the memtable, continues the
/// newest WAL after its last complete record, and removes files nothing references.
struct StoreRecovery {
    let path: String
    let options: StoreOptions
    /// The published version a new store starts from (nil: version 1, empty).
    var base: StoreBase?

    func open() throws -> LSMStore {
        if !FileSystem.isDirectory(path) {
            guard options.createIfMissing else {
                throw LSMError.invalidArgument("no store at \(path) and createIfMissing is false")
            }
            try FileSystem.createDirectory(path)
        }
        let lock = try DirectoryLock(path: path + "/" + StoreFiles.lockName)
        let exists = FileSystem.fileExists(path + "/CURRENT")
        if exists && options.errorIfExists {
            throw LSMError.invalidArgument("a store already exists at \(path) and errorIfExists is true")
        }
        if !exists {
            guard options.createIfMissing else {
                throw LSMError.invalidArgument("no store at \(path) and createIfMissing is false")
            }
            try refuseForeignFiles()
        }
        if exists, base != nil {
            throw LSMError.invalidArgument("a store already exists at \(path); it cannot start from a published base")
        }
        let versions: VersionSet
        if exists {
            versions = try VersionSet.open(directory: path)
        } else if let base {
            versions = try VersionSet.create(directory: path, base: base, logNumber: 0, nextFileNumber: 2)
        } else {
            versions = try VersionSet.create(directory: path, logNumber: 0, nextFileNumber: 2)
        }

        var report = RecoveryReport()
        let replayed = Memtable()
        var lastSequence = versions.current.lastSequence
        let allLogs = try FileSystem.listDirectory(path).compactMap { StoreFiles.walNumber($0) }
        // A WAL created after the last manifest edit holds a number the manifest
        // has not recorded yet: never hand it out again.
        for number in allLogs { versions.markFileNumberUsed(number) }
        let logs = allLogs.filter { $0 >= versions.current.logNumber }.sorted()
        var lastLogEnd: UInt64 = 0
        for number in logs {
            lastLogEnd = try replay(number, into: replayed, after: versions.current.lastSequence, last: &lastSequence, report: &report)
        }

        let wal: WALWriter
        let walNumber: UInt64
        var memtable = replayed
        if let last = logs.last, report.skippedCorruption.isEmpty {
            // Keep the replayed entries as the live memtable and append to the
            // newest WAL after cutting its torn tail (never acknowledged); the
            // WALs are retired by the next flush, like any memtable's.
            let file = try FileHandle.openForAppending(path + "/" + StoreFiles.walName(last))
            try file.truncate(to: lastLogEnd)
            try file.sync()
            wal = WALWriter(file: file, startingAt: lastLogEnd)
            walNumber = last
        } else {
            // A fresh store, or a WAL with skipped damage: write what was
            // replayed as a segment and retire every old WAL now, so the next
            // strict open does not meet the damage again.
            var edit = VersionEdit()
            if !replayed.isEmpty {
                let keepAll = HistoryFilter(policy: .retainAll, oldestVisible: 0) { _ in false }
                if let metadata = try SegmentBuilding.write(
                    replayed.makeIterator(), directory: path, level: 0, options: options, filter: keepAll) {
                    edit.added = [metadata]
                }
                memtable = Memtable()
            }
            walNumber = versions.newFileNumber()
            let file = try FileHandle.create(path + "/" + StoreFiles.walName(walNumber))
            try FileSystem.syncDirectory(path)
            wal = WALWriter(file: file, startingAt: 0)
            edit.logNumber = walNumber
            edit.lastSequence = lastSequence
            try versions.apply(edit)
            StoreFiles.removeWALs(in: path, below: walNumber)
        }

        try removeUnreferencedSegments(live: versions.current)
        let tableCache = TableCache(
            directory: path, capacity: options.maxOpenSegments, blockCache: BlockCache(capacity: options.blockCacheSize),
            remote: options.remoteSegments)
        // Local segments are opened and checked now; remote ones when first read.
        for segment in versions.current.allSegments
        where options.remoteSegments == nil || FileSystem.fileExists(path + "/" + segment.id.fileName) {
            _ = try tableCache.reader(for: segment)
        }
        let state = RecoveredState(
            report: report, lastSequence: lastSequence, memtable: memtable, wal: wal, walNumber: walNumber, tableCache: tableCache)
        return LSMStore(path: path, options: options, directoryLock: lock, versions: versions, recovered: state)
    }

    /// Replays one WAL file into `memtable`, skipping entries already in
    /// segments. Returns the offset just past its last complete record.
    private func replay(
        _ number: UInt64, into memtable: Memtable, after flushed: SequenceNumber,
        last: inout SequenceNumber, report: inout RecoveryReport
    ) throws -> UInt64 {
        let file = path + "/" + StoreFiles.walName(number)
        var reader = try WALReader(path: file, mode: options.walRecoveryMode)
        while let record = try reader.next() {
            try record.payload.withUnsafeBytes { raw in
                try WriteBatch.forEach(encoded: record.payload, file: file, offset: record.offset) { sequence, op in
                    guard sequence > flushed else { return }
                    memtable.add(
                        sequence: sequence, kind: op.kind,
                        key: UnsafeRawBufferPointer(rebasing: raw[op.key]),
                        value: UnsafeRawBufferPointer(rebasing: raw[op.value]))
                    last = max(last, sequence)
                }
            }
            report.batchesReplayed += 1
        }
        report.walFilesReplayed += 1
        report.tornTail = report.tornTail || reader.tornTail
        report.skippedCorruption += reader.skipped.map { $0.description }
        return reader.validEnd
    }

    /// A directory without CURRENT must hold no data of ours: refusing avoids
    /// creating a fresh store over the remains of one whose CURRENT was lost.
    /// A MANIFEST alone (no segment, no WAL) is what a crash while creating the
    /// store leaves; it holds no data and is removed.
    private func refuseForeignFiles() throws {
        let names = try FileSystem.listDirectory(path)
        if let stray = names.first(where: { $0.hasSuffix(".sst") || StoreFiles.walNumber($0) != nil }) {
            throw LSMError.corruption(
                file: path + "/CURRENT", offset: 0,
                reason: "CURRENT is missing but \(stray) exists; refusing to create a new store over it")
        }
        for name in names where name.hasPrefix("MANIFEST-") {
            try FileSystem.remove(path + "/" + name)
        }
    }

    /// Deletes segment files (and leftover temp files) the manifest does not list:
    /// outputs of a flush that crashed before its manifest edit.
    private func removeUnreferencedSegments(live version: Version) throws {
        let liveNames = Set(version.allSegments.map { $0.id.fileName })
        for name in try FileSystem.listDirectory(path) {
            if name.hasSuffix(".tmp") || (name.hasSuffix(".sst") && !liveNames.contains(name)) {
                try FileSystem.remove(path + "/" + name)
            }
        }
    }
}
