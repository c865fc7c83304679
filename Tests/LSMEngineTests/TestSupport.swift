import Foundation
import ScribeTestSupport
@testable import LSMEngine

/// The engine's default file system, for tests that build its components directly.
let posix = PosixFileSystem()

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

/// The built `scribe-kv` executable (a sibling of the test bundle).
enum ScribeKVBinary {
    static var path: String { BuiltExecutable.path("scribe-kv") }

    /// Runs `scribe-kv arguments...` to completion with `input` on stdin.
    static func run(_ arguments: [String], input: String = "") throws -> ChildProcess.Result {
        try ChildProcess.runBlocking(path, arguments, input: Array(input.utf8))
    }
}
