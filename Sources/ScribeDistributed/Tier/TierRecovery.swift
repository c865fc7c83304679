import LSMEngine
import Logging
import ScribeObjects

/// Opens the engine for a `DurableTier`. A data directory that holds a store is
/// opened as it is. An empty one is rebuilt from object storage: the store
/// starts from the newest published manifest (its segments stay remote and are
/// fetched when read), then the WAL objects newer than that manifest's flushed
/// sequence are replayed. The epoch for this run's WAL objects is chosen above
/// every epoch found.
struct TierRecovery {
    let settings: DurableTierSettings
    let options: StoreOptions
    let manifests: any ManifestStore
    let logger: Logger

    struct Outcome {
        let store: LSMStore
        let report: TierRecoveryReport
        let published: PublishedManifest?
        let epoch: UInt64
    }

    func open() async throws -> Outcome {
        let objects = settings.objectStore
        let background = settings.executor.background
        let directory = settings.dataDirectory
        if LSMStore.holdsStore(at: directory) {
            let store = try await background.run { try LSMStore.open(at: directory, options: options) }
            var published: PublishedManifest?
            var epochs: [UInt64] = []
            do {
                published = try await manifests.latest()
                epochs = try await objects.list(prefix: ObjectKeys.walPrefix, startAfter: nil)
                    .compactMap { ObjectKeys.walRange(fromKey: $0.key)?.epoch }
            } catch {
                logger.warning(
                    "object storage unreachable at start; serving from the local store and shipping when it returns",
                    metadata: ["error": "\(error)"])
            }
            var report = TierRecoveryReport()
            report.lastSequence = store.latestSequence
            return Outcome(store: store, report: report, published: published, epoch: nextEpoch(after: epochs))
        }

        let published = try await manifests.latest()
        let listed = try await objects.list(prefix: ObjectKeys.walPrefix, startAfter: nil)
        let ranges = listed.compactMap { info in
            ObjectKeys.walRange(fromKey: info.key).map { (key: info.key, range: $0) }
        }
        let store: LSMStore
        if let published {
            let base = published.base
            store = try await background.run { try LSMStore.create(at: directory, base: base, options: options) }
        } else {
            store = try await background.run { try LSMStore.open(at: directory, options: options) }
        }
        var report = TierRecoveryReport()
        report.rebuilt = true
        report.manifestVersion = published?.version ?? 0
        report.segments = published?.segments.count ?? 0
        let flushed = published?.lastSequence ?? 0
        do {
            for object in Self.replayOrder(ranges.map { ($0.key, $0.range) }, after: flushed) {
                let bytes = try await objects.get(object.key)
                let decoded: WALObject
                do {
                    decoded = try WALObject.decode(bytes, origin: objects.location + "/" + object.key)
                } catch let error as ObjectFormatError {
                    throw DurableTierError.corrupt("\(error)")
                }
                report.walObjects += 1
                for batch in decoded.batches where batch.lastSequence < object.supersededFrom {
                    let origin = object.key
                    let encoded = batch.encoded
                    if try await background.run({ try store.replay(committed: encoded, origin: origin) }) {
                        report.walBatchesReplayed += 1
                    }
                }
            }
        } catch {
            try? store.close()
            throw error
        }
        report.lastSequence = store.latestSequence
        logger.info(
            "rebuilt the data directory from object storage",
            metadata: [
                "manifestVersion": "\(report.manifestVersion)", "segments": "\(report.segments)",
                "walObjects": "\(report.walObjects)", "batches": "\(report.walBatchesReplayed)",
                "lastSequence": "\(report.lastSequence)",
            ])
        return Outcome(
            store: store, report: report, published: published,
            epoch: nextEpoch(after: ranges.map { $0.range.epoch }))
    }

    /// One WAL object to replay, and the sequence from which a later epoch's
    /// objects replace its batches.
    struct ReplayItem: Equatable {
        let key: String
        let supersededFrom: UInt64
    }

    /// The objects to replay, in order: those ending after `flushed`, by
    /// sequence. A later epoch is a later writer that started from what it
    /// could read: from its first sequence on, its objects replace those of
    /// earlier epochs (whose batches there never reached it, so were never
    /// acknowledged as replicated to anyone it served).
    static func replayOrder(
        _ objects: [(key: String, range: (epoch: UInt64, first: UInt64, last: UInt64))], after flushed: UInt64
    ) -> [ReplayItem] {
        let live = objects.filter { $0.range.last > flushed }
        var firstOfEpoch: [UInt64: UInt64] = [:]
        for object in live { firstOfEpoch[object.range.epoch] = min(firstOfEpoch[object.range.epoch] ?? .max, object.range.first) }
        return live.sorted { ($0.range.first, $0.range.epoch) < ($1.range.first, $1.range.epoch) }
            .compactMap { object -> ReplayItem? in
                let later = firstOfEpoch.filter { $0.key > object.range.epoch }.map(\.value).min() ?? .max
                guard object.range.first < later else { return nil }
                return ReplayItem(key: object.key, supersededFrom: later)
            }
    }

    /// Above every epoch seen and at least the current Unix time in milliseconds,
    /// so epochs grow across restarts even when object storage cannot be listed.
    private func nextEpoch(after epochs: [UInt64]) -> UInt64 {
        max((epochs.max() ?? 0) &+ 1, WallClock.milliseconds())
    }
}
