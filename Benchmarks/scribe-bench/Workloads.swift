import LSMEngine
import Synchronization

/// What every thread of one benchmark shares: the store, the flags, the key
/// range, the write options, and for `readwhilewriting` the count of readers
/// still running (the writer stops when it reaches zero).
final class WorkloadContext: Sendable {
    let store: LSMStore
    let flags: BenchFlags
    /// Keys are drawn from `0..<keyRange` (`--num`, or `--num`/1000 for fillsync).
    let keyRange: UInt64
    let writeOptions: WriteOptions
    let keys: KeyFormatter
    let readersRunning = Atomic<Int>(0)

    init(store: LSMStore, flags: BenchFlags, keyRange: UInt64, sync: Bool) {
        self.store = store
        self.flags = flags
        self.keyRange = keyRange
        writeOptions = WriteOptions(sync: sync)
        keys = KeyFormatter(keySize: flags.keySize)
    }
}

/// The benchmarks, each a port of the db_bench method of the same name,
/// drawing random numbers in the same order so the same `--seed` touches the
/// same keys. Every store error is fatal, as in db_bench.
enum Workloads {
    /// db_bench's `DoWrite` with one key per batch: `--num` puts per thread,
    /// keys sequential from 0 or `Random64 % keyRange` (after the draw
    /// db_bench spends choosing among its databases); bytes = key + value.
    static func write(_ context: WorkloadContext, _ thread: BenchThread, sequential: Bool) throws {
        let flags = context.flags
        guard context.keyRange > 0 else { return }
        if context.keyRange != UInt64(flags.num) {
            thread.stats.addMessage("(\(context.keyRange) ops)")
        }
        var values = ValueGenerator(valueSize: flags.valueSize)
        var key = context.keys.makeBuffer()
        var bytes: UInt64 = 0
        for index in 0..<UInt64(flags.num) {
            let number: UInt64
            if sequential {
                number = index
            } else {
                _ = thread.random.next()
                number = thread.random.next() % context.keyRange
            }
            context.keys.fill(&key, with: number)
            let value = values.next()
            _ = try context.store.put(key, value, options: context.writeOptions)
            bytes += UInt64(flags.keySize + value.count)
            thread.stats.finished(1, .write)
        }
        thread.stats.addBytes(bytes)
    }

    /// db_bench's `ReadRandom`: `--reads` gets of random keys; the message
    /// is `(found of reads found)` and bytes count found keys and values.
    static func readRandom(_ context: WorkloadContext, _ thread: BenchThread) throws {
        let flags = context.flags
        var key = context.keys.makeBuffer()
        var read: UInt64 = 0
        var found: UInt64 = 0
        var bytes: UInt64 = 0
        let range = UInt64(flags.num)
        for _ in 0..<flags.readsPerThread {
            _ = thread.random.next()
            context.keys.fill(&key, with: thread.random.next() % range)
            read += 1
            if let value = try context.store.get(key) {
                found += 1
                bytes += UInt64(flags.keySize + value.count)
            }
            thread.stats.finished(1, .read)
        }
        thread.stats.addBytes(bytes)
        thread.stats.addMessage("(\(found) of \(read) found)\n")
    }

    /// db_bench's `ReadSequential` / `ReadReverse`: one iterator over the
    /// whole store, at most `--reads` entries; bytes = keys + values.
    static func scan(_ context: WorkloadContext, _ thread: BenchThread, reverse: Bool) throws {
        let iterator = try context.store.makeIterator(ScanOptions(reverse: reverse))
        var bytes: UInt64 = 0
        var count: Int64 = 0
        while count < context.flags.readsPerThread, let entry = try iterator.next() {
            bytes += UInt64(entry.key.count + entry.value.count)
            thread.stats.finished(1, .op)
            count += 1
        }
        thread.stats.addBytes(bytes)
    }

    /// db_bench's `SeekRandom` with `seek_nexts=0`: a new iterator positioned
    /// at a random key per operation; found when it lands exactly on the key.
    static func seekRandom(_ context: WorkloadContext, _ thread: BenchThread) throws {
        let flags = context.flags
        var key = context.keys.makeBuffer()
        var read: UInt64 = 0
        var found: UInt64 = 0
        let range = UInt64(flags.num)
        for _ in 0..<flags.readsPerThread {
            context.keys.fill(&key, with: thread.random.next() % range)
            let iterator = try context.store.makeIterator(ScanOptions(start: key))
            read += 1
            if let entry = try iterator.next(), entry.key == key {
                found += 1
            }
            thread.stats.finished(1, .seek)
        }
        thread.stats.addMessage("(\(found) of \(read) found)\n")
    }

    /// db_bench's `DeleteRandom`: `--num` deletes of random keys per thread.
    static func deleteRandom(_ context: WorkloadContext, _ thread: BenchThread) throws {
        var key = context.keys.makeBuffer()
        let range = UInt64(context.flags.num)
        for _ in 0..<context.flags.num {
            _ = thread.random.next()
            context.keys.fill(&key, with: thread.random.next() % range)
            _ = try context.store.delete(key, options: context.writeOptions)
            thread.stats.finished(1, .delete)
        }
    }

    /// db_bench's `ReadWhileWriting`: thread 0 is `BGWriter` — random puts
    /// until every reader has finished, excluded from the reported figures —
    /// and the other threads run `readRandom`.
    static func readWhileWriting(_ context: WorkloadContext, _ thread: BenchThread) throws {
        guard thread.index == 0 else {
            defer { context.readersRunning.subtract(1, ordering: .releasing) }
            try readRandom(context, thread)
            return
        }
        thread.stats.excludedFromMerge = true
        var values = ValueGenerator(valueSize: context.flags.valueSize)
        var key = context.keys.makeBuffer()
        var bytes: UInt64 = 0
        let range = UInt64(context.flags.num)
        while true {
            _ = thread.random.next()
            if context.readersRunning.load(ordering: .acquiring) <= 0 { break }
            context.keys.fill(&key, with: thread.random.next() % range)
            let value = values.next()
            _ = try context.store.put(key, value, options: context.writeOptions)
            bytes += UInt64(context.flags.keySize + value.count)
            thread.stats.finished(1, .write)
        }
        thread.stats.addBytes(bytes)
    }
}
