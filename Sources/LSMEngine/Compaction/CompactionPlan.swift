import ScribeBytes

/// One compaction to run: segments from `level` merged with the segments of
/// `level + 1` that overlap them, written to `level + 1`.
struct CompactionPlan {
    let level: Int
    let inputs: [SegmentMetadata]
    let overlapping: [SegmentMetadata]
    /// Why it was chosen (for stats): the level's score, or nil when forced.
    let score: Double?

    var outputLevel: Int { level + 1 }
    var allInputs: [SegmentMetadata] { inputs + overlapping }

    /// A single segment with nothing to merge against moves down by a manifest
    /// edit alone: no bytes are read or written.
    var isTrivialMove: Bool { inputs.count == 1 && overlapping.isEmpty }

    var inputBytes: UInt64 { allInputs.reduce(0) { $0 + $1.fileSize } }
}

/// Chooses compactions the way LevelDB and RocksDB do: every level gets a score
/// (level 0: segment count over its trigger; level n ≥ 1: bytes over its
/// target, `maxBytesForLevelBase × multiplier^(n−1)`), and the highest score of
/// at least 1 is compacted. Level 0 compacts all its segments at once (they
/// overlap); a deeper level compacts one segment, taken round-robin by key.
struct CompactionPicker {
    let options: StoreOptions

    func targetBytes(level: Int) -> UInt64 {
        var target = options.maxBytesForLevelBase
        for _ in 1..<max(level, 1) { target = target.multipliedReportingOverflow(by: UInt64(options.levelSizeMultiplier)).partialValue }
        return target
    }

    /// Per-level scores; the last level has none (it cannot be compacted further down).
    func scores(_ version: Version) -> [Double] {
        (0..<(Version.maxLevels - 1)).map { level in
            let segments = version.levels[level]
            if level == 0 { return Double(segments.count) / Double(options.level0CompactionTrigger) }
            let bytes = segments.reduce(0) { $0 + $1.fileSize }
            return Double(bytes) / Double(targetBytes(level: level))
        }
    }

    /// Bytes above each level's target, summed: how far compaction is behind.
    func pendingBytes(_ version: Version) -> UInt64 {
        var pending: UInt64 = 0
        for level in 1..<(Version.maxLevels - 1) {
            let bytes = version.levels[level].reduce(0) { $0 + $1.fileSize }
            let target = targetBytes(level: level)
            if bytes > target { pending += bytes - target }
        }
        if version.levels[0].count >= options.level0CompactionTrigger {
            pending += version.levels[0].reduce(0) { $0 + $1.fileSize }
        }
        return pending
    }

    /// The most urgent compaction, or nil when every score is below 1.
    /// `cursor[level]` is the largest user key last compacted from that level.
    func pick(_ version: Version, cursor: [[UInt8]?]) -> CompactionPlan? {
        let scores = scores(version)
        guard let (level, score) = scores.enumerated().max(by: { $0.element < $1.element }), score >= 1 else {
            return nil
        }
        return plan(version, level: level, cursor: cursor[level], score: score)
    }

    /// A compaction of `level` into the next level.
    func plan(_ version: Version, level: Int, cursor: [UInt8]?, score: Double?) -> CompactionPlan? {
        let segments = version.levels[level]
        guard !segments.isEmpty, level + 1 < Version.maxLevels else { return nil }
        let inputs: [SegmentMetadata]
        if level == 0 {
            inputs = segments
        } else {
            let next = cursor.flatMap { c in segments.first { ByteOrder.compare($0.smallestKey.userKey, c) > 0 } }
            inputs = [next ?? segments[0]]
        }
        return plan(version, level: level, inputs: inputs, score: score)
    }

    /// A compaction of `inputs` (segments of `level`) with the segments of the
    /// next level whose user-key ranges overlap theirs.
    func plan(_ version: Version, level: Int, inputs: [SegmentMetadata], score: Double?) -> CompactionPlan {
        let low = inputs.map(\.smallestKey.userKey).min { ByteOrder.compare($0, $1) < 0 } ?? []
        let high = inputs.map(\.largestKey.userKey).max { ByteOrder.compare($0, $1) < 0 } ?? []
        let overlapping = version.levels[level + 1].filter {
            ByteOrder.compare($0.largestKey.userKey, low) >= 0 && ByteOrder.compare($0.smallestKey.userKey, high) <= 0
        }
        return CompactionPlan(level: level, inputs: inputs, overlapping: overlapping, score: score)
    }

    /// True when no level below `level` holds a segment whose key range covers
    /// `userKey`: a tombstone for it at `level` shadows nothing and may go.
    static func isBaseLevel(_ version: Version, level: Int, userKey: UnsafeRawBufferPointer) -> Bool {
        for deeper in (level + 1)..<Version.maxLevels where ReadView.find(userKey, in: version.levels[deeper]) != nil {
            return false
        }
        return true
    }
}
