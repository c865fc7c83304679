/// Receives a store's commits and manifest versions as they happen: how the
/// durable tier learns what to ship. Calls arrive in order on the thread that
/// did the work, while that work's writers (or the next flush) wait: keep them short.
public protocol StoreObserver: AnyObject, Sendable {
    /// A group of writes is in the WAL (fdatasynced when any member asked) and
    /// the memtable; its writers have not returned yet.
    func committed(_ batch: CommittedBatch)
    /// A flush or compaction installed `version`.
    func installed(_ version: Version)
}

/// One WAL record as committed: the batch encoding (docs/formats.md, "Write
/// batch") with its first sequence stamped, covering `firstSequence...lastSequence`.
public struct CommittedBatch: Sendable, Equatable {
    public let firstSequence: SequenceNumber
    public let lastSequence: SequenceNumber
    /// Exactly the WAL record payload; `LSMStore.replay(committed:)` takes it back.
    public let encoded: [UInt8]

    public init(firstSequence: SequenceNumber, lastSequence: SequenceNumber, encoded: [UInt8]) {
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.encoded = encoded
    }
}
