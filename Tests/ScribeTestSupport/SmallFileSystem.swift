import Foundation

/// A tmpfs of a few MiB mounted on a fresh directory, so a test can fill a disk for
/// real (ENOSPC) and free it again; unmounted and removed when released. Mounting
/// needs root (as CI and the development machines run); the error says so otherwise.
public final class SmallFileSystem: Sendable {
    public let path: String

    private let mountPoint: TemporaryDirectory

    public init(megabytes: Int) throws {
        mountPoint = try TemporaryDirectory("small-fs")
        path = mountPoint.path
        let mount = try ChildProcess.runBlocking("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
        guard mount.status == 0 else {
            throw TestSupportError(
                "cannot mount a \(megabytes) MiB tmpfs at \(path) (needs root): \(mount.stdout)\(mount.stderr)")
        }
    }

    /// Unmounts; the mount point itself goes with `mountPoint`.
    deinit {
        _ = try? ChildProcess.runBlocking("/bin/umount", ["-l", path])
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
}
