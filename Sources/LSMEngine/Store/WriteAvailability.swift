/// Whether a store takes writes now, and if not, why (`LSMStore.writeAvailability`).
public enum WriteAvailability: Sendable, Equatable {
    case available
    /// Writes fail for lack of disk space (the error); they resume by themselves
    /// once space returns, with nothing acknowledged lost.
    case outOfSpace(String)
    /// A failure (the error) made the store refuse writes until it is reopened.
    case failed(String)
    /// The store was opened with `StoreOptions.readOnly`.
    case readOnly
    /// `close()` was called.
    case closed
}

extension LSMStore {
    /// Free bytes at which a store that ran out of space reports itself available
    /// again (and wakes background work waiting to retry) before a write proves it.
    static let spaceToResume: UInt64 = 4 << 20

    /// Whether writes can succeed now. While the disk is full this probes the free
    /// space (`FileSystem.availableBytes`: one `statvfs`), so it turns `.available` once space returns even if no
    /// write has tried since.
    public var writeAvailability: WriteAvailability {
        mutex.withLock {
            if isClosed { return .closed }
            if options.readOnly { return .readOnly }
            if let backgroundError { return .failed("\(backgroundError)") }
            guard let failure = spaceError else { return .available }
            if let free = options.fileSystem.availableBytes(path), free >= Self.spaceToResume {
                // Space is back: workers waiting to retry go now instead of at the end of their back-off.
                spaceError = nil
                spaceRetry.broadcast()
                return .available
            }
            return .outOfSpace("\(failure)")
        }
    }
}
