/// Runs one compaction: a k-way merge of the input segments in internal-key
/// order, written as new segments of the output level, each closed at
/// `targetSegmentSize` but never between two versions of one user key (so
/// levels ≥ 1 stay user-key-disjoint and a read needs one segment per level).
///
/// With `.retainAll` every entry is kept. With `.latestOnly` an entry is
/// dropped when a newer version of its key is visible to every reader (its
/// sequence ≤ the oldest live snapshot), and a tombstone is dropped when it is
/// visible to every reader and no deeper level holds its key — LevelDB's rules.
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
        var result = Result()
        var writer: SegmentWriter?
        var currentKey: [UInt8] = []
        var hasCurrentKey = false
        var newerSequence = SequenceNumber.max
        do {
            try source.seekToFirst()
            while source.isValid {
                guard let parts = splitInternalKey(source.key) else {
                    throw LSMError.corruption(file: directory, offset: 0, reason: "compaction input key shorter than 8 bytes")
                }
                let sequence = parts.trailer >> 8
                let isNewKey = !hasCurrentKey || currentKey.withUnsafeBytes { compareBytes($0, parts.userKey) } != 0
                if isNewKey {
                    currentKey = Array(parts.userKey)
                    hasCurrentKey = true
                    newerSequence = .max
                }
                result.entriesRead += 1
                if drops(sequence: sequence, kind: UInt8(truncatingIfNeeded: parts.trailer), newer: newerSequence, userKey: parts.userKey) {
                    result.entriesDropped += 1
                } else {
                    if isNewKey, let open = writer, open.estimatedFileSize >= UInt64(options.targetSegmentSize) {
                        result.outputs.append(try open.finish())
                        writer = nil
                    }
                    let output = try writer ?? SegmentWriter(directory: directory, options: writerOptions())
                    writer = output
                    try output.add(key: source.key, value: source.value)
                }
                newerSequence = sequence
                try source.next()
            }
            if let open = writer {
                result.outputs.append(try open.finish())
                writer = nil
            }
        } catch {
            writer?.abandon()
            for output in result.outputs { try? FileSystem.remove(directory + "/" + output.id.fileName) }
            throw error
        }
        return result
    }

    private func drops(sequence: SequenceNumber, kind: UInt8, newer: SequenceNumber, userKey: UnsafeRawBufferPointer) -> Bool {
        guard options.historyPolicy == .latestOnly else { return false }
        if newer <= oldestVisible { return true }
        return kind == ValueKind.delete.rawValue && sequence <= oldestVisible
            && CompactionPicker.isBaseLevel(version, level: plan.outputLevel, userKey: userKey)
    }

    private func writerOptions() -> SegmentWriterOptions {
        SegmentBuilding.writerOptions(options, level: plan.outputLevel)
    }
}
