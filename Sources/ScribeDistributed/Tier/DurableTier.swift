public import LSMEngine
public import Logging
import ScribeObjects
public import ServiceLifecycle

/// The node's engine plus everything that keeps it durable in object storage:
/// segment shipping with manifest publication, WAL objects for `replicated`
/// writes, recovery into an empty data directory, and lazily fetched segments.
///
/// Background work, from `open` to `close`: a WAL shipper (every committed batch
/// becomes part of a WAL object), a segment shipper (each installed version's
/// new segments are uploaded and verified, then the version is published) and,
/// for each kind of waiter, a task that fails waiters when their deadline passes
/// on `settings.clock`. Blocking engine calls run on `settings.executor`'s
/// `background` lane. As a `Service` in the node's service group, the tier is
/// closed on graceful shutdown. See docs/design.md, "Durable tier".
public final class DurableTier: Service {
    /// The engine. Write through it as usual: every committed batch is shipped.
    public let store: LSMStore
    /// What `open` restored from the object store.
    public let recovery: TierRecoveryReport
    /// The threads the tier's blocking work runs on (`settings.executor`); the
    /// service over the tier runs its own on them too.
    public var executor: NodeExecutor { settings.executor }

    private let settings: DurableTierSettings
    private let walShipper: WALShipper
    private let segmentShipper: SegmentShipper
    private let segments: ObjectSegmentProvider
    private let counters: TierCounters
    private let timeline: Timeline
    private let tasks: [Task<Void, Never>]
    private let logger: Logger

    private init(
        store: LSMStore, recovery: TierRecoveryReport, settings: DurableTierSettings, walShipper: WALShipper,
        segmentShipper: SegmentShipper, segments: ObjectSegmentProvider, counters: TierCounters, timeline: Timeline,
        logger: Logger
    ) {
        self.store = store
        self.recovery = recovery
        self.settings = settings
        self.walShipper = walShipper
        self.segmentShipper = segmentShipper
        self.segments = segments
        self.counters = counters
        self.timeline = timeline
        self.logger = logger
        tasks = [
            Task { await walShipper.run() },
            Task { await segmentShipper.run() },
            Task { await walShipper.waiters.expireOverdue() },
            Task { await segmentShipper.waiters.expireOverdue() },
        ]
    }

    /// Opens the engine in `settings.dataDirectory`, first rebuilding it from the
    /// object store when the directory holds no store, and starts shipping.
    /// Throws when an empty directory cannot be rebuilt (object storage
    /// unreachable, or holding a manifest or WAL object that fails its checks).
    public static func open(_ settings: DurableTierSettings, logger: Logger) async throws -> DurableTier {
        let cache = try SegmentCache(
            directory: settings.segmentCacheDirectory, capacity: settings.segmentCacheBytes, logger: logger)
        let segments = try ObjectSegmentProvider(
            store: settings.objectStore, cache: cache, lane: settings.executor.objectStore, logger: logger)
        var options = settings.storeOptions
        options.remoteSegments = segments
        let manifests = ObjectManifestStore(objects: settings.objectStore)
        let outcome = try await TierRecovery(settings: settings, options: options, manifests: manifests, logger: logger)
            .open()
        let counters = TierCounters()
        let timeline = Timeline(settings.clock)
        let walShipper = WALShipper(
            objects: settings.objectStore, epoch: outcome.epoch, replicatedThrough: outcome.store.latestSequence,
            groupInterval: settings.walGroupInterval, backlogLimit: settings.walBacklogLimit,
            replicationTimeout: settings.replicationTimeout, timeline: timeline, counters: counters, logger: logger)
        let segmentShipper = SegmentShipper(
            store: outcome.store, objects: settings.objectStore, manifests: manifests, walShipper: walShipper,
            published: outcome.published, epoch: outcome.epoch, nodeID: settings.nodeID,
            retention: settings.segmentRetention, publicationTimeout: settings.replicationTimeout, timeline: timeline,
            counters: counters, logger: logger)
        outcome.store.attach(TierObserver(walShipper: walShipper, segmentShipper: segmentShipper))
        if outcome.report.rebuilt { _ = segments.prefetch(outcome.store.pinCurrentVersion().version.allSegments) }
        logger.info(
            "durable tier started",
            metadata: [
                "objectStore": "\(settings.objectStore.location)", "epoch": "\(outcome.epoch)",
                "publishedVersion": "\(outcome.published?.version ?? 0)",
            ])
        return DurableTier(
            store: outcome.store, recovery: outcome.report, settings: settings, walShipper: walShipper,
            segmentShipper: segmentShipper, segments: segments, counters: counters, timeline: timeline,
            logger: logger)
    }

    /// Returns once every write up to `sequence` is in an uploaded WAL object (or a
    /// published segment). Throws `DurableTierError.unavailable` once
    /// `replicationTimeout` has passed on `settings.clock`.
    public func waitReplicated(through sequence: SequenceNumber) async throws {
        try await walShipper.waiters.wait(for: sequence)
    }

    /// Flushes the memtable, uploads and verifies every segment of the resulting
    /// version, publishes it, and returns its version number. Throws
    /// `DurableTierError.unavailable` when that is not done within `replicationTimeout`.
    public func flushAndPublish() async throws -> UInt64 {
        let store = self.store
        try await settings.executor.background.run { try store.flush() }
        let version = store.pinCurrentVersion().version.versionNumber
        segmentShipper.poke()
        try await segmentShipper.waiters.wait(for: version)
        return version
    }

    /// Current counters and gauges.
    public func statistics() -> DurableTierStatistics {
        var statistics = counters.snapshot
        let cache = segments.statistics()
        statistics.cacheHits = cache.hits
        statistics.cacheRangeReads = cache.rangeReads
        statistics.cacheBytes = cache.bytes
        statistics.cacheEvictions = cache.evictions
        statistics.walWaiters = walShipper.waiters.count
        return statistics
    }

    /// Waits for the service group's graceful shutdown (or for cancellation),
    /// then closes the tier. The node lists the tier before the store's own
    /// service, so the HTTP server has stopped and the memtable is flushed first.
    public func run() async throws {
        try? await gracefulShutdown()
        try await close()
    }

    /// Stops shipping (trying once more to drain the WAL backlog, bounded by
    /// `replicationTimeout`) and closes the engine.
    public func close() async throws {
        for task in tasks { task.cancel() }
        walShipper.stop()
        segmentShipper.stop()
        let walShipper = self.walShipper
        let segmentShipper = self.segmentShipper
        let drained = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await walShipper.drainOnce() }
            group.addTask {
                try? await self.timeline.sleep(for: self.settings.replicationTimeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !drained { logger.warning("WAL backlog not drained at close; it stays in the local WAL") }
        walShipper.waiters.close(.closed)
        segmentShipper.waiters.close(.closed)
        for task in tasks { await task.value }
        let store = self.store
        try await settings.executor.background.run { try store.close() }
    }
}

/// Forwards the store's events to the shippers.
private final class TierObserver: StoreObserver {
    let walShipper: WALShipper
    let segmentShipper: SegmentShipper

    init(walShipper: WALShipper, segmentShipper: SegmentShipper) {
        self.walShipper = walShipper
        self.segmentShipper = segmentShipper
    }

    func committed(_ batch: CommittedBatch) { walShipper.committed(batch) }
    func installed(_ version: Version) { segmentShipper.poke() }
}
