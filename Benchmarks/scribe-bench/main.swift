#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// scribe-bench: db_bench's shared workloads against the Scribe LSM engine,
// printing db_bench's result lines so one parser reads both tools' output.
// Exit status: 0 success, 1 store error, 2 bad command line.

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-help") || arguments.contains("-h") {
    Console.out(BenchFlags.usage)
    exit(0)
}

let flags: BenchFlags
do {
    flags = try BenchFlags.parse(arguments)
} catch let error as FlagError {
    Console.err("scribe-bench: \(error.message)\n" + "run scribe-bench --help for the flags\n")
    exit(2)
}

var seedBase = flags.seed
if seedBase == 0 {
    seedBase = BenchClock.wallMicros()
    Console.err("Set seed to \(seedBase) because --seed was 0\n")
}
Console.err("Keys:       \(flags.keySize) bytes each\n")
Console.err("Values:     \(flags.valueSize) bytes each\n")
Console.err("Entries:    \(flags.num)\n")
Console.err("Compression: \(flags.compression == .lz4 ? "LZ4" : "none")\n")

var runner = BenchRunner(flags: flags, seedBase: seedBase)
do {
    try runner.run()
} catch {
    Console.err("scribe-bench: \(error)\n")
    exit(1)
}
