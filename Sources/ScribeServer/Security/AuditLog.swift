#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LSMEngine
public import ServiceLifecycle
import Synchronization

/// Why the audit log could not be opened or synced.
public struct AuditLogError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "audit log \(path): \(reason)" }
}

/// An append-only file of `AuditEvent` JSON lines, separate from the data.
///
/// - The file is created with mode 0600 when missing (an existing file keeps its mode)
///   and opened with `O_APPEND`, so every line lands at the end even if another
///   process appends too.
/// - Each event is one `write(2)` of its whole line, made under a mutex: lines from
///   concurrent requests never interleave, and a crash can lose only whole trailing
///   lines (or leave the very last one cut short).
/// - No fsync per line: a line reaches the page cache before `record` returns, so it
///   survives a process crash; `flush()` (and `close()`, which the service does on
///   shutdown) make everything recorded so far durable.
///
/// Cost: `record` blocks its caller for one small `write(2)` into the page cache —
/// microseconds, the same order as the request's own log write — rather than queueing
/// to a background task, which would add a hand-off per request and lose the queued
/// lines on a crash. Writes that fail (disk full, file closed) are counted in
/// `failedWrites` and do not fail the request.
///
/// As a `Service`, it waits for graceful shutdown and then closes the file: add it to
/// the application's services so it outlives the HTTP server (services stop in reverse
/// order of addition, the server last added and first stopped).
public final class AuditLog: Sendable, Service {
    public let path: String
    /// The descriptor, or -1 once closed.
    private let descriptor: Locked<Int32>
    private let failures = Atomic<Int>(0)

    /// Opens (creating when missing) the log at `path` for appending.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AuditLogError(path: path, reason: String(cString: strerror(errno))) }
        descriptor = Locked(fd)
    }

    deinit {
        descriptor.withLock { fd in
            if fd >= 0 { closeDescriptor(fd) }
        }
    }

    /// How many events could not be written.
    public var failedWrites: Int { failures.load(ordering: .relaxed) }

    /// Appends `event` as one line.
    public func record(_ event: AuditEvent) {
        var line = Array(event.jsonLine.utf8)
        line.append(0x0a)
        let written = descriptor.withLock { fd in
            fd >= 0 && line.withUnsafeBytes { AuditLog.writeAll(fd, $0) }
        }
        if !written { failures.add(1, ordering: .relaxed) }
    }

    /// Makes every line recorded so far durable (`fsync`). A no-op once closed.
    public func flush() throws {
        try descriptor.withLock { fd in
            guard fd >= 0 else { return }
            guard fsync(fd) == 0 else { throw AuditLogError(path: path, reason: "fsync: " + String(cString: strerror(errno))) }
        }
    }

    /// Syncs and closes the file; later events count as failed writes. Idempotent.
    public func close() throws {
        try descriptor.withLock { fd in
            guard fd >= 0 else { return }
            let synced = fsync(fd) == 0
            let reason = synced ? "" : "fsync: " + String(cString: strerror(errno))
            closeDescriptor(fd)
            fd = -1
            guard synced else { throw AuditLogError(path: path, reason: reason) }
        }
    }

    /// Waits for graceful shutdown (or cancellation), then closes the file.
    public func run() async throws {
        try? await gracefulShutdown()
        try close()
    }

    /// Writes all of `bytes`, retrying on EINTR and short writes. False on any other error.
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var next = bytes.baseAddress else { return true }
        var remaining = bytes.count
        while remaining > 0 {
            let count = write(fd, next, remaining)
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            next += count
            remaining -= count
        }
        return true
    }
}

/// `close(2)`, outside `AuditLog` whose own `close()` would shadow it.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
