import Foundation
import ScribeTestSupport

/// The real `scribe-node` binary, started on a free port.
final class NodeProcess {
    let process = Process()
    let port: Int
    private let output = Pipe()

    /// Starts the binary with `arguments` and waits for its `listening on` line. Its
    /// standard error goes to `log` when given (read it when a test fails).
    init(_ arguments: [String], log: String? = nil) throws {
        ignoreBrokenPipes()
        process.executableURL = URL(fileURLWithPath: BuiltExecutable.path("scribe-node"))
        process.arguments = arguments
        process.standardOutput = output
        if let log {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log) ?? FileHandle.nullDevice
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        var seen = ""
        while !seen.contains("\n") || !seen.contains("listening on") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw TestSupportError("scribe-node exited before listening: \(seen)") }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = seen.split(separator: "\n").first(where: { $0.hasPrefix("listening on") }),
              let port = line.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw TestSupportError("no port in \(seen)")
        }
        self.port = port
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits (up to `timeout`, only against a hang) for the process to exit by itself;
    /// true when it did.
    func exits(within timeout: Duration) -> Bool {
        becomesTrue(within: timeout, every: .milliseconds(20)) { !process.isRunning }
    }

    /// Runs curl with `arguments` against this node; returns stdout.
    func curl(_ arguments: [String]) throws -> String {
        let result = try ChildProcess.runBlocking("/usr/bin/curl", ["-sS", "--max-time", "30"] + arguments)
        guard result.status == 0 else { throw TestSupportError("curl \(arguments.prefix(4)) failed: \(result.stderr)") }
        return result.stdout
    }

    /// One request: the status code and the body's bytes. `body` is sent as is
    /// (`--data-binary`), with `headers` as `Name: value` lines.
    func request(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [String] = []) throws
        -> (status: Int, body: [UInt8])
    {
        let scratch = try TemporaryDirectory("curl")
        var arguments = ["-X", method, "-o", scratch.file("out"), "-w", "%{http_code}"]
        for header in headers { arguments += ["-H", header] }
        if let body {
            try Data(body).write(to: URL(fileURLWithPath: scratch.file("in")))
            arguments += ["-H", "Content-Type: application/octet-stream", "--data-binary", "@" + scratch.file("in")]
        }
        let status = try curl(arguments + [base + path])
        let bytes = FileManager.default.contents(atPath: scratch.file("out")).map(Array.init) ?? []
        guard let code = Int(status) else { throw TestSupportError("no status from curl: \(status)") }
        return (code, bytes)
    }

    var base: String { "http://127.0.0.1:\(port)" }
}
