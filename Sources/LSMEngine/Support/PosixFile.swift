#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor: `PosixFileSystem`'s readable and writable file. Each
/// operation retries on EINTR and short transfers and reports failures as
/// `LSMError.io`. Not thread-safe for writes; `read` may be called from any thread.
package final class PosixFile: ReadableFile, WritableFile, @unchecked Sendable {
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Opens `path` with `flags` (O_CLOEXEC is added), creating it with mode 0644
    /// when `flags` hold O_CREAT.
    static func open(_ path: String, flags: Int32) throws -> PosixFile {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
            if fd >= 0 { return PosixFile(descriptor: fd, path: path) }
            if errno == EINTR { continue }
            throw LSMError.io(operation: "open", path: path, errno: errno)
        }
    }

    deinit {
        _ = Glibc.close(descriptor)
    }

    package func size() throws -> UInt64 {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else {
            throw LSMError.io(operation: "fstat", path: path, errno: errno)
        }
        return UInt64(st.st_size)
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
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

    package func syncData() throws {
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw LSMError.io(operation: "fdatasync", path: path, errno: errno)
        }
    }

    package func sync() throws {
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw LSMError.io(operation: "fsync", path: path, errno: errno)
        }
    }

    package func truncate(to length: UInt64) throws {
        while ftruncate(descriptor, off_t(length)) != 0 {
            if errno == EINTR { continue }
            throw LSMError.io(operation: "ftruncate", path: path, errno: errno)
        }
    }

    package func rewind(to length: UInt64) throws {
        try truncate(to: length)
        guard lseek(descriptor, off_t(length), SEEK_SET) >= 0 else {
            throw LSMError.io(operation: "lseek", path: path, errno: errno)
        }
    }
}
