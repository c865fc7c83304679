import Foundation

/// A tmpfs of a few MiB mounted on a fresh directory, so a test can fill a disk for
/// real (ENOSPC) and free it again; unmounted and removed when released. Mounting
/// needs root (as CI and the development machines run); the error says so otherwise.
public final class SmallFileSystem: @unchecked Sendable {
    public let path: String

    public init(megabytes: Int) throws {
        path = NSTemporaryDirectory() + "scribe-small-fs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
        guard mount.status == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw TestSupportError("cannot mount a \(megabytes) MiB tmpfs at \(path) (needs root): \(mount.output)")
        }
    }

    deinit {
        _ = try? Self.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes zeros to `path/name` until the file system is full, then gives `leaving`
    /// bytes back; returns the size of the file.
    @discardableResult
    public func fill(_ name: String, leaving: Int = 0) throws -> Int {
        guard let handle = FileHandle(forWritingAtPath: createEmpty(name)) else {
            throw TestSupportError("cannot open \(path)/\(name) for writing")
        }
        defer { try? handle.close() }
        let chunk = Data(count: 64 << 10)
        var written = 0
        while (try? handle.write(contentsOf: chunk)) != nil { written += chunk.count }
        let size = max(0, Int(try handle.seekToEnd()) - leaving)
        try handle.truncate(atOffset: UInt64(size))
        return size
    }

    /// Frees the space `fill` took (and anything else in `name`).
    public func free(_ name: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + name)
    }

    private func createEmpty(_ name: String) -> String {
        let file = path + "/" + name
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        return file
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
