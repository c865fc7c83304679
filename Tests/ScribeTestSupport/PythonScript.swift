import Foundation

/// Runs Python 3 code in a subprocess: the tests' independent view of a service
/// (boto3 talks to it with its own client).
public enum PythonScript {
    /// Runs `source` with `arguments` (as `sys.argv[1:]`) and returns its standard
    /// output; throws with its standard error when it exits non-zero.
    public static func run(_ source: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> String {
        let scratch = try TemporaryDirectory("scribe-python")
        let errorPath = scratch.file("stderr")
        guard FileManager.default.createFile(atPath: errorPath, contents: nil) else {
            throw TestSupportError("cannot create \(errorPath)")
        }
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer { try? errors.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", source] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw TestSupportError("python3 exited with \(process.terminationStatus): \(message)")
        }
        return String(decoding: outputData, as: UTF8.self)
    }
}
