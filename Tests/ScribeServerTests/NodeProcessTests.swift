import Foundation
import Testing

/// The real `scribe-node` binary, started on a free port.
final class NodeProcess {
    let process = Process()
    let port: Int
    private let output = Pipe()

    /// Starts the binary with `arguments` and waits for its `listening on` line.
    init(_ arguments: [String]) throws {
        signal(SIGPIPE, SIG_IGN)
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory.appendingPathComponent("scribe-node").path,
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("scribe-node").path]
        process.executableURL = URL(fileURLWithPath: candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0])
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = ""
        while !seen.contains("\n") || !seen.contains("listening on") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw NodeProcessError("scribe-node exited before listening: \(seen)") }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = seen.split(separator: "\n").first(where: { $0.hasPrefix("listening on") }),
              let port = line.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw NodeProcessError("no port in \(seen)")
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

    /// Runs curl with `arguments` against this node; returns stdout.
    func curl(_ arguments: [String]) throws -> String {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sS", "--max-time", "30"] + arguments
        let out = Pipe()
        curl.standardOutput = out
        try curl.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        guard curl.terminationStatus == 0 else { throw NodeProcessError("curl \(arguments.prefix(4)) failed") }
        return String(decoding: data, as: UTF8.self)
    }

    var base: String { "http://127.0.0.1:\(port)" }
}

struct NodeProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite struct NodeProcessTests {
    @Test func acknowledgedWritesSurviveSIGKILLAndSIGTERMFlushes() throws {
        let directory = NSTemporaryDirectory() + "scribe-node-kill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arguments = ["--port", "0", "--data-dir", directory]
        var node = try NodeProcess(arguments)
        var requests: [String] = []
        for i in 0..<40 {
            if i > 0 { requests.append("--next") }
            requests += ["-X", "PUT", "--data-binary", "value-\(i)", "\(node.base)/kv/key-\(i)"]
        }
        let acknowledgements = try node.curl(requests)
        #expect(acknowledgements.components(separatedBy: "\"sequence\"").count - 1 == 40)
        node.kill()

        node = try NodeProcess(arguments)
        for i in 0..<40 {
            #expect(try node.curl(["\(node.base)/kv/key-\(i)"]) == "value-\(i)")
        }
        #expect(try node.curl(["\(node.base)/health"]).contains("ok"))
        #expect(node.terminate() == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.contains { $0.hasSuffix(".sst") }, "SIGTERM flushes the memtable into a segment")
    }
}
