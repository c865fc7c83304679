import LSMEngine

#if canImport(Glibc)
import Glibc
#endif

/// One libFuzzer input: the first byte picks the parser, the rest is the file.
/// Beyond "no crash", it asserts what any accepted input must satisfy: a segment
/// that opens iterates in strictly increasing internal-key order, the same
/// entries backward as forward, as many as its properties claim.
enum FuzzParsers {
    static let scratch = "/tmp/scribe-fuzz-\(getpid())"

    static func run(_ data: UnsafeRawBufferPointer) {
        guard let selector = data.first else { return }
        let body = Array(data.dropFirst())
        switch selector % 3 {
        case 0: segment(body)
        case 1: wal(body)
        default: _ = try? UntrustedInput.manifestEdits(body)
        }
    }

    static func write(_ bytes: [UInt8], to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        bytes.withUnsafeBytes { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    static func segment(_ bytes: [UInt8]) {
        let path = scratch + ".sst"
        write(bytes, to: path)
        if let entries = try? UntrustedInput.segmentEntries(path: path) {
            for (a, b) in zip(entries.forward, entries.forward.dropFirst()) {
                precondition(UntrustedInput.compareInternalKeys(a.key, b.key) < 0, "segment iterates out of order")
            }
            precondition(UInt64(entries.forward.count) == entries.entryCount, "entry count differs from properties")
            precondition(entries.backward.count == entries.forward.count, "backward and forward differ in length")
            for (f, b) in zip(entries.forward, entries.backward.reversed()) {
                precondition(f.key == b.key && f.value == b.value, "backward and forward differ")
            }
        }
        try? UntrustedInput.verifySegment(path: path)
    }

    static func wal(_ bytes: [UInt8]) {
        let path = scratch + ".log"
        write(bytes, to: path)
        let strict = try? UntrustedInput.walOperations(path: path, lenient: false)
        let lenient = try? UntrustedInput.walOperations(path: path, lenient: true)
        if let strict, let lenient {
            precondition(lenient >= strict, "lenient recovery returned less than strict")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzParsers.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
#else
/// Without libFuzzer the harness replays the files named on the command line
/// (a corpus or crash reproducers), so it builds and runs in every build.
@main
struct ReplayInputs {
    static func main() {
        var replayed = 0
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else {
                print("cannot open \(path)")
                exit(2)
            }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&buffer, 1, buffer.count, file)
                if n <= 0 { break }
                bytes += buffer[0..<n]
            }
            fclose(file)
            bytes.withUnsafeBytes { FuzzParsers.run($0) }
            replayed += 1
        }
        print("replayed \(replayed) inputs")
    }
}
#endif
