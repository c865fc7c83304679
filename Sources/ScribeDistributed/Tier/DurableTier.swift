public import LSMEngine
public import Logging

/// The node's engine plus everything that keeps it durable in object storage:
/// segment shipping with manifest publication, WAL objects for `replicated`
/// writes, recovery into an empty data directory, and lazily fetched segments.
///
/// TEMPORARY facade (contract for the server); the implementation replaces these bodies.
public final class DurableTier: Sendable {
    /// The engine. Write through it as usual: every committed batch is shipped.
    public let store: LSMStore
    /// What `open` restored from the object store.
    public let recovery: TierRecoveryReport

    private init(store: LSMStore, recovery: TierRecoveryReport) {
        self.store = store
        self.recovery = recovery
    }

    /// Opens the engine in `settings.dataDirectory`, first rebuilding it from the
    /// object store when the directory holds no store, and starts shipping.
    public static func open(_ settings: DurableTierSettings, logger: Logger) async throws -> DurableTier {
        DurableTier(store: try LSMStore.open(at: settings.dataDirectory, options: settings.storeOptions), recovery: TierRecoveryReport())
    }

    /// Returns once every write up to `sequence` is in an uploaded WAL object (or a
    /// published segment). Throws `DurableTierError.unavailable` after `replicationTimeout`.
    public func waitReplicated(through sequence: SequenceNumber) async throws {
        throw DurableTierError.unavailable("not built")
    }

    /// Flushes the memtable, uploads and verifies every segment of the resulting
    /// version, publishes it, and returns its version number.
    public func flushAndPublish() async throws -> UInt64 {
        try store.flush()
        return store.stats().manifestVersion
    }

    /// Current counters and gauges.
    public func statistics() -> DurableTierStatistics { DurableTierStatistics() }

    /// Stops shipping (trying once more to drain the backlogs, bounded by
    /// `replicationTimeout`) and closes the engine.
    public func close() async throws {
        try store.close()
    }
}
