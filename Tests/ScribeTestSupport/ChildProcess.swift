import Foundation
import LSMEngine

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion: its standard input from `input`, its standard
/// output and error captured through files (so neither can fill a pipe and stall
/// it), the environment inherited with `environment` laid over it.
public enum ChildProcess {
    /// How the program ended and what it printed.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `executable` and blocks the calling thread until it exits.
    public static func runBlocking(
        _ executable: String, _ arguments: [String] = [], input: [UInt8] = [], environment: [String: String] = [:]
    ) throws -> Result {
        let launch = try Launch(executable, arguments, input: input, environment: environment)
        try launch.process.run()
        launch.process.waitUntilExit()
        return launch.result()
    }

    /// Runs `executable` without blocking a thread of the concurrency pool while it
    /// runs: for async tests, whose own servers may be what the program talks to.
    public static func run(
        _ executable: String, _ arguments: [String] = [], input: [UInt8] = [], environment: [String: String] = [:]
    ) async throws -> Result {
        let launch = try Launch(executable, arguments, input: input, environment: environment)
        let process = launch.process
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return launch.result()
    }

    /// A process set up to run, with the files that hold its input and output.
    private struct Launch {
        let process = Process()
        let scratch: TemporaryDirectory

        init(_ executable: String, _ arguments: [String], input: [UInt8], environment: [String: String]) throws {
            ignoreBrokenPipes()
            scratch = try TemporaryDirectory("process")
            try Data(input).write(to: URL(fileURLWithPath: scratch.file("stdin")))
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: scratch.file("stdin")))
            process.standardOutput = try Self.create(scratch.file("stdout"))
            process.standardError = try Self.create(scratch.file("stderr"))
        }

        func result() -> Result {
            Result(status: process.terminationStatus, stdout: text("stdout"), stderr: text("stderr"))
        }

        /// Read with the engine's `readFile`, not `FileManager.contents`: LeakSanitizer
        /// reports every buffer Foundation's file reading hands to `String` as leaked.
        private func text(_ name: String) -> String {
            String(decoding: (try? PosixFileSystem().readFile(scratch.file(name), limit: 1 << 30)) ?? [], as: UTF8.self)
        }

        private static func create(_ path: String) throws -> FileHandle {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw TestSupportError("cannot create \(path)")
            }
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
    }
}

/// Ignores SIGPIPE, once per process: a child that dies while a test writes to its
/// standard input (or a peer that closes a socket) must not take the test down.
public func ignoreBrokenPipes() {
    _ = brokenPipesIgnored
}

private let brokenPipesIgnored: Void = { signal(SIGPIPE, SIG_IGN) }()
