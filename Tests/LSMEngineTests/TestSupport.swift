import Foundation
import FuzzSupport
@testable import LSMEngine

/// A unique temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = "lsm") {
        path = NSTemporaryDirectory() + "scribe-\(label)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

/// The engine's default file system, for tests that build its components directly.
let posix = PosixFileSystem()

/// Runs `body` with a fresh temporary directory, removed afterwards.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) rethrows -> R {
    let directory = TemporaryDirectory()
    return try withExtendedLifetime(directory) { try body(directory.path) }
}

/// SplitMix64 (`FuzzSupport`'s): a small seeded generator so randomized tests reproduce.
typealias SeededGenerator = FuzzSupport.SeededGenerator

extension SeededGenerator {
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

extension Array where Element == UInt8 {
    init(_ text: String) { self = Array(text.utf8) }
}

/// Small store options that make rotation and flushes happen in small tests.
func smallStoreOptions() -> StoreOptions {
    var options = StoreOptions()
    options.memtableSize = 16 << 10
    options.blockSize = 512
    return options
}

/// Files in a store directory with a given suffix, sorted.
func storeFiles(_ directory: String, suffix: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        .filter { $0.hasSuffix(suffix) }.sorted().map { directory + "/" + $0 }
}

/// Flips one bit of the byte at `offset` in the file at `path`.
func flipByte(in path: String, at offset: Int) throws {
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    bytes[offset] ^= 0x40
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Runs the built `scribe-kv` executable (a sibling of the test bundle).
enum ScribeKVBinary {
    /// A child killed mid-write must not take the test process down with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    static var path: String {
        ScribeKVBinary.ignoreBrokenPipes
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("scribe-kv").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("scribe-kv").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `scribe-kv arguments...` to completion with `input` on stdin.
    static func run(_ arguments: [String], input: String = "") throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}
