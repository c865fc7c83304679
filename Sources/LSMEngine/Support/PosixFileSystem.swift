#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The default `FileSystem`: Glibc calls (`open`, `pread`, `write`, `fdatasync`,
/// `rename`, `unlink`, `flock`, `statvfs`), each retrying on EINTR and short
/// transfers. Stateless; code with no store at hand (the durable tier's cache,
/// tools) uses it directly.
package struct PosixFileSystem: FileSystem {
    package init() {}

    package func openForReading(_ path: String) throws -> any ReadableFile {
        try PosixFile.open(path, flags: O_RDONLY)
    }

    package func create(_ path: String) throws -> any WritableFile {
        try PosixFile.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC)
    }

    package func openForAppending(_ path: String) throws -> any WritableFile {
        try PosixFile.open(path, flags: O_WRONLY | O_CREAT | O_APPEND)
    }

    package func fileExists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    package func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    package func createDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw LSMError.io(operation: "mkdir", path: path, errno: errno)
        }
    }

    package func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else {
            throw LSMError.io(operation: "opendir", path: path, errno: errno)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    package func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw LSMError.io(operation: "rename to \(to)", path: from, errno: errno)
        }
    }

    package func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw LSMError.io(operation: "unlink", path: path, errno: errno)
        }
    }

    package func syncDirectory(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw LSMError.io(operation: "open directory", path: path, errno: errno) }
        defer { _ = Glibc.close(fd) }
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw LSMError.io(operation: "fsync directory", path: path, errno: errno)
        }
    }

    /// `f_bavail × f_frsize` from `statvfs`; nil when it fails.
    package func availableBytes(_ path: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize)).partialValue
    }

    /// An advisory `flock` (`LOCK_EX | LOCK_NB`), released when dropped.
    package func lock(_ path: String) throws -> any FileLock {
        try PosixFileLock(path: path)
    }

    /// The size of the file at `path` (`stat`).
    func fileSize(_ path: String) throws -> UInt64 {
        var st = stat()
        guard stat(path, &st) == 0 else { throw LSMError.io(operation: "stat", path: path, errno: errno) }
        return UInt64(st.st_size)
    }
}
