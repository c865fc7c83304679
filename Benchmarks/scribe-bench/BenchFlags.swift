import LSMEngine

/// A command-line problem: the message names the flag; exit status 2.
struct FlagError: Error {
    let message: String
}

/// The workloads scribe-bench runs, named as in db_bench.
enum BenchmarkName: String, CaseIterable, Sendable {
    case fillseq, fillrandom, overwrite, fillsync, readrandom, readseq, readreverse
    case seekrandom, readwhilewriting, deleterandom, compact
    /// Scribe only: latest-proofs of random keys, and their verification.
    case proverandom, verifyrandom
}

/// db_bench's flags for the workloads both tools share, with db_bench's
/// defaults (except `--db`). Parsed by hand: `--name=value`, and `--name` alone
/// for a boolean; the last occurrence of a flag wins, as with gflags.
struct BenchFlags: Sendable {
    var benchmarks: [BenchmarkName] = [.fillseq, .fillrandom, .overwrite, .readrandom, .readseq]
    var num: Int64 = 1_000_000
    var reads: Int64 = -1
    var keySize = 16
    var valueSize = 100
    var threads = 1
    var sync = false
    var compression: SegmentCompression = .lz4
    var cacheSize: Int64 = 8 << 20
    var bloomBits = 10
    /// db_bench's semantics by default: an overwrite replaces the old value.
    var historyPolicy: HistoryPolicy = .latestOnly
    var db = "/tmp/scribe-bench"
    var useExistingDB = false
    var histogram = false
    var writeBufferSize = 64 << 20
    var seed: UInt64 = 0

    /// Reads to do per thread: `--reads`, or `--num` when negative.
    var readsPerThread: Int64 { reads < 0 ? num : reads }

    static let usage = """
        usage: scribe-bench [--flag=value ...]   (db_bench-compatible)
          --benchmarks=LIST        comma list of: \(BenchmarkName.allCases.map(\.rawValue).joined(separator: ","))
          --num=N                  keys (default 1000000)
          --reads=N                reads per thread, -1 = num (default -1)
          --key_size=N             bytes per key (default 16)
          --value_size=N           bytes per value (default 100)
          --threads=N              threads per benchmark (default 1)
          --sync=BOOL              fdatasync every write (default false)
          --compression_type=T     none|lz4 (default lz4)
          --cache_size=N           block cache bytes (default 8388608; negative: none)
          --bloom_bits=N           Bloom filter bits per key (default 10)
          --history_policy=P       latest_only (default: db_bench's replace-on-write semantics)
                                   or retain_all (the ledger's default: every version kept)
          --write_buffer_size=N    memtable bytes (default 67108864)
          --db=DIR                 store directory (default /tmp/scribe-bench)
          --use_existing_db=BOOL   keep the store; fill benchmarks are skipped
          --histogram=BOOL         print a latency histogram per benchmark
          --seed=N                 random seed, 0 = from the clock (default 0)

        """

    /// Parses `arguments` (without the program name). Throws `FlagError`
    /// naming the flag for an unknown flag or a bad value.
    static func parse(_ arguments: [String]) throws -> BenchFlags {
        var flags = BenchFlags()
        for argument in arguments {
            guard argument.hasPrefix("-") else {
                throw FlagError(message: "unexpected argument '\(argument)': flags are --name=value")
            }
            let body = argument.drop { $0 == "-" }
            let name: String
            let value: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                value = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
                value = nil
            }
            try flags.set(name, value)
        }
        return flags
    }

    private mutating func set(_ name: String, _ value: String?) throws {
        func text() throws -> String {
            guard let value else { throw FlagError(message: "--\(name) needs a value (--\(name)=...)") }
            return value
        }
        func integer(_ range: ClosedRange<Int64>) throws -> Int64 {
            let raw = try text()
            guard let parsed = Int64(raw), range.contains(parsed) else {
                throw FlagError(message: "--\(name)=\(raw): expected an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return parsed
        }
        func boolean() throws -> Bool {
            guard let value else { return true }
            switch value.lowercased() {
            case "1", "true", "t", "yes", "y": return true
            case "0", "false", "f", "no", "n": return false
            default: throw FlagError(message: "--\(name)=\(value): expected 0, 1, true or false")
            }
        }
        switch name {
        case "benchmarks":
            var list: [BenchmarkName] = []
            for item in try text().split(separator: ",", omittingEmptySubsequences: true) {
                guard let benchmark = BenchmarkName(rawValue: String(item)) else {
                    throw FlagError(message: "--benchmarks: unknown benchmark '\(item)' (supported: \(BenchmarkName.allCases.map(\.rawValue).joined(separator: ",")))")
                }
                list.append(benchmark)
            }
            benchmarks = list
        case "num": num = try integer(1...(1 << 40))
        case "reads": reads = try integer(-1...(1 << 40))
        case "key_size": keySize = Int(try integer(1...65536))
        case "value_size": valueSize = Int(try integer(0...(64 << 20)))
        case "threads": threads = Int(try integer(1...1024))
        case "sync": sync = try boolean()
        case "compression_type":
            switch try text() {
            case "none": compression = .none
            case "lz4": compression = .lz4
            case let other: throw FlagError(message: "--compression_type=\(other): scribe-bench supports none and lz4")
            }
        case "cache_size":
            cacheSize = try integer(Int64.min...Int64(Int.max))
        case "bloom_bits": bloomBits = Int(try integer(0...64))
        case "history_policy":
            switch try text() {
            case "latest_only": historyPolicy = .latestOnly
            case "retain_all": historyPolicy = .retainAll
            case let other: throw FlagError(message: "--history_policy=\(other): expected latest_only or retain_all")
            }
        case "db":
            let path = try text()
            guard !path.isEmpty else { throw FlagError(message: "--db needs a directory") }
            db = path
        case "use_existing_db": useExistingDB = try boolean()
        case "histogram": histogram = try boolean()
        case "write_buffer_size": writeBufferSize = Int(try integer(4096...(1 << 34)))
        case "seed":
            let raw = try text()
            guard let parsed = UInt64(raw) else { throw FlagError(message: "--seed=\(raw): expected a non-negative integer") }
            seed = parsed
        default:
            throw FlagError(message: "unknown flag --\(name)")
        }
    }

    /// Store options for these flags: memtable size, block cache, compression
    /// and Bloom bits; everything else keeps the engine's defaults.
    var storeOptions: StoreOptions {
        var options = StoreOptions()
        options.memtableSize = writeBufferSize
        options.blockCacheSize = cacheSize < 0 ? 0 : Int(cacheSize)
        options.compression = compression
        options.bloomBitsPerKey = bloomBits
        options.historyPolicy = historyPolicy
        options.maxValueSize = max(options.maxValueSize, valueSize)
        return options
    }
}
