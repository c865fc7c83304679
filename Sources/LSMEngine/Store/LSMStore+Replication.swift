extension LSMStore {
    /// Sends every later commit and installed version to `observer` (replacing
    /// any observer attached before) until `close()`, which drops it. Attach after
    /// replaying, so replayed batches are not reported back.
    public func attach(_ observer: any StoreObserver) {
        mutex.withLock { self.observer = observer }
    }

    /// Applies a batch committed elsewhere (`CommittedBatch.encoded`, read back
    /// from a WAL object) at its own sequence numbers, synced to the local WAL.
    /// Returns false, writing nothing, when the batch ends at or below
    /// `latestSequence` (already applied). Sequences may skip ahead: writes that
    /// never reached object storage leave a gap. Throws `.corruption` when the
    /// bytes do not decode, `.invalidArgument` when the batch starts at or below
    /// `latestSequence` but ends above it, or breaks the store's key and value limits.
    @discardableResult
    public func replay(committed encoded: [UInt8], origin: String) throws -> Bool {
        let batch = try WriteBatch(committed: encoded, origin: origin)
        try batch.validate(maxKeySize: options.maxKeySize, maxValueSize: options.maxValueSize)
        guard let header = WriteBatch.header(of: encoded) else {
            throw LSMError.corruption(file: origin, offset: 0, reason: "a batch shorter than its header")
        }
        let last = header.sequence + SequenceNumber(header.count) - 1
        if last <= latestSequence { return false }
        _ = try commit(PendingWrite(batch: batch, sync: true, presequenced: true))
        return true
    }

    /// Pins the current version: its segment files are kept until the pin is released.
    public func pinCurrentVersion() -> VersionPin {
        mutex.withLock { VersionPin(current, directory: path, fileSystem: options.fileSystem) }
    }
}
