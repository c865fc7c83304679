/// Runs one compaction: a k-way merge of the input segments in internal-key
/// order, written as new segments of the output level, each closed at
/// `targetSegmentSize` but never between two versions of one user key (so
/// levels ≥ 1 stay user-key-disjoint and a read needs one segment per level).
///
/// What it keeps follows the history policy (`HistoryFilter`); a tombstone
/// goes only when no deeper level holds its key.
struct CompactionJob {
    let plan: CompactionPlan
    let version: Version
    let directory: String
    let options: StoreOptions
    /// The oldest sequence any reader may read at: the oldest live snapshot, or the newest sequence.
    let oldestVisible: SequenceNumber

    /// What the job wrote and how much it dropped.
    struct Result {
        var outputs: [SegmentMetadata] = []
        var entriesRead: UInt64 = 0
        var entriesDropped: UInt64 = 0
        var bytesWritten: UInt64 { outputs.reduce(0) { $0 + $1.fileSize } }
    }

    func run(readers: [SegmentReader]) throws -> Result {
        let source = MergingIterator(readers.map { $0.makeIterator(fillCache: false) })
        var filter = HistoryFilter(policy: options.historyPolicy, oldestVisible: oldestVisible) { [version, plan] userKey in
            CompactionPicker.isBaseLevel(version, level: plan.outputLevel, userKey: userKey)
        }
        var result = Result()
        var writer: SegmentWriter?
        do {
            try source.seekToFirst()
            while source.isValid {
                result.entriesRead += 1
                var startsKey = false
                if try filter.drops(source.key, startsKey: &startsKey) {
                    result.entriesDropped += 1
                } else {
                    if startsKey, let open = writer, open.estimatedFileSize >= UInt64(options.targetSegmentSize) {
                        result.outputs.append(try open.finish())
                        writer = nil
                    }
                    let output = try writer
                        ?? SegmentWriter(directory: directory, options: writerOptions(), fileSystem: options.fileSystem)
                    writer = output
                    try output.add(key: source.key, value: source.value)
                }
                try source.next()
            }
            if let open = writer {
                result.outputs.append(try open.finish())
                writer = nil
            }
        } catch {
            writer?.abandon()
            for output in result.outputs { try? options.fileSystem.remove(directory + "/" + output.id.fileName) }
            throw error
        }
        return result
    }

    private func writerOptions() -> SegmentWriterOptions {
        SegmentBuilding.writerOptions(options, level: plan.outputLevel)
    }
}
