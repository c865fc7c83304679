#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import LSMEngine

/// The file operations the segment cache needs beyond the engine's `FileSystem`
/// (a listing with sizes and times, positional writes to a descriptor), each retrying on EINTR and short transfers and reporting
/// failures as `LSMError.io`.
enum SegmentFiles {
    /// A regular file in a directory listing.
    struct Entry {
        var name: String
        var size: UInt64
        /// Modification time in nanoseconds since the epoch.
        var modified: Int64
    }

    /// The regular files directly in `directory`.
    static func files(in directory: String) throws -> [Entry] {
        try PosixFileSystem().listDirectory(directory).compactMap { name in
            var st = stat()
            guard stat(directory + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
            let modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            return Entry(name: name, size: UInt64(st.st_size), modified: modified)
        }
    }

    /// Opens `path` with `flags`; the caller closes the descriptor.
    static func open(_ path: String, flags: Int32) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
            if fd >= 0 { return fd }
            if errno != EINTR { throw LSMError.io(operation: "open", path: path, errno: errno) }
        }
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
}
