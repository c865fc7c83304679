import LSMEngine
import Logging
import ScribeObjects

/// Uploads the segments of the engine's newest version and then publishes that
/// version, so a published manifest only ever names segments that are stored
/// and verified. Versions installed while an upload runs are folded into the
/// next round (only the newest is published). After each publication: batches
/// it covers leave the WAL backlog, WAL objects it covers are deleted, segments
/// that left it are retired and deleted once `retention` has passed, and old
/// manifest objects are pruned.
final class SegmentShipper: Sendable {
    private struct State {
        /// Segments known to be in the object store.
        var stored: Set<SegmentID>
        var published: PublishedManifest?
    }

    private let store: LSMStore
    private let objects: any ObjectStore
    private let manifests: any ManifestStore
    private let walShipper: WALShipper
    private let epoch: UInt64
    private let nodeID: String
    private let retention: Duration
    private let counters: TierCounters
    private let timeline: Timeline
    private let logger: Logger
    private let state: Locked<State>
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>
    /// Callers of `flushAndPublish` waiting for a version to be published.
    let waiters: ProgressWaiters

    /// Segments uploaded at once.
    static let uploadConcurrency = 2
    /// Manifest objects kept.
    static let manifestsKept = 64

    init(
        store: LSMStore, objects: any ObjectStore, manifests: any ManifestStore, walShipper: WALShipper,
        published: PublishedManifest?, epoch: UInt64, nodeID: String, retention: Duration,
        publicationTimeout: Duration, timeline: Timeline, counters: TierCounters, logger: Logger
    ) {
        self.store = store
        self.objects = objects
        self.manifests = manifests
        self.walShipper = walShipper
        self.epoch = epoch
        self.nodeID = nodeID
        self.retention = retention
        self.counters = counters
        self.timeline = timeline
        self.logger = logger
        state = Locked(State(stored: Set(published?.segments.map(\.id) ?? []), published: published))
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        waiters = ProgressWaiters(
            reached: published?.version ?? 0, timeout: publicationTimeout, timeline: timeline
        ) { version in
            .unavailable("manifest version \(version) is not published yet: its segments could not be uploaded in time")
        }
        counters.update { $0.publishedManifestVersion = published?.version ?? 0 }
    }

    /// A new version was installed (or a caller wants the current one published).
    func poke() { wake.yield() }

    func stop() { wake.finish() }

    /// Ships until cancelled.
    func run() async {
        var backoff = Backoff(timeline: timeline)
        wake.yield()
        for await _ in wakes {
            while !Task.isCancelled {
                do {
                    if try await shipCurrentVersion() { backoff.reset() }
                    break
                } catch {
                    counters.update {
                        $0.segmentUploadFailures += 1
                        $0.objectStoreAvailable = false
                    }
                    logger.warning("segment shipping failed", metadata: ["error": "\(error)"])
                    await backoff.pause()
                }
            }
            if Task.isCancelled { return }
        }
    }

    /// Uploads and publishes the current version if it is newer than the
    /// published one; false when there was nothing to do.
    @discardableResult
    func shipCurrentVersion() async throws -> Bool {
        let pin = store.pinCurrentVersion()
        let version = pin.version
        let (stored, previous) = state.withLock { ($0.stored, $0.published) }
        if let previous, previous.version >= version.versionNumber { return false }

        let missing = version.allSegments.filter { !stored.contains($0.id) }
        counters.update {
            $0.segmentBacklog = missing.count
            $0.segmentBacklogBytes = missing.reduce(0) { $0 + $1.fileSize }
        }
        try await upload(missing, from: pin)

        let now = WallClock.milliseconds()
        let manifest = PublishedManifest(
            version: version, retired: retired(previous: previous, next: version, now: now), epoch: epoch,
            nodeID: nodeID, publishedAt: now)
        do {
            try await manifests.publish(manifest)
        } catch ObjectStoreError.alreadyExists {
            // A previous attempt published it before its answer was lost.
        }
        state.withLock { $0.published = manifest }
        counters.update {
            $0.publishedManifestVersion = manifest.version
            $0.manifestsPublished += 1
            $0.segmentBacklog = 0
            $0.segmentBacklogBytes = 0
            $0.objectStoreAvailable = true
        }
        waiters.advance(to: manifest.version)
        walShipper.covered(through: manifest.lastSequence)
        await collectGarbage(after: manifest, now: now)
        return true
    }

