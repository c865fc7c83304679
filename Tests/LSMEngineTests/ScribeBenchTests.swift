import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine

/// Runs the built `scribe-bench` executable to completion.
private func runScribeBench(_ arguments: [String]) throws -> ChildProcess.Result {
    try ChildProcess.runBlocking(BuiltExecutable.path("scribe-bench"), arguments)
}

@Suite struct ScribeBenchTests {
    /// The fields of a db_bench result line, or nil when the line is not one.
    private func resultLine(_ line: Substring) -> (name: String, opsPerSec: Int, operations: Int)? {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 10, parts[1] == ":", parts[3] == "micros/op", parts[5] == "ops/sec",
              parts[7] == "seconds", parts[9].hasPrefix("operations;"),
              Double(parts[2]) != nil, let ops = Int(parts[4]), let operations = Int(parts[8])
        else { return nil }
        return (String(parts[0]), ops, operations)
    }

    @Test func fillThenReadPrintsDbBenchLinesAndFindsEveryKey() throws {
        let dir = try TemporaryDirectory("bench")
        let result = try runScribeBench(["--benchmarks=fillseq,readrandom", "--num=2000", "--seed=1", "--db=\(dir.path)/db"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        let parsed = lines.compactMap(resultLine)
        #expect(parsed.map(\.name) == ["fillseq", "readrandom"])
        #expect(parsed.allSatisfy { $0.operations == 2000 && $0.opsPerSec > 0 })
        let read = try #require(lines.first { $0.hasPrefix("readrandom") })
        #expect(read.hasSuffix("(2000 of 2000 found)"))
        #expect(!result.stdout.contains("finished"))
    }

    @Test func seededFillRandomWritesTheKeysAndValuesDbBenchWrites() throws {
        // Reference: `db_bench --benchmarks=fillrandom --num=10 --seed=7` (RocksDB 7.8.3) writes keys 0, 1, 4, 6, 7, 9,
        // each the 8-byte big-endian number padded with ASCII '0', and key 0's value starts 62 4F 7B 5C.
        let dir = try TemporaryDirectory("bench")
        let result = try runScribeBench(["--benchmarks=fillrandom", "--num=10", "--seed=7", "--db=\(dir.path)/db"])
        #expect(result.status == 0)
        let store = try LSMStore.open(at: dir.path + "/db")
        defer { try? store.close() }
        let entries = try store.scan()
        let padding = [UInt8](repeating: 0x30, count: 8)
        #expect(entries.map(\.key) == [0, 1, 4, 6, 7, 9].map { [0, 0, 0, 0, 0, 0, 0, UInt8($0)] + padding })
        #expect(entries.first.map { Array($0.value.prefix(4)) } == [0x62, 0x4F, 0x7B, 0x5C])
        #expect(entries.allSatisfy { $0.value.count == 100 })
    }

    @Test func unknownFlagOrBadValueExitsWithStatusTwoNamingTheFlag() throws {
        let unknown = try runScribeBench(["--no_such_flag=1"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--no_such_flag"))
        let bad = try runScribeBench(["--value_size=big"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--value_size"))
    }
}
