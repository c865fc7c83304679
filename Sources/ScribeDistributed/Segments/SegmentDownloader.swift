import LSMEngine
import Logging
import Synchronization

/// Whole segments brought into a `SegmentCache` in the background: downloaded
/// from the object store in `downloadChunk` range requests, or written from
/// bytes already in memory (a tail window that held the whole file).
///
/// One job per segment at a time (requests for a segment queued, running or
/// cached are ignored); at most `downloadConcurrency` jobs run at once, urgent
/// ones (after a read miss) ahead of the rest. A failed job is logged and
/// forgotten, so the next request tries again. Each file's size is checked
/// against the manifest's `fileSize` as it arrives (`SegmentObject.bytes`).
final class SegmentDownloader: Sendable {
    private struct Job {
        let segment: SegmentMetadata
        /// The whole file, when it is already in memory.
        let bytes: [UInt8]?
    }

    private struct Queue {
        var waiting: [Job] = []
        /// Segments waiting or running.
        var pending: Set<SegmentID> = []
        var workers = 0
    }

    private let store: any ObjectStore
    private let cache: SegmentCache
    private let bridge: BlockingBridge
    private let chunk: UInt64
    private let concurrency: Int
    private let logger: Logger
    private let queue = Locked(Queue())
    private let completed = Atomic<UInt64>(0)
    private let failed = Atomic<UInt64>(0)

    init(
        store: any ObjectStore, cache: SegmentCache, bridge: BlockingBridge, settings: ObjectSegmentSettings,
        logger: Logger
    ) {
        self.store = store
        self.cache = cache
        self.bridge = bridge
        chunk = settings.downloadChunk
        concurrency = settings.downloadConcurrency
        self.logger = logger
    }

    /// Files written into the cache, and jobs that failed.
    var downloads: UInt64 { completed.load(ordering: .relaxed) }
    var failures: UInt64 { failed.load(ordering: .relaxed) }

    /// Queues a download of `segment` (at the front when `urgent`) unless it is
    /// cached, already pending, or larger than the whole cache. True when queued.
    @discardableResult
    func request(_ segment: SegmentMetadata, urgent: Bool) -> Bool {
        enqueue(Job(segment: segment, bytes: nil), urgent: urgent)
    }

    /// Queues writing `bytes`, the whole file of `segment`, into the cache.
    func keep(_ segment: SegmentMetadata, bytes: [UInt8]) {
        enqueue(Job(segment: segment, bytes: bytes), urgent: true)
    }

    @discardableResult
    private func enqueue(_ job: Job, urgent: Bool) -> Bool {
        let id = job.segment.id
        guard job.segment.fileSize <= cache.capacity, !cache.contains(id) else { return false }
        let startWorker = queue.withLock { queue -> Bool? in
            guard queue.pending.insert(id).inserted else { return nil }
            if urgent { queue.waiting.insert(job, at: 0) } else { queue.waiting.append(job) }
            guard queue.workers < concurrency else { return false }
            queue.workers += 1
            return true
        }
        guard let startWorker else { return false }
        if startWorker { bridge.spawn { await self.work() } }
        return true
    }

    /// Runs jobs until none wait.
    private func work() async {
        while let job = queue.withLock({ queue -> Job? in
            guard !queue.waiting.isEmpty else {
                queue.workers -= 1
                return nil
            }
            return queue.waiting.removeFirst()
        }) {
            let outcome: Result<Bool, any Error>
            do {
                outcome = .success(try await run(job))
            } catch {
                outcome = .failure(error)
            }
            // Forgotten before it is counted: whoever sees the count can request it again.
            _ = queue.withLock { $0.pending.remove(job.segment.id) }
            switch outcome {
            case .success(true):
                completed.add(1, ordering: .relaxed)
                logger.debug("segment cached", metadata: ["segment": "\(job.segment.id)"])
            case .success(false):
                logger.debug("segment not downloaded: cached already, or no room", metadata: ["segment": "\(job.segment.id)"])
            case let .failure(error):
                failed.add(1, ordering: .relaxed)
                logger.warning(
                    "segment download failed", metadata: ["segment": "\(job.segment.id)", "error": "\(error)"])
            }
        }
    }

    /// Writes the job's file into the cache; false when the cache has it
    /// already or cannot make room for it.
    private func run(_ job: Job) async throws -> Bool {
        let segment = job.segment
        guard let writer = try cache.makeWriter(for: segment.id, size: segment.fileSize) else { return false }
        if let bytes = job.bytes {
            try writer.write(bytes, at: 0)
        } else {
            var offset: UInt64 = 0
            while offset < segment.fileSize {
                let end = min(segment.fileSize, offset + chunk)
                try writer.write(try await SegmentObject.bytes(of: segment, offset..<end, from: store), at: offset)
                offset = end
            }
        }
        try writer.commit()
        return true
    }
}
