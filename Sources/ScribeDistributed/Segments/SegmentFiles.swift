#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import LSMEngine

/// The few file operations the segment cache needs, each retrying on EINTR and
/// short transfers and reporting failures as `LSMError.io`.
enum SegmentFiles {
    /// A regular file in a directory listing.
    struct Entry {
        var name: String
        var size: UInt64
        /// Modification time in nanoseconds since the epoch.
        var modified: Int64
    }

    static func createDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw LSMError.io(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// The regular files directly in `directory`.
    static func files(in directory: String) throws -> [Entry] {
        guard let dir = opendir(directory) else {
            throw LSMError.io(operation: "opendir", path: directory, errno: errno)
        }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            var st = stat()
            guard name != ".", name != "..", stat(directory + "/" + name, &st) == 0,
                  (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            entries.append(Entry(name: name, size: UInt64(st.st_size), modified: modified))
        }
        return entries
    }

    /// Opens `path` with `flags`; the caller closes the descriptor.
    static func open(_ path: String, flags: Int32) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
            if fd >= 0 { return fd }
            if errno != EINTR { throw LSMError.io(operation: "open", path: path, errno: errno) }
        }
    }

    /// Exactly `count` bytes at `offset` of the file at `path`, or fewer only at
    /// its end: one `open`, `pread` and `close`.
    static func read(_ path: String, at offset: UInt64, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        let fd = try open(path, flags: O_RDONLY)
        defer { _ = Glibc.close(fd) }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count, let base = buffer.baseAddress {
                let n = pread(fd, base + done, count - done, off_t(offset) + off_t(done))
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
        return bytes
    }

    /// Writes all of `bytes` at `offset` of the open file `fd`.
    static func write(_ fd: Int32, _ bytes: [UInt8], at offset: UInt64, path: String) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count, let base = raw.baseAddress {
                let n = pwrite(fd, base + done, raw.count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw LSMError.io(operation: "pwrite", path: path, errno: errno)
                }
                done += n
            }
        }
    }

    /// Flushes the open file `fd` (data and metadata) to stable storage.
    static func sync(_ fd: Int32, path: String) throws {
        while fsync(fd) != 0 {
            if errno != EINTR { throw LSMError.io(operation: "fsync", path: path, errno: errno) }
        }
    }

    /// fsyncs a directory so that renames inside it are durable.
    static func syncDirectory(_ path: String) throws {
        let fd = try open(path, flags: O_RDONLY | O_DIRECTORY)
        defer { _ = Glibc.close(fd) }
        try sync(fd, path: path)
    }

    static func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw LSMError.io(operation: "rename to \(to)", path: from, errno: errno)
        }
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw LSMError.io(operation: "unlink", path: path, errno: errno)
        }
    }
}
