import Foundation
import Testing

/// The real `scribe-node` binary, started on a free port.
final class NodeProcess {
    let process = Process()
    let port: Int
    private let output = Pipe()

    /// Starts the binary with `arguments` and waits for its `listening on` line. Its
    /// standard error goes to `log` when given (read it when a test fails).
    init(_ arguments: [String], log: String? = nil) throws {
        signal(SIGPIPE, SIG_IGN)
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory.appendingPathComponent("scribe-node").path,
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("scribe-node").path]
        process.executableURL = URL(fileURLWithPath: candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0])
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

    /// One request: the status code and the body's bytes. `body` is sent as is
    /// (`--data-binary`), with `headers` as `Name: value` lines.
    func request(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [String] = []) throws
        -> (status: Int, body: [UInt8])
    {
        let scratch = NSTemporaryDirectory() + "scribe-curl-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: scratch + ".in")
            try? FileManager.default.removeItem(atPath: scratch + ".out")
        }
        var arguments = ["-X", method, "-o", scratch + ".out", "-w", "%{http_code}"]
        for header in headers { arguments += ["-H", header] }
        if let body {
            try Data(body).write(to: URL(fileURLWithPath: scratch + ".in"))
            arguments += ["-H", "Content-Type: application/octet-stream", "--data-binary", "@" + scratch + ".in"]
        }
        let status = try curl(arguments + [base + path])
        let bytes = FileManager.default.contents(atPath: scratch + ".out").map(Array.init) ?? []
        guard let code = Int(status) else { throw NodeProcessError("no status from curl: \(status)") }
        return (code, bytes)
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

@Suite struct NodeObjectStoreDirectoryTests {
    /// A value of every byte, different per key.
    static func value(_ index: Int) -> [UInt8] {
        (0..<(256 + index)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
    }

    @Test func replicatedWritesSurviveSIGKILLAndTheLossOfTheDataDirectory() throws {
        let root = NSTemporaryDirectory() + "scribe-node-objects-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/data"
        let arguments = [
            "--port", "0", "--data-dir", data, "--set", "storage.object_store_dir=\(root)/objects",
            "--durability", "replicated",
        ]
        var node = try NodeProcess(arguments, log: root + "/first.log")
        for index in 0..<30 {
            if index == 15 {
                let flush = try node.request("POST", "/admin/flush")
                #expect(flush.status == 200, "\(String(decoding: flush.body, as: UTF8.self))")
                #expect(String(decoding: flush.body, as: UTF8.self).contains("\"published\":true"))
            }
            let answer = try node.request("PUT", "/kv/key-\(index)", body: Self.value(index))
            #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
            #expect(String(decoding: answer.body, as: UTF8.self).contains("\"durability\":\"replicated\""))
        }
        node.kill()
        try FileManager.default.removeItem(atPath: data)

        node = try NodeProcess(arguments, log: root + "/second.log")
        for index in 0..<30 {
            let answer = try node.request("GET", "/kv/key-\(index)")
            #expect(answer.status == 200)
            #expect(answer.body == Self.value(index), "key-\(index) differs after the rebuild")
        }
        #expect(node.terminate() == 0)
    }
}
