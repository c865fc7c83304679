extension LSMStore {
    /// Freezes the memtable and returns once every frozen memtable is written
    /// to a segment and recorded in the manifest.
    public func flush() throws {
        _ = try commit(PendingWrite(batch: nil, sync: false))
        mutex.lock()
        defer { mutex.unlock() }
        while !immutables.isEmpty && backgroundError == nil && workersWaitingForSpace == 0 {
            backgroundWorkDone.wait(mutex)
        }
        if let backgroundError { throw backgroundError }
        if !immutables.isEmpty, let spaceError { throw spaceError }
    }

    /// Starts the background flusher unless it is running. Caller holds `mutex`.
    func scheduleFlush() {
        guard !flushScheduled, !immutables.isEmpty else { return }
        flushScheduled = true
        background.async { self.flushFrozenMemtables() }
    }

    /// Flushes frozen memtables oldest first until none is left or one fails.
    private func flushFrozenMemtables() {
        runBackgroundWork(
            "flush",
            next: { () -> (FrozenMemtable, UInt64)? in
                guard let frozen = immutables.first else { return nil }
                return (frozen, immutables.count > 1 ? immutables[1].walNumber : walNumber)
            },
            perform: { try flush($0.0, nextLogNumber: $0.1) },
            finished: { flushScheduled = false })
    }

    /// The loop of a background worker. Under `mutex`, `next` picks the next
    /// piece of work (nil: nothing left); `perform` runs it with the mutex
    /// released. A failure for lack of space is retried after a back-off that
    /// doubles from 50 ms to 5 s (the store is writable again once space returns);
    /// any other failure becomes the sticky `backgroundError`. When the loop ends —
    /// no work, a sticky failure, or the store closing while it waits for space —
    /// `finished` runs under the mutex (to clear the worker's scheduled flag) and
    /// waiters are woken.
    func runBackgroundWork<Work>(
        _ name: String, next: () -> Work?, perform: (Work) throws -> Void, finished: () -> Void
    ) {
        var delay = Self.firstSpaceRetryDelay
        while true {
            mutex.lock()
            guard backgroundError == nil, let work = next() else {
                finished()
                backgroundWorkDone.broadcast()
                mutex.unlock()
                return
            }
            mutex.unlock()
            do {
                try perform(work)
                delay = Self.firstSpaceRetryDelay
            } catch {
                mutex.lock()
                let failure = error as? LSMError ?? .closed(reason: "\(name) failed: \(error)")
                if failure.isOutOfSpace, !isClosed {
                    spaceError = failure
                    workersWaitingForSpace += 1
                    backgroundWorkDone.broadcast()
                    spaceRetry.wait(mutex, seconds: delay)
                    workersWaitingForSpace -= 1
                    delay = min(delay * 2, Self.lastSpaceRetryDelay)
                    let closing = isClosed
                    mutex.unlock()
                    if closing {
                        // Closing while the disk is full: the work's inputs (WALs,
                        // input segments) are intact, so it is simply left undone.
                        mutex.withLock {
                            finished()
                            backgroundWorkDone.broadcast()
                        }
                        return
                    }
                    continue
                }
                backgroundError = failure
                finished()
                backgroundWorkDone.broadcast()
                mutex.unlock()
                return
            }
        }
    }

    /// The back-off of a background worker waiting for disk space, first and longest.
    static let firstSpaceRetryDelay = 0.05
    static let lastSpaceRetryDelay = 5.0

    /// Writes one frozen memtable as a level-0 segment, records it in the
    /// manifest with the WAL that follows it, then swaps it in for the memtable.
    private func flush(_ frozen: FrozenMemtable, nextLogNumber: UInt64) throws {
        var edit = VersionEdit()
        edit.logNumber = nextLogNumber
        if !frozen.memtable.isEmpty {
            // Under `.latestOnly` a flush already drops versions shadowed inside
            // the memtable; tombstones stay (older segments may hold what they hide).
            let filter = HistoryFilter(
                policy: options.historyPolicy,
                oldestVisible: min(snapshots.sequences.first ?? .max, lastSequence.load(ordering: .acquiring))
            ) { _ in false }
            if let metadata = try SegmentBuilding.write(
                frozen.memtable.makeIterator(), directory: path, level: 0, options: options, filter: filter) {
                edit.added = [metadata]
            }
            edit.lastSequence = frozen.memtable.largestSequence
        }
        try install(edit) {
            immutables.removeFirst()
            counters.flushes += 1
        }
        StoreFiles.removeWALs(in: path, below: nextLogNumber, fileSystem: options.fileSystem)
    }

    /// Applies `edit` to the manifest and makes the result current. Each added
    /// segment is first opened through the table cache, which checks it against
    /// its record. `change` runs in the same critical section as the switch (so
    /// readers never see the edit without it). Removed segments are retired:
    /// deleted once no view uses them. Flush and compaction both install
    /// through here, one at a time.
    func install(_ edit: VersionEdit, change: () -> Void) throws {
        for segment in edit.added {
            _ = try tableCache.reader(for: segment)
        }
        try manifestLock.withLock {
            var edit = edit
            if let last = edit.lastSequence { edit.lastSequence = max(last, versions.current.lastSequence) }
            let installed: Version
            do {
                installed = try versions.apply(edit)
            } catch {
                // The edit never happened: the segments it would have added (those
                // not already live, as a trivial move's is) are not kept.
                let live = Set(versions.current.allSegments.map(\.id))
                for segment in edit.added where !live.contains(segment.id) {
                    tableCache.evict(segment.id)
                    try? options.fileSystem.remove(segmentPath(segment.id))
                }
                throw error
            }
            let kept = Set(edit.added.map(\.id))
            let removed = edit.removed.map(\.id).filter { !kept.contains($0) }
            mutex.lock()
            if workersWaitingForSpace == 0 { spaceError = nil }
            current = PinnedVersion(version: installed, lifetimes: lifetimes)
            pendingCompactionBytes = picker.pendingBytes(installed)
            change()
            scheduleCompaction()
            backgroundWorkDone.broadcast()
            let observer = self.observer
            mutex.unlock()
            observer?.installed(installed)
            lifetimes.retire(removed)
        }
    }
}

/// Writes the entries of an internal iterator as one segment file.
enum SegmentBuilding {
    /// Segment writer settings for a store's options at `level`.
    static func writerOptions(_ options: StoreOptions, level: Int) -> SegmentWriterOptions {
        var writerOptions = SegmentWriterOptions(creationTime: WallClock.milliseconds())
        writerOptions.blockSize = options.blockSize
        writerOptions.compression = options.compression
        writerOptions.bloomBitsPerKey = options.bloomBitsPerKey
        writerOptions.level = level
        return writerOptions
    }

    /// Writes every entry `filter` keeps; nil when it keeps none.
    static func write(
        _ source: InternalIterator, directory: String, level: Int, options: StoreOptions, filter: HistoryFilter
    ) throws -> SegmentMetadata? {
        var filter = filter
        let writer = try SegmentWriter(
            directory: directory, options: writerOptions(options, level: level), fileSystem: options.fileSystem)
        do {
            try source.seekToFirst()
            while source.isValid {
                var startsKey = false
                if try !filter.drops(source.key, startsKey: &startsKey) {
                    try writer.add(key: source.key, value: source.value)
                }
                try source.next()
            }
            guard writer.entryCount > 0 else {
                writer.abandon()
                return nil
            }
            return try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }
}
