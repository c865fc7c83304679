#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A writer waiting in the group-commit queue. `batch == nil` asks the leader
/// to freeze the memtable instead (used by `flush()`).
final class PendingWrite {
    let batch: WriteBatch?
    let sync: Bool
    /// The batch carries the sequence it was committed with elsewhere (`replay`):
    /// it is committed alone, at that sequence.
    let presequenced: Bool
    let condition = Condition()
    var done = false
    var result: Result<SequenceNumber, LSMError> = .success(0)

    init(batch: WriteBatch?, sync: Bool, presequenced: Bool = false) {
        self.batch = batch
        self.sync = sync
        self.presequenced = presequenced
    }
}

extension LSMStore {
    /// Writes `value` under `key`. Returns the new version's sequence number.
    @discardableResult @inlinable
    public func put(_ key: some Collection<UInt8>, _ value: some Collection<UInt8>, options: WriteOptions = .synced) throws -> SequenceNumber {
        var batch = WriteBatch()
        batch.put(key, value)
        return try write(batch, options: options)
    }

    /// Writes a tombstone for `key`; earlier versions stay in its history.
    /// Returns the tombstone's sequence number.
    @discardableResult @inlinable
    public func delete(_ key: some Collection<UInt8>, options: WriteOptions = .synced) throws -> SequenceNumber {
        var batch = WriteBatch()
        batch.delete(key)
        return try write(batch, options: options)
    }

    /// Applies every operation of `batch` atomically: readers see all or none.
    /// Operations get consecutive sequence numbers in order; returns the last
    /// one (the sequence at which the whole batch is visible). An empty batch
    /// writes nothing and returns the current sequence.
    ///
    /// Concurrent callers are committed in groups: one leader writes the whole
    /// group to the WAL with one `write` and, if any member asked for `sync`,
    /// one `fdatasync`.
    @discardableResult
    public func write(_ batch: WriteBatch, options: WriteOptions = .synced) throws -> SequenceNumber {
        try batch.validate(maxKeySize: self.options.maxKeySize, maxValueSize: self.options.maxValueSize)
        if batch.isEmpty {
            try mutex.withLock { try checkWritable() }
            return lastSequence.load(ordering: .acquiring)
        }
        return try commit(PendingWrite(batch: batch, sync: options.sync))
    }

    /// Queues `writer`; the writer at the head of the queue leads a group.
    func commit(_ writer: PendingWrite) throws -> SequenceNumber {
        mutex.lock()
        writers.append(writer)
        while !writer.done && writers.first !== writer {
            writer.condition.wait(mutex)
        }
        if writer.done {
            mutex.unlock()
            return try writer.result.get()
        }
        let group = lead(writer)
        writers.removeFirst(group.count)
        for member in group {
            member.done = true
            if member !== writer { member.condition.signal() }
        }
        if let next = writers.first {
            next.condition.signal()
        } else {
            backgroundWorkDone.broadcast()
        }
        mutex.unlock()
        return try writer.result.get()
    }

    /// Runs one group with `leader` at its head and sets every member's result.
    /// Called and returns with `mutex` held; releases it around the I/O.
    private func lead(_ leader: PendingWrite) -> [PendingWrite] {
        do {
            try checkWritable()
            try makeRoomForWrite(force: leader.batch == nil)
        } catch {
            leader.result = .failure(error as? LSMError ?? .closed(reason: "\(error)"))
            return [leader]
        }
        guard leader.batch != nil else {
            leader.result = .success(lastSequence.load(ordering: .relaxed))
            return [leader]
        }
        let group = leader.presequenced ? [leader] : gatherGroup(after: leader)
        var first = lastSequence.load(ordering: .relaxed) &+ 1
        if leader.presequenced, let batch = leader.batch, let stamped = WriteBatch.header(of: batch.encoded)?.sequence {
            guard stamped >= first else {
                leader.result = .failure(.invalidArgument(
                    "a replayed batch at sequence \(stamped) is not after the store's \(first - 1)"))
                return group
            }
            first = stamped
        }
        var merged = WriteBatch()
        var ends: [SequenceNumber] = []
        var next = first
        for member in group {
            guard let batch = member.batch else { continue }
            merged.append(contentsOf: batch)
            next += SequenceNumber(batch.count)
            ends.append(next - 1)
        }
        let last = next - 1
        guard last <= maxSequenceNumber else {
            for member in group { member.result = .failure(.invalidArgument("sequence numbers exhausted")) }
            return group
        }
        merged.setSequence(first)
        let sync = group.contains { $0.sync }
        let log = wal
        let table = memtable
        let observer = self.observer
        counters.walGroups += 1
        counters.walBatches += UInt64(group.count)
        if sync { counters.walSyncs += 1 }
        mutex.unlock()
        let outcome: Result<Void, LSMError>
        do {
            guard let log else { throw LSMError.readOnly("the store was opened read-only") }
            try log.append(merged.encoded)
            if sync { try log.sync() }
            try insert(merged, into: table)
            observer?.committed(CommittedBatch(firstSequence: first, lastSequence: last, encoded: merged.encoded))
            outcome = .success(())
        } catch {
            outcome = .failure(error as? LSMError ?? .closed(reason: "\(error)"))
        }
        mutex.lock()
        switch outcome {
        case .success:
            lastSequence.store(last, ordering: .releasing)
            if workersWaitingForSpace == 0 { spaceError = nil }
            for (member, end) in zip(group, ends) { member.result = .success(end) }
        case let .failure(error):
            if error.isOutOfSpace, let log, !log.isFailed {
                // The writer undid the partial append: the group failed whole and
                // the store takes writes again once space returns.
                spaceError = error
            } else {
                // The WAL may now hold a partial group: refuse further writes
                // rather than acknowledge anything after an unknown state.
                backgroundError = error
            }
            for member in group { member.result = .failure(error) }
        }
        return group
    }

