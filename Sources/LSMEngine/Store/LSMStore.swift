import Dispatch
import Synchronization

/// An embedded, append-only, verifiable key-value store: a log-structured
/// merge tree whose immutable segments each commit their entries under a
/// Merkle root.
///
/// Every write appends a version with a new sequence number; nothing is
/// overwritten. All methods are thread-safe and blocking. Keys are 1 byte to
/// `maxKeySize` (64 KiB), values 0 bytes to `maxValueSize` (64 MiB by default).
public final class LSMStore: @unchecked Sendable {
    /// The store's directory.
    public let path: String
    /// The options the store was opened with.
    public let options: StoreOptions
    /// What recovery found on open.
    public let recoveryReport: RecoveryReport

    let versions: VersionSet
    let snapshots = SnapshotRegistry()
    /// The newest sequence whose write is complete and visible to readers.
    let lastSequence: Atomic<UInt64>
    /// Flushes run here, one at a time.
    let background = DispatchQueue(label: "scribe.lsm.flush")
    /// Compactions run here, one at a time, so a long merge never delays a flush.
    let compactionQueue = DispatchQueue(label: "scribe.lsm.compaction")
    /// Serialises manifest edits from the two queues (apply, then install).
    let manifestLock = ConditionMutex()
    let lifetimes: SegmentLifetimes
    let picker: CompactionPicker
    let blockCache: BlockCache
    let tableCache: TableCache
    private let directoryLock: any FileLock

    /// Guards every `var` below.
    let mutex = ConditionMutex()
    /// Broadcast whenever a flush finishes or fails and when the writer queue drains.
    let backgroundWorkDone = Condition()
    var memtable: Memtable
    /// Frozen memtables, oldest first.
    var immutables: [FrozenMemtable] = []
    /// The WAL new writes go to; nil only in a store opened read-only.
    var wal: WALWriter?
    var walNumber: UInt64
    /// The current version and its open segment readers.
    var current: PinnedVersion
    /// Bytes above the level targets in `current` (recomputed at each install).
    var pendingCompactionBytes: UInt64 = 0
    var writers: [PendingWrite] = []
    /// A failure after which the store refuses writes until reopened (sticky).
    var backgroundError: LSMError?
    /// The last out-of-space failure, while it lasts: writes fail with it but the
    /// store stays writable, and it clears once a write, flush or compaction that
    /// needs space succeeds (or `writeAvailability` finds space again).
    var spaceError: LSMError?
    /// Background workers (flush, compaction) waiting for space to retry their work.
    var workersWaitingForSpace = 0
    /// Wakes a worker waiting for space early, when the store closes.
    let spaceRetry = Condition()
    var flushScheduled = false
    var compactionScheduled = false
    /// Per level, the largest user key compacted last (round-robin through a level).
    var compactionCursor: [[UInt8]?] = Array(repeating: nil, count: Version.maxLevels)
    var isClosed = false
    var counters = StoreCounters()
    /// Told of every commit and installed version (see `attach`).
    var observer: (any StoreObserver)?

    init(
        path: String, options: StoreOptions, directoryLock: any FileLock, versions: VersionSet,
        recovered: RecoveredState
    ) {
        self.path = path
        self.options = options
        self.directoryLock = directoryLock
        self.versions = versions
        self.recoveryReport = recovered.report
        self.lastSequence = Atomic(recovered.lastSequence)
        self.memtable = recovered.memtable
        self.wal = recovered.wal
        self.walNumber = recovered.walNumber
        self.picker = CompactionPicker(options: options)
        self.blockCache = recovered.tableCache.blockCache
        let tableCache = recovered.tableCache
        self.tableCache = tableCache
        let lifetimes = SegmentLifetimes(directory: path, fileSystem: options.fileSystem) { tableCache.evict($0) }
        self.lifetimes = lifetimes
        self.current = PinnedVersion(version: versions.current, lifetimes: lifetimes)
        self.pendingCompactionBytes = picker.pendingBytes(versions.current)
    }

    /// Opens (or creates) the store in `path`, replaying its write-ahead log.
    ///
    /// Throws `.locked` when another handle holds the store, `.corruption` when
    /// stored bytes fail their checks (see `StoreOptions.recoveryMode`), and
    /// `.invalidArgument` for bad options or a missing store without `createIfMissing`.
    public static func open(at path: String, options: StoreOptions = StoreOptions()) throws -> LSMStore {
        try options.validate()
        let store = try StoreRecovery(path: path, options: options).open()
        store.mutex.withLock { store.scheduleCompaction() }
        return store
    }

    /// True when `path` holds a store (its CURRENT file exists).
    public static func holdsStore(at path: String) -> Bool {
        VersionSet.exists(directory: path, fileSystem: PosixFileSystem())
    }

