#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LSMEngine

/// Where log lines go: a file descriptor written with `write(2)`, one whole line per call
/// under a lock, so lines from concurrent tasks never interleave.
///
/// The descriptor is borrowed: this type never closes it. Writes block the calling thread
/// (logging to a terminal or a file is fast; a stalled pipe stalls the logger). A failed
/// write drops the rest of the line rather than throwing into the caller's code.
public final class LogOutput: Sendable {
    /// The process's standard error.
    public static let standardError = LogOutput(fileDescriptor: 2)

    public let fileDescriptor: Int32
    private let lock = Locked(())

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// Writes `line` (which should end in a newline), retrying on `EINTR` and short writes.
    public func write(_ line: [UInt8]) {
        lock.withLock { _ in
            line.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = systemWrite(fileDescriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}

/// `write(2)`, named apart from `LogOutput.write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}