    /// The leader plus the followers it can take along: up to 1 MiB of batches
    /// (less when the leader's batch is small, so small writes stay fast), never
    /// a synced writer behind a buffered leader, never a flush request.
    private func gatherGroup(after leader: PendingWrite) -> [PendingWrite] {
        guard let first = leader.batch else { return [leader] }
        var limit = 1 << 20
        if first.byteSize <= 128 << 10 { limit = first.byteSize + (128 << 10) }
        var size = first.byteSize
        var group = [leader]
        for follower in writers.dropFirst() {
            guard let batch = follower.batch, !follower.presequenced, !(follower.sync && !leader.sync) else { break }
            size += batch.byteSize
            if size > limit { break }
            group.append(follower)
        }
        return group
    }

    private func insert(_ batch: WriteBatch, into table: Memtable) throws {
        let encoded = batch.encoded
        try encoded.withUnsafeBytes { raw in
            try WriteBatch.forEach(encoded: encoded, file: "write batch", offset: 0) { sequence, op in
                table.add(
                    sequence: sequence, kind: op.kind,
                    key: UnsafeRawBufferPointer(rebasing: raw[op.key]),
                    value: UnsafeRawBufferPointer(rebasing: raw[op.value]))
            }
        }
    }

    /// Freezes the memtable when it is full (or when `force` and it is not
    /// empty), waiting while too many frozen memtables are still flushing.
    /// Caller holds `mutex`.
    private func makeRoomForWrite(force: Bool) throws {
        var force = force
        var delayed = false
        while true {
            try checkWritable()
            if options.automaticCompaction {
                let level0 = current.version.levels[0].count
                if !delayed && (level0 >= options.level0SlowdownTrigger || pendingCompactionBytes >= options.softPendingCompactionBytesLimit) {
                    // Spread the cost of a compaction backlog over many writes
                    // rather than stopping all of them at once later.
                    delayed = true
                    counters.writeSlowdowns += 1
                    mutex.unlock()
                    usleep(1000)
                    mutex.lock()
                    continue
                }
                if level0 >= options.level0StopTrigger || pendingCompactionBytes >= options.hardPendingCompactionBytesLimit {
                    try failIfWaitingForSpace()
                    counters.writeStalls += 1
                    backgroundWorkDone.wait(mutex)
                    continue
                }
            }
            if force {
                if memtable.isEmpty { return }
            } else if memtable.approximateMemoryUsage < options.memtableSize {
                return
            }
            if immutables.count >= options.maxImmutableMemtables {
                try failIfWaitingForSpace()
                counters.writeStalls += 1
                backgroundWorkDone.wait(mutex)
                continue
            }
            try freezeMemtable()
            force = false
        }
    }

    /// A writer that would wait for a flush or compaction fails at once instead
    /// while that work waits for disk space: it could wait for as long as the disk
    /// stays full. Caller holds `mutex`.
    private func failIfWaitingForSpace() throws {
        if workersWaitingForSpace > 0, let spaceError { throw spaceError }
    }

    /// Starts a new WAL and memtable; the old pair goes to the flush queue.
    /// A failure is sticky: the old WAL's durability is then unknown.
    /// Caller holds `mutex`.
    private func freezeMemtable() throws {
        let number = versions.newFileNumber()
        let fileSystem = options.fileSystem
        let file: any WritableFile
        do {
            file = try fileSystem.create(walPath(number))
            try fileSystem.syncDirectory(path)
        } catch {
            try? fileSystem.remove(walPath(number))
            let failure = error as? LSMError ?? .closed(reason: "\(error)")
            // No new WAL means nothing changed: out of space, writes resume later.
            if failure.isOutOfSpace { spaceError = failure } else { backgroundError = failure }
            throw failure
        }
        do {
            try wal?.sync()
        } catch {
            try? fileSystem.remove(walPath(number))
            let failure = error as? LSMError ?? .closed(reason: "\(error)")
            backgroundError = failure
            throw failure
        }
        immutables.append(FrozenMemtable(memtable: memtable, walNumber: walNumber))
        memtable = Memtable()
        wal = WALWriter(file: file, startingAt: 0)
        walNumber = number
        scheduleFlush()
    }
}
