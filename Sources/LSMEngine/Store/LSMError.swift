#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every failure the engine reports. Readers of on-disk bytes never trap on bad
/// input: they throw `.corruption` naming the file, the byte offset and what was wrong.
public enum LSMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stored bytes failed a check (checksum, magic, bounds, varint, ordering).
    case corruption(file: String, offset: UInt64, reason: String)
    /// A key was empty or longer than `limit` bytes.
    case invalidKeySize(size: Int, limit: Int)
    /// A value was longer than the store's `maxValueSize`.
    case valueTooLarge(size: Int, limit: Int)
    /// An option or argument is out of its allowed range.
    case invalidArgument(String)
    /// A system call failed; `errno` is the C error number.
    case io(operation: String, path: String, errno: Int32)
    /// Another process (or another open store in this one) holds the directory lock.
    case locked(path: String)
    /// The store was closed, or a background failure made it read-only.
    case closed(reason: String)
    /// Bytes the store needs are held elsewhere (object storage) and cannot be fetched now.
    case unavailable(String)
    /// The store takes no writes: it was opened with `StoreOptions.readOnly`.
    case readOnly(String)

    /// True for an I/O error that means the disk (or the user's quota) is full:
    /// a condition that clears when space returns, unlike other I/O errors.
    public var isOutOfSpace: Bool {
        if case let .io(_, _, errno) = self { return errno == ENOSPC || errno == EDQUOT }
        return false
    }

    public var description: String {
        switch self {
        case let .corruption(file, offset, reason):
            return "corruption in \(file) at offset \(offset): \(reason)"
        case let .invalidKeySize(size, limit):
            return "invalid key size \(size): keys must be 1 to \(limit) bytes"
        case let .valueTooLarge(size, limit):
            return "value of \(size) bytes exceeds the limit of \(limit) bytes"
        case let .invalidArgument(message):
            return "invalid argument: \(message)"
        case let .io(operation, path, errno):
            return "\(operation) failed for \(path): \(SystemError.message(errno)) (errno \(errno))"
        case let .locked(path):
            return "store at \(path) is already open (lock held)"
        case let .closed(reason):
            return "store is closed: \(reason)"
        case let .unavailable(reason):
            return "data unavailable: \(reason)"
        case let .readOnly(reason):
            return "store is read-only: \(reason)"
        }
    }
}
