#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Synchronization

/// Text for a C error number.
enum SystemError {
    static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// An open file descriptor with the few operations the engine needs, each
/// retrying on EINTR and short transfers and reporting failures as `LSMError.io`.
/// Not thread-safe for appends; `pread` may be called from any thread.
package final class FileHandle: @unchecked Sendable {
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Opens an existing file read-only.
    package static func openForReading(_ path: String) throws -> FileHandle {
        try open(path, flags: O_RDONLY | O_CLOEXEC)
    }

    /// Creates (or truncates) a file for writing.
    static func create(_ path: String) throws -> FileHandle {
        try open(path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
    }

    /// Opens a file for appending, creating it if needed.
    static func openForAppending(_ path: String) throws -> FileHandle {
        try open(path, flags: O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC)
    }

    private static func open(_ path: String, flags: Int32) throws -> FileHandle {
        while true {
            let fd = Glibc.open(path, flags, 0o644)
            if fd >= 0 { return FileHandle(descriptor: fd, path: path) }
            if errno == EINTR { continue }
            throw LSMError.io(operation: "open", path: path, errno: errno)
        }
    }

    deinit {
        _ = Glibc.close(descriptor)
    }

    /// The file's current size in bytes.
    func size() throws -> UInt64 {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else {
            throw LSMError.io(operation: "fstat", path: path, errno: errno)
        }
        return UInt64(st.st_size)
    }

    /// Writes all of `bytes` at the current position.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.write(descriptor, base, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw LSMError.io(operation: "write", path: path, errno: errno)
            }
            left -= n
            base += n
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Reads exactly `count` bytes at `offset`, or fewer only at end of file.
    package func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var failure: Int32 = 0
        let result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                done += n
            }
            initialized = done
        }
        if failure != 0 { throw LSMError.io(operation: "pread", path: path, errno: failure) }
        return result
    }

    /// Flushes file data (not necessarily metadata) to stable storage.
    func syncData() throws {
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw LSMError.io(operation: "fdatasync", path: path, errno: errno)
        }
    }

    /// Flushes file data and metadata to stable storage.
    func sync() throws {
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw LSMError.io(operation: "fsync", path: path, errno: errno)
        }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: UInt64) throws {
        while ftruncate(descriptor, off_t(length)) != 0 {
            if errno == EINTR { continue }
            throw LSMError.io(operation: "ftruncate", path: path, errno: errno)
        }
    }

    /// Cuts the file to `length` bytes and moves the write position there, so the
    /// next `write` continues at `length` (after a failed write that left part of
    /// its bytes behind).
    func rewind(to length: UInt64) throws {
        try truncate(to: length)
        guard lseek(descriptor, off_t(length), SEEK_SET) >= 0 else {
            throw LSMError.io(operation: "lseek", path: path, errno: errno)
        }
    }
}

/// Directory-level file operations.
package enum FileSystem {
    static func fileExists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    package static func createDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw LSMError.io(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// The names (not paths) of the entries of `path`, without "." and "..".
    static func listDirectory(_ path: String) throws -> [String] {
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

    package static func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw LSMError.io(operation: "rename to \(to)", path: from, errno: errno)
        }
    }

    package static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw LSMError.io(operation: "unlink", path: path, errno: errno)
        }
    }

    static func fileSize(_ path: String) throws -> UInt64 {
        var st = stat()
        guard stat(path, &st) == 0 else { throw LSMError.io(operation: "stat", path: path, errno: errno) }
        return UInt64(st.st_size)
    }

    /// Bytes an unprivileged process may still write on the file system holding
    /// `path`, or nil when `statvfs` fails.
    static func availableBytes(_ path: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize)).partialValue
    }

    /// fsyncs a directory so that renames and creations inside it are durable.
    package static func syncDirectory(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw LSMError.io(operation: "open directory", path: path, errno: errno) }
        defer { _ = Glibc.close(fd) }
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw LSMError.io(operation: "fsync directory", path: path, errno: errno)
        }
    }

    /// Writes `bytes` to `path` atomically: temp file, fsync, rename, directory fsync.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws {
        let temp = path + ".tmp"
        let handle = try FileHandle.create(temp)
        try handle.write(bytes)
        try handle.sync()
        try rename(temp, to: path)
        try syncDirectory(directory)
    }

    /// Reads a whole file; refuses files larger than `limit` bytes.
    static func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        let handle = try FileHandle.openForReading(path)
        let size = try handle.size()
        guard size <= UInt64(limit) else {
            throw LSMError.corruption(file: path, offset: 0, reason: "file of \(size) bytes exceeds limit \(limit)")
        }
        return try handle.read(at: 0, count: Int(size))
    }
}

/// An exclusive advisory lock on a file, held until released or the process ends.
final class DirectoryLock: Sendable {
    private let descriptor: Int32
    private let held = Atomic<Bool>(true)

    init(path: String) throws {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LSMError.io(operation: "open lock", path: path, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            if code == EWOULDBLOCK { throw LSMError.locked(path: path) }
            throw LSMError.io(operation: "flock", path: path, errno: code)
        }
        descriptor = fd
    }

    /// Releases the lock; later calls do nothing.
    func release() {
        if held.exchange(false, ordering: .acquiringAndReleasing) {
            _ = flock(descriptor, LOCK_UN)
            _ = Glibc.close(descriptor)
        }
    }

    deinit {
        release()
    }
}
