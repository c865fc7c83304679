// Micro-benchmarks of the engine's inner loops, run by ordo-one/benchmark:
// `swift package benchmark --no-progress` (or `make bench-micro`).
//
// Every benchmark does 1,000 operations per iteration (scaling factor `.kilo`),
// so the table reports time, throughput and mallocs per operation. Inputs are
// prepared in `setup` (not measured) through `MicroBenchmarkEntryPoints`, which
// runs the engine's real internal code. Keys are db_bench's 16-byte keys and
// values 100 bytes, as scribe-bench's defaults. Only wall-clock, throughput and
// malloc metrics: the ARC metrics crash on Linux.

import Benchmark
import MicroBenchmarkFixtures

typealias Entry = MicroBenchmarkEntryPoints

/// Operations per benchmark iteration; matches the `.kilo` scaling factor.
let operationsPerIteration = 1_000
let valueSize = 100

/// The positions in a workload's probe order of the current iteration's
/// operations: consecutive iterations walk on through the probe order.
func probes(_ benchmark: Benchmark) -> Range<Int> {
    let start = benchmark.currentIteration * operationsPerIteration
    return start..<(start + operationsPerIteration)
}

/// Reports a benchmark as failed when an entry point's count is not the expected one.
func expect(_ benchmark: Benchmark, _ actual: Int, _ expected: Int, _ what: String) {
    if actual != expected { benchmark.error("\(what): \(actual), expected \(expected)") }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 10_000
    )

    // 1,000 puts in random key order into a new memtable (skip list over an arena),
    // including the memtable's creation and first 4 MiB arena chunk.
    Benchmark("Memtable.insert") { benchmark, workload in
        expect(benchmark, Entry.memtableInsert(workload), operationsPerIteration, "entries")
    } setup: {
        Entry.Workload(count: operationsPerIteration, valueSize: valueSize)
    }

    // Point lookups (hits, value copied out) in random order in a memtable of 100,000 entries.
    Benchmark("Memtable.get") { benchmark, fixture in
        expect(benchmark, fixture.get(probes: probes(benchmark)), operationsPerIteration, "keys found")
    } setup: {
        Entry.MemtableFixture(Entry.Workload(count: 100_000, valueSize: valueSize))
    }

    // Adding 1,000 sorted entries to 4 KiB data blocks (restart interval 16) and finishing them.
    Benchmark("Block.build") { benchmark, workload in
        blackHole(Entry.buildBlocks(workload))
    } setup: {
        Entry.Workload(count: operationsPerIteration, valueSize: valueSize)
    }

    // Seeks to random keys in one 4 KiB data block of 34 entries (3 restart points).
    Benchmark("Block.seek") { benchmark, fixture in
        do {
            expect(benchmark, try fixture.seek(probes: probes(benchmark)), operationsPerIteration, "seeks on their key")
        } catch {
            benchmark.error("\(error)")
        }
    } setup: {
        try Entry.BlockFixture(Entry.Workload(count: 34, valueSize: valueSize))
    }

    // Probes of a 10-bits-per-key filter over 50,000 keys: half members, half not.
    Benchmark("Bloom.probe") { benchmark, fixture in
        blackHole(fixture.probe(probes: probes(benchmark)))
    } setup: {
        try Entry.BloomFixture(Entry.Workload(count: 100_000, valueSize: 0), bitsPerKey: 10)
    }

    // One entry's Merkle leaf: SHA-256 of the 100-byte value, then EntryLeaf.hash.
    Benchmark("Merkle.leafHash") { _, workload in
        blackHole(Entry.entryLeafHashes(workload, indices: 0..<operationsPerIteration))
    } setup: {
        Entry.Workload(count: operationsPerIteration, valueSize: valueSize)
    }

    // The segment root of 1,000 entries in blocks of 34 (leaves, block roots, root), per entry.
    Benchmark("Merkle.segmentRoot") { _, workload in
        blackHole(Entry.segmentMerkleRoot(workload))
    } setup: {
        Entry.Workload(count: operationsPerIteration, valueSize: valueSize)
    }

    // CRC32C of one 4 KiB buffer (a data block's size) per operation.
    Benchmark("CRC32C.4KiB") { benchmark, buffer in
        for _ in benchmark.scaledIterations {
            blackHole(Entry.crc32c(buffer))
        }
    } setup: {
        (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
    }
}