    private func upload(_ segments: [SegmentMetadata], from pin: VersionPin) async throws {
        var next = segments[...]
        while !next.isEmpty {
            let batch = next.prefix(Self.uploadConcurrency)
            next = next.dropFirst(batch.count)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for segment in batch {
                    group.addTask { try await self.upload(segment, from: pin) }
                }
                try await group.waitForAll()
            }
        }
    }

    private func upload(_ segment: SegmentMetadata, from pin: VersionPin) async throws {
        let key = ObjectKeys.segment(segment.id)
        let started = timeline.now()
        if let path = pin.localPath(of: segment) {
            do {
                try await objects.putFile(key, path: path, ifAbsent: true)
            } catch ObjectStoreError.alreadyExists {
                try await checkStored(segment, key: key)
            }
        } else {
            try await checkStored(segment, key: key)
        }
        let seconds = (timeline.now() - started).seconds
        state.withLock { _ = $0.stored.insert(segment.id) }
        counters.update {
            $0.segmentsUploaded += 1
            $0.segmentBytesUploaded += segment.fileSize
            $0.lastSegmentUploadSeconds = seconds
            $0.segmentUploadSecondsTotal += seconds
            $0.segmentBacklog = max(0, $0.segmentBacklog - 1)
            $0.segmentBacklogBytes -= min($0.segmentBacklogBytes, segment.fileSize)
        }
        logger.debug("segment stored", metadata: ["key": "\(key)", "bytes": "\(segment.fileSize)"])
    }

    /// A segment already in the store (same content-derived id) must have its size.
    private func checkStored(_ segment: SegmentMetadata, key: String) async throws {
        guard let info = try await objects.head(key) else {
            throw DurableTierError.corrupt("segment \(segment.id) is neither on this node nor in object storage")
        }
        guard info.size == segment.fileSize else {
            throw ObjectStoreError.verificationFailed(
                key: key, reason: "stored \(info.size) bytes, the manifest records \(segment.fileSize)")
        }
    }

    /// The retired list of the next publication: what was retired before and
    /// is still within retention, plus what left the manifest now.
    private func retired(previous: PublishedManifest?, next: Version, now: UInt64) -> [RetiredSegment] {
        guard let previous else { return [] }
        let live = Set(next.allSegments.map(\.id))
        let retentionMillis = UInt64(max(0, retention.seconds * 1000))
        // Entries whose retention ended were deleted after the previous publication.
        var retired = previous.retired.filter { !live.contains($0.id) && $0.retiredAt &+ retentionMillis > previous.publishedAt }
        let known = Set(retired.map(\.id))
        for segment in previous.segments where !live.contains(segment.id) && !known.contains(segment.id) {
            retired.append(RetiredSegment(id: segment.id, fileSize: segment.fileSize, retiredAt: now))
        }
        return retired
    }

    /// Deletes what `manifest` made unnecessary; failures are retried after the next publication.
    private func collectGarbage(after manifest: PublishedManifest, now: UInt64) async {
        var deleted: UInt64 = 0
        let retentionMillis = UInt64(max(0, retention.seconds * 1000))
        do {
            for segment in manifest.retired where segment.retiredAt &+ retentionMillis <= now {
                try await objects.delete(ObjectKeys.segment(segment.id))
                deleted += 1
            }
            for info in try await objects.list(prefix: ObjectKeys.walPrefix, startAfter: nil) {
                if let range = ObjectKeys.walRange(fromKey: info.key), range.last <= manifest.lastSequence {
                    try await objects.delete(info.key)
                    deleted += 1
                }
            }
            deleted += UInt64(try await manifests.prune(keep: Self.manifestsKept))
        } catch {
            logger.info("object clean-up deferred", metadata: ["error": "\(error)"])
        }
        counters.update { $0.objectsDeleted += deleted }
    }
}
