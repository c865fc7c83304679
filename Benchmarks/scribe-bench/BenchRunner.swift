#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LSMEngine

/// db_bench's `Benchmark::Run` loop: runs the listed benchmarks in order on
/// one store. fillseq, fillrandom and fillsync start from a fresh store (or
/// are skipped with `--use_existing_db`); the others use what is there.
/// Writes are buffered unless `--sync` (fillsync always syncs, over
/// `--num`/1000 keys, still `--num` writes per thread, as in db_bench).
struct BenchRunner {
    let flags: BenchFlags
    let seedBase: UInt64
    private var store: LSMStore?
    /// Threads started so far; thread n is seeded `seedBase + n` like db_bench.
    private var threadsStarted: UInt64 = 0

    init(flags: BenchFlags, seedBase: UInt64) {
        self.flags = flags
        self.seedBase = seedBase
    }

    /// Runs every benchmark and closes the store. Throws store errors.
    mutating func run() throws {
        if !flags.useExistingDB { StoreDirectory.destroy(flags.db) }
        store = try openStore()
        for benchmark in flags.benchmarks {
            try run(benchmark)
        }
        try store?.close()
        store = nil
    }

    private func openStore() throws -> LSMStore {
        var options = flags.storeOptions
        options.createIfMissing = !flags.useExistingDB
        return try LSMStore.open(at: flags.db, options: options)
    }

    private mutating func run(_ benchmark: BenchmarkName) throws {
        let fresh = [.fillseq, .fillrandom, .fillsync].contains(benchmark)
        if fresh {
            if flags.useExistingDB {
                Console.out(Console.padRight(benchmark.rawValue, 12) + " : skipped (--use_existing_db is true)\n")
                return
            }
            try store?.close()
            store = nil
            StoreDirectory.destroy(flags.db)
            store = try openStore()
        }
        guard let store else { return }
        if [.proverandom, .verifyrandom].contains(benchmark) { try store.flush() }
        let keyRange = UInt64(benchmark == .fillsync ? flags.num / 1000 : flags.num)
        let context = WorkloadContext(
            store: store, flags: flags, keyRange: keyRange, sync: flags.sync || benchmark == .fillsync)
        let count = flags.threads + (benchmark == .readwhilewriting ? 1 : 0)
        context.readersRunning.store(count - (benchmark == .readwhilewriting ? 1 : 0), ordering: .relaxed)
        var threads: [BenchThread] = []
        for index in 0..<count {
            threadsStarted += 1
            threads.append(BenchThread(index: index, seed: seedBase &+ threadsStarted, histogram: flags.histogram))
        }
        Console.err("DB path: [\(flags.db)]\n")
        BenchThreads.run(threads) { thread in
            thread.stats.begin()
            do {
                try Self.body(benchmark, context, thread)
            } catch {
                Console.err("\(benchmark.rawValue) error: \(error)\n")
                exit(1)
            }
            thread.stats.end()
        }
        var merged = BenchStats(recordLatency: flags.histogram, reportsProgress: false)
        for thread in threads { merged.merge(thread.stats) }
        Console.out(merged.report(name: benchmark.rawValue))
    }

    private static func body(_ benchmark: BenchmarkName, _ context: WorkloadContext, _ thread: BenchThread) throws {
        switch benchmark {
        case .fillseq: try Workloads.write(context, thread, sequential: true)
        case .fillrandom, .overwrite, .fillsync: try Workloads.write(context, thread, sequential: false)
        case .readrandom: try Workloads.readRandom(context, thread)
        case .readseq: try Workloads.scan(context, thread, reverse: false)
        case .readreverse: try Workloads.scan(context, thread, reverse: true)
        case .seekrandom: try Workloads.seekRandom(context, thread)
        case .deleterandom: try Workloads.deleteRandom(context, thread)
        case .compact:
            try context.store.compact()
            thread.stats.finished(1, .op)
        case .readwhilewriting: try Workloads.readWhileWriting(context, thread)
        case .proverandom: try ProofWorkloads.proveRandom(context, thread)
        case .verifyrandom: try ProofWorkloads.verifyRandom(context, thread)
        }
    }
}
