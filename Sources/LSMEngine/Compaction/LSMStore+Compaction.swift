import ScribeBytes

extension LSMStore {
    /// Compacts every level into the next, top down, until all segments sit in
    /// one level: the deepest that holds data, and at least level 1. Runs on the compaction queue (after
    /// any background compaction in progress) and returns when done. The
    /// memtable is not flushed; call `flush()` first to include it.
    public func compact() throws {
        try compactionQueue.sync {
            for level in 0..<(Version.maxLevels - 1) {
                let version = try mutex.withLock { () throws -> Version in
                    try checkWritable()
                    return current.version
                }
                guard let deepest = version.levels.lastIndex(where: { !$0.isEmpty }), level < max(deepest, 1) else { return }
                guard !version.levels[level].isEmpty else { continue }
                try runCompaction(picker.plan(version, level: level, inputs: version.levels[level], score: nil), on: version)
            }
        }
    }

    /// Starts the background compactor if a level needs it. Caller holds `mutex`.
    func scheduleCompaction() {
        guard options.automaticCompaction, !options.readOnly, !compactionScheduled, !isClosed, backgroundError == nil,
              picker.pick(current.version, cursor: compactionCursor) != nil else { return }
        compactionScheduled = true
        compactionQueue.async { self.compactWhileNeeded() }
    }

    /// Runs the most urgent compaction until none is needed or one fails.
    private func compactWhileNeeded() {
        runBackgroundWork(
            "compaction",
            next: { () -> (CompactionPlan, Version)? in
                guard !isClosed else { return nil }
                let version = current.version
                return picker.pick(version, cursor: compactionCursor).map { ($0, version) }
            },
            perform: { try runCompaction($0.0, on: $0.1) },
            finished: { compactionScheduled = false })
    }

    /// Runs `plan` (planned against `version`) and installs its result as one manifest edit.
    private func runCompaction(_ plan: CompactionPlan, on version: Version) throws {
        var edit = VersionEdit()
        edit.removed = plan.allInputs.map { ($0.level, $0.id) }
        if plan.isTrivialMove, let segment = plan.inputs.first {
            edit.added = [segment.moved(to: plan.outputLevel)]
            try install(edit) {
                counters.compactions += 1
                counters.trivialMoves += 1
                compactionCursor[plan.level] = segment.largestKey.userKey
            }
            return
        }
        // The inputs stay in every version until this compaction installs, and
        // only this queue removes segments: pinning `version` is enough.
        let pinned = PinnedVersion(version: version, lifetimes: lifetimes)
        let inputs = try plan.allInputs.map { try tableCache.reader(for: $0) }
        let oldestVisible = min(snapshots.sequences.first ?? .max, lastSequence.load(ordering: .acquiring))
        let job = CompactionJob(plan: plan, version: version, directory: path, options: options, oldestVisible: oldestVisible)
        let result = try withExtendedLifetime(pinned) { try job.run(readers: inputs) }
        edit.added = result.outputs
        try install(edit) {
            counters.compactions += 1
            counters.compactionBytesRead += plan.inputBytes
            counters.compactionBytesWritten += result.bytesWritten
            counters.compactionEntriesDropped += result.entriesDropped
            compactionCursor[plan.level] = plan.inputs.map(\.largestKey.userKey).max { ByteOrder.compare($0, $1) < 0 }
        }
    }
}

extension SegmentMetadata {
    /// The same segment recorded at another level (a trivial move).
    func moved(to level: Int) -> SegmentMetadata {
        SegmentMetadata(
            id: id, level: level, root: root, smallestKey: smallestKey, largestKey: largestKey,
            smallestSequence: smallestSequence, largestSequence: largestSequence, entryCount: entryCount, fileSize: fileSize,
            blockCount: blockCount)
    }
}
