import Synchronization

/// A pinned point in the store's history. Reads through a snapshot see exactly
/// the writes with sequence ≤ `sequence`, however many writes follow, and
/// compaction keeps the versions it needs until it is released (on `release()`
/// or when the last reference goes away).
public final class Snapshot: Sendable {
    /// The newest sequence visible through this snapshot.
    public let sequence: SequenceNumber
    private let registry: SnapshotRegistry
    private let released = Atomic<Bool>(false)

    init(sequence: SequenceNumber, registry: SnapshotRegistry) {
        self.sequence = sequence
        self.registry = registry
        registry.register(sequence)
    }

    /// Releases the snapshot early; reads through it stay correct for as long as
    /// the object lives, but compaction may no longer keep its versions.
    public func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) {
            registry.unregister(sequence)
        }
    }

    deinit {
        release()
    }
}

/// The multiset of live snapshot sequences, which compaction consults.
final class SnapshotRegistry: Sendable {
    private let live = Locked<[SequenceNumber: Int]>([:])

    func register(_ sequence: SequenceNumber) {
        live.withLock { $0[sequence, default: 0] += 1 }
    }

    func unregister(_ sequence: SequenceNumber) {
        live.withLock { counts in
            if let n = counts[sequence], n > 1 { counts[sequence] = n - 1 } else { counts[sequence] = nil }
        }
    }

    /// Live snapshot sequences, ascending.
    var sequences: [SequenceNumber] {
        live.withLock { $0.keys.sorted() }
    }
}