    /// Creates a store in `path` (absent or empty) whose first version is the
    /// published `base`: its segments are read through `options.remoteSegments`
    /// until they are local, and its manifest chain continues `base`'s digest.
    /// Throws `.invalidArgument` when a store already exists there, `.corruption`
    /// when `base` does not hash to its digest.
    public static func create(at path: String, base: StoreBase, options: StoreOptions) throws -> LSMStore {
        try options.validate()
        let store = try StoreRecovery(path: path, options: options, base: base).open()
        store.mutex.withLock { store.scheduleCompaction() }
        return store
    }

    /// Waits for background work, syncs the WAL and releases the directory.
    /// Later calls on this store throw `.closed`; closing twice is harmless.
    public func close() throws {
        mutex.lock()
        if isClosed {
            mutex.unlock()
            return
        }
        isClosed = true
        spaceRetry.broadcast()
        while !writers.isEmpty || flushScheduled || compactionScheduled {
            backgroundWorkDone.wait(mutex)
        }
        let log = wal
        let failure = backgroundError
        // The observer usually holds this store (the durable tier): let both go.
        observer = nil
        mutex.unlock()
        defer { directoryLock.release() }
        try log?.sync()
        if let failure { throw failure }
    }

    deinit {
        if !isClosed {
            try? wal?.sync()
        }
    }

    // MARK: - Paths

    func walPath(_ number: UInt64) -> String { path + "/" + StoreFiles.walName(number) }
    func segmentPath(_ id: SegmentID) -> String { path + "/" + id.fileName }

    // MARK: - Shared checks

    func validateKey(_ key: [UInt8]) throws {
        guard !key.isEmpty, key.count <= options.maxKeySize else {
            throw LSMError.invalidKeySize(size: key.count, limit: options.maxKeySize)
        }
    }

    /// Throws when the store is closed or a background failure stopped writes. Caller holds `mutex`.
    func checkWritable() throws {
        if isClosed { throw LSMError.closed(reason: "close() was called") }
        if options.readOnly { throw LSMError.readOnly("the store was opened read-only") }
        if let backgroundError { throw backgroundError }
    }

    /// A snapshot of the newest state. Release it (or drop it) when done.
    public func snapshot() -> Snapshot {
        Snapshot(sequence: lastSequence.load(ordering: .acquiring), registry: snapshots)
    }

    /// The newest visible sequence number.
    public var latestSequence: SequenceNumber {
        lastSequence.load(ordering: .acquiring)
    }

    /// Current figures: sequences, memtables, segments per level, manifest.
    public func stats() -> StoreStats {
        let availability = writeAvailability
        return mutex.withLock {
            let version = current.version
            let levels = version.levels.enumerated().map { level, segments in
                StoreStats.Level(
                    level: level, segments: segments.count,
                    bytes: segments.reduce(0) { $0 + $1.fileSize },
                    entries: segments.reduce(0) { $0 + $1.entryCount })
            }
            return StoreStats(
                lastSequence: lastSequence.load(ordering: .acquiring),
                memtableBytes: memtable.approximateMemoryUsage, memtableEntries: memtable.entryCount,
                immutableMemtables: immutables.count, levels: levels,
                manifestVersion: version.versionNumber, manifestDigest: version.digest,
                manifestRoot: version.manifestRoot, flushes: counters.flushes, writeStalls: counters.writeStalls,
                walGroups: counters.walGroups, walBatches: counters.walBatches, walSyncs: counters.walSyncs,
                writeSlowdowns: counters.writeSlowdowns, compactions: counters.compactions,
                trivialMoves: counters.trivialMoves, compactionBytesRead: counters.compactionBytesRead,
                compactionBytesWritten: counters.compactionBytesWritten,
                compactionEntriesDropped: counters.compactionEntriesDropped,
                pendingCompactionBytes: pendingCompactionBytes, segmentsAwaitingDeletion: lifetimes.pendingDeletion,
                blockCache: blockCache.stats, tableCache: tableCache.stats, writeAvailability: availability,
                recovery: recoveryReport)
        }
    }
}

/// A memtable that no longer takes writes, with the WAL file that holds its entries.
struct FrozenMemtable {
    let memtable: Memtable
    let walNumber: UInt64
}

/// Counters kept under the store mutex.
struct StoreCounters {
    var flushes: UInt64 = 0
    var writeStalls: UInt64 = 0
    var walGroups: UInt64 = 0
    var walBatches: UInt64 = 0
    var walSyncs: UInt64 = 0
    var writeSlowdowns: UInt64 = 0
    var compactions: UInt64 = 0
    var trivialMoves: UInt64 = 0
    var compactionBytesRead: UInt64 = 0
    var compactionBytesWritten: UInt64 = 0
    var compactionEntriesDropped: UInt64 = 0
}
