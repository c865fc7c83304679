import LSMEngine
import Logging
import ScribeObjects

/// Ships every committed WAL batch to object storage as WAL objects
/// (`wal/<epoch>/<first>-<last>.wal`), grouping the batches committed while the
/// previous upload ran or within `groupInterval`, and releases `replicated`
/// writers once an object holding their sequence is stored.
///
/// While the store is unreachable the batches wait in memory up to
/// `backlogLimit` bytes; past it the oldest are dropped (they are still in the
/// local WAL and reach object storage in their segment), and writers waiting
/// for them fail. A published manifest covering a sequence also releases its
/// writers and drops its batches: they are in segments now.
final class WALShipper: Sendable {
    private struct State {
        var pending: [CommittedBatch] = []
        var pendingBytes = 0
    }

    private let objects: any ObjectStore
    private let epoch: UInt64
    private let groupInterval: Duration
    private let backlogLimit: Int
    private let counters: TierCounters
    private let timeline: Timeline
    private let logger: Logger
    private let state = Locked(State())
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>
    /// Writers waiting for their sequence to be replicated.
    let waiters: ProgressWaiters

    /// The largest object this shipper writes (a bigger single batch is shipped alone).
    static let objectBytes = 8 << 20

    init(
        objects: any ObjectStore, epoch: UInt64, replicatedThrough: UInt64, groupInterval: Duration,
        backlogLimit: Int, replicationTimeout: Duration, timeline: Timeline, counters: TierCounters, logger: Logger
    ) {
        self.objects = objects
        self.epoch = epoch
        self.groupInterval = groupInterval
        self.backlogLimit = backlogLimit
        self.counters = counters
        self.timeline = timeline
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        waiters = ProgressWaiters(reached: replicatedThrough, timeout: replicationTimeout, timeline: timeline) { sequence in
            .unavailable("sequence \(sequence) is not in object storage yet; it is durable on this node's disk and "
                + "shipping continues in the background")
        }
        counters.update { $0.replicatedSequence = replicatedThrough }
    }

    /// Takes a committed batch (called by the store, in commit order; short).
    func committed(_ batch: CommittedBatch) {
        let dropped = state.withLock { s -> UInt64? in
            s.pending.append(batch)
            s.pendingBytes += batch.encoded.count
            var dropped: UInt64?
            while s.pendingBytes > backlogLimit, s.pending.count > 1 {
                let oldest = s.pending.removeFirst()
                s.pendingBytes -= oldest.encoded.count
                dropped = oldest.lastSequence
            }
            let bytes = s.pendingBytes
            counters.update { $0.walBacklogBytes = bytes }
            return dropped
        }
        if let dropped {
            waiters.fail(through: dropped, .unavailable("the WAL backlog exceeded its limit while object storage was unreachable"))
        }
        wake.yield()
    }

    /// Everything through `sequence` is in published segments.
    func covered(through sequence: UInt64) {
        state.withLock { s in
            while let first = s.pending.first, first.lastSequence <= sequence {
                s.pending.removeFirst()
                s.pendingBytes -= first.encoded.count
            }
            let bytes = s.pendingBytes
            counters.update { $0.walBacklogBytes = bytes }
        }
        advance(to: sequence)
    }

    /// Uploads until cancelled.
    func run() async {
        var backoff = Backoff(timeline: timeline)
        for await _ in wakes {
            while !Task.isCancelled, let group = nextGroup() {
                if await upload(group) {
                    backoff.reset()
                } else {
                    await backoff.pause()
                }
            }
            if Task.isCancelled { return }
            if groupInterval > .zero { try? await timeline.sleep(for: groupInterval) }
        }
    }

    /// Uploads what is pending now, once; false when something is left.
    func drainOnce() async -> Bool {
        while let group = nextGroup() {
            guard await upload(group) else { return false }
        }
        return true
    }

    func stop() {
        wake.finish()
    }

    private func nextGroup() -> [CommittedBatch]? {
        state.withLock { s -> [CommittedBatch]? in
            guard !s.pending.isEmpty else { return nil }
            var bytes = 0
            var count = 0
            for batch in s.pending {
                if count > 0, bytes + batch.encoded.count > Self.objectBytes { break }
                bytes += batch.encoded.count
                count += 1
            }
            return Array(s.pending.prefix(count))
        }
    }

    /// Uploads one object; on success removes its batches and releases their writers.
    private func upload(_ group: [CommittedBatch]) async -> Bool {
        let object = WALObject(epoch: epoch, batches: group)
        let key = ObjectKeys.walObject(epoch: epoch, first: object.firstSequence, last: object.lastSequence)
        let bytes = object.encoded()
        let started = timeline.now()
        do {
            do {
                try await objects.put(key, bytes: bytes, ifAbsent: true)
            } catch ObjectStoreError.alreadyExists {
                // An earlier attempt stored it before failing to answer: same epoch and range, same bytes.
            }
        } catch {
            counters.update {
                $0.walUploadFailures += 1
                $0.objectStoreAvailable = false
            }
            logger.warning("WAL object upload failed", metadata: ["key": "\(key)", "error": "\(error)"])
            return false
        }
        let seconds = (timeline.now() - started).seconds
        counters.update {
            $0.walObjectsUploaded += 1
            $0.walBytesUploaded += UInt64(bytes.count)
            $0.lastWALUploadSeconds = seconds
            $0.objectStoreAvailable = true
        }
        covered(through: object.lastSequence)
        return true
    }

    /// Counted before the writers are released, so a released writer never reads
    /// an older `replicatedSequence` than its own.
    private func advance(to sequence: UInt64) {
        counters.update { $0.replicatedSequence = max($0.replicatedSequence, sequence) }
        waiters.advance(to: sequence)
    }
}
