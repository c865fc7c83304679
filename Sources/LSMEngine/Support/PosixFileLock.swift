#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Synchronization

/// `PosixFileSystem`'s lock: an exclusive advisory `flock` on a file, held until
/// released or the process ends.
final class PosixFileLock: FileLock {
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
