#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor with the retries POSIX I/O needs (EINTR, short reads
/// and writes); every failure becomes `ObjectStoreError.io` naming the path.
/// Positional reads (`pread`) make one handle safe to share between tasks.
final class LocalFile: Sendable {
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    static func openForReading(_ path: String) throws(ObjectStoreError) -> LocalFile {
        try open(path, flags: O_RDONLY | O_CLOEXEC)
    }

    /// The file at `path` opened for reading, or nil when there is none.
    static func openForReadingIfExists(_ path: String) throws(ObjectStoreError) -> LocalFile? {
        while true {
            let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 { return LocalFile(descriptor: descriptor, path: path) }
            if errno == ENOENT || errno == ENOTDIR { return nil }
            if errno != EINTR { throw LocalFile.error("open", path) }
        }
    }

    /// Creates `path`, which must not exist.
    static func createNew(_ path: String) throws(ObjectStoreError) -> LocalFile {
        try open(path, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
    }

    private static func open(_ path: String, flags: Int32) throws(ObjectStoreError) -> LocalFile {
        while true {
            let descriptor = Glibc.open(path, flags, 0o644)
            if descriptor >= 0 { return LocalFile(descriptor: descriptor, path: path) }
            if errno != EINTR { throw LocalFile.error("open", path) }
        }
    }

    func size() throws(ObjectStoreError) -> UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.error("stat", path) }
        return UInt64(info.st_size)
    }

    /// Up to `count` bytes from `offset`: fewer only at the end of the file.
    func read(at offset: UInt64, count: Int) throws(ObjectStoreError) -> [UInt8] {
        guard count > 0 else { return [] }
        var failure: ObjectStoreError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n > 0 {
                    done += n
                } else if n == 0 {
                    break
                } else if errno != EINTR {
                    failure = Self.error("read", path)
                    break
                }
            }
            initialized = done
        }
        if let failure { throw failure }
        return bytes
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ObjectStoreError) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n >= 0 {
                done += n
            } else if errno != EINTR {
                throw Self.error("write", path)
            }
        }
    }

    func write(_ bytes: [UInt8]) throws(ObjectStoreError) {
        var failure: ObjectStoreError?
        bytes.withUnsafeBytes { buffer in
            do throws(ObjectStoreError) { try write(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    func sync() throws(ObjectStoreError) {
        while fsync(descriptor) != 0 {
            if errno != EINTR { throw Self.error("fsync", path) }
        }
    }

    /// `.io("operation path: strerror")` for the current `errno`.
    static func error(_ operation: String, _ path: String) -> ObjectStoreError {
        .io("\(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
