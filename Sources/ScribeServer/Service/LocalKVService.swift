public import LSMEngine
public import ScribeDistributed
public import ScribeVerifier
import ScribeBytes

/// The single-node `KVService`: the embedded engine, alone or inside a `DurableTier`
/// that ships it to an object store.
///
/// Work that may block for long (fdatasync, object-store fetches, flushes) runs on the
/// lanes of a `NodeExecutor` (the node's, or the tier's), never on Swift's cooperative
/// threads or an event loop. Writes go through a
/// `WriteCoalescer`, which drains on the `writes` lane and gives concurrent requests
/// one engine write and one fdatasync per round; a `replicated` write then waits for
/// the tier to have its WAL batch in the object store. Without a tier, reads run where
/// the request runs: they touch the memtable and the block cache and at most a few
/// `pread`s from the page cache, which costs less than the two thread hops a lane would
/// add. With a tier, reads run on the `reads` lane, since a segment may have to be
/// fetched from the object store first; however many of them wait there, the `writes`
/// lane is not theirs to hold up. Proofs run on `reads` too, flushes on `background`.
public final class LocalKVService: KVService {
    public let store: LSMStore
    public let nodeID: String
    /// The durable tier `store` belongs to; nil for a node without an object store.
    public let tier: DurableTier?
    public let objectStoreLocation: String?
    private let executor: NodeExecutor
    private let writer: WriteCoalescer
    private let state = Locked<ServiceHealth>(.starting)

    /// Opens (or creates) the store at `directory`; the service is ready once this returns.
    public convenience init(
        directory: String, options: StoreOptions, nodeID: String, executor: NodeExecutor = NodeExecutor()
    ) throws {
        self.init(
            store: try LSMStore.open(at: directory, options: options), tier: nil, objectStoreLocation: nil,
            nodeID: nodeID, executor: executor)
    }

    /// Serves `tier.store`, shipped to the object store at `objectStoreLocation`, on the
    /// tier's executor; the service is ready at once. The tier is closed by its owner
    /// (the node's service group runs it as a service), after `shutdown`.
    public convenience init(tier: DurableTier, objectStoreLocation: String, nodeID: String) {
        self.init(
            store: tier.store, tier: tier, objectStoreLocation: objectStoreLocation, nodeID: nodeID,
            executor: tier.executor)
    }

    private init(
        store: LSMStore, tier: DurableTier?, objectStoreLocation: String?, nodeID: String, executor: NodeExecutor
    ) {
        self.store = store
        self.tier = tier
        self.objectStoreLocation = objectStoreLocation
        self.nodeID = nodeID
        self.executor = executor
        writer = WriteCoalescer(store: store, lane: executor.writes)
        state.withLock { $0 = .ready }
    }

    /// `.degraded` while the node is ready but its store cannot take writes.
    public var health: ServiceHealth {
        let health = state.withLock { $0 }
        guard health == .ready else { return health }
        switch store.writeAvailability {
        case .available: return .ready
        case let .outOfSpace(reason): return .degraded("out of disk space; writes resume once space is freed: \(reason)")
        case let .failed(reason): return .degraded("writes are refused until the node restarts: \(reason)")
        case .readOnly: return .degraded("the store is read-only")
        case .closed: return .failed("the store is closed")
        }
    }

    public var recovery: RecoveryReport { store.recoveryReport }

    /// Flushes the memtable and, without a tier, closes the store (a tier closes it in
    /// `DurableTier.close`, after this). Later calls fail with 503.
    public func shutdown() async throws {
        state.withLock { $0 = .failed("the node is shutting down") }
        try await executor.background.run { [store, tier] in
            do {
                try store.flush()
            } catch let error as LSMError where error.isOutOfSpace {
                // Nothing is lost: the memtable's writes stay in the WAL and are
                // replayed at the next start.
            }
            if tier == nil { try store.close() }
        }
    }

    public func put(key: [UInt8], value: [UInt8], durability: Durability) async throws -> SequenceNumber {
        try await write([.put(key: key, value: value)], durability: durability)
    }

    public func delete(key: [UInt8], durability: Durability) async throws -> SequenceNumber {
        try await write([.delete(key: key)], durability: durability)
    }

    public func apply(_ batch: [BatchOperation], durability: Durability) async throws -> SequenceNumber {
        try await write(batch, durability: durability)
    }

    public func lookup(key: [UInt8], atSequence sequence: SequenceNumber?) async throws -> KeyVersion? {
        try await read { [store] in try store.lookup(key, atSequence: sequence) }
    }

    public func versions(key: [UInt8]) async throws -> [KeyVersion] {
        try await read { [store] in try store.versions(of: key) }
    }

    public func list(_ query: ListQuery) async throws -> ListPage {
        try await read { [store] in try Self.page(of: store, query) }
    }

    public func prove(key: [UInt8]) async throws -> Proof {
        try await run(on: executor.reads) { [store] in try store.prove(key) }
    }

    public func flush() async throws -> UInt64 {
        if let tier {
            try checkReady()
            return try await tier.flushAndPublish()
        }
        return try await run(on: executor.background) { [store] in
            try store.flush()
            return store.stats().manifestVersion
        }
    }

    public func stats() async -> StoreStats { store.stats() }

    public func tierStatistics() -> DurableTierStatistics? { tier?.statistics() }

    /// Writes through the coalescer; a `replicated` write then waits for the tier.
    private func write(_ operations: [BatchOperation], durability: Durability) async throws -> SequenceNumber {
        try checkReady()
        guard durability != .replicated || tier != nil else { throw APIError.replicationNotConfigured }
        let sequence = try await writer.write(operations, durability: durability)
        if durability == .replicated, let tier {
            do {
                try await tier.waitReplicated(through: sequence)
            } catch let error as DurableTierError {
                throw APIError.notReplicated(sequence: sequence, error)
            }
        }
        return sequence
    }

    /// Runs a read inline, or on the `reads` lane when segments may come from the object store.
    private func read<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if tier != nil { return try await run(on: executor.reads, body) }
        try checkReady()
        return try body()
    }

    private func run<T: Sendable>(
        on lane: BlockingLane, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try checkReady()
        return try await lane.run(body)
    }

    /// Throws 503 unless the node is up (a degraded node still serves: each write
    /// then fails with its own error).
    private func checkReady() throws {
        guard case .ready = state.withLock({ $0 }) else { throw APIError.unavailable("the node is not ready") }
    }

    /// One listing page: up to `query.limit` live entries, and whether more follow.
    private static func page(of store: LSMStore, _ query: ListQuery) throws -> ListPage {
        var start = query.start
        if let after = query.after {
            let next = after + [0]
            if start.map({ ByteOrder.compare($0, next) < 0 }) ?? true { start = next }
        }
        let iterator = try store.makeIterator(ScanOptions(start: start, end: query.end, prefix: query.prefix))
        var entries: [StoreEntry] = []
        while entries.count < query.limit, let entry = try iterator.next() { entries.append(entry) }
        let more = entries.count == query.limit ? try iterator.next() != nil : false
        return ListPage(entries: entries, continueAfter: more ? entries.last?.key : nil)
    }
}
