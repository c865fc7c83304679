public import LSMEngine
import NIOPosix
public import ScribeVerifier
import Synchronization

/// The single-node `KVService`: the embedded engine. Writes go through a
/// `WriteCoalescer`, which runs them on a dedicated thread pool (fdatasync never blocks
/// Swift's cooperative threads) and gives concurrent requests one engine write and one
/// fdatasync per round. Reads run where the request runs: they touch the memtable and
/// the block cache and at most a few `pread`s from the page cache, which costs less
/// than the two thread hops a pool would add.
public final class LocalKVService: KVService {
    public let store: LSMStore
    public let nodeID: String
    private let pool: NIOThreadPool
    private let writer: WriteCoalescer
    private let state = Mutex<ServiceHealth>(.starting)

    /// Opens (or creates) the store at `directory`; the service is ready once this returns.
    public init(directory: String, options: StoreOptions, nodeID: String, threads: Int = 4) throws {
        store = try LSMStore.open(at: directory, options: options)
        self.nodeID = nodeID
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        writer = WriteCoalescer(store: store, pool: pool)
        state.withLock { $0 = .ready }
    }

    public var health: ServiceHealth { state.withLock { $0 } }

    /// Flushes the memtable, closes the store and stops the pool. Later calls fail with 503.
    public func shutdown() async throws {
        state.withLock { $0 = .failed("the node is shutting down") }
        try await pool.runIfActive { [store] in
            try store.flush()
            try store.close()
        }
        try await pool.shutdownGracefully()
    }

    public func put(key: [UInt8], value: [UInt8], durability: Durability) async throws -> SequenceNumber {
        try checkReady()
        return try await writer.write([.put(key: key, value: value)], durability: durability)
    }

    public func delete(key: [UInt8], durability: Durability) async throws -> SequenceNumber {
        try checkReady()
        return try await writer.write([.delete(key: key)], durability: durability)
    }

    public func apply(_ batch: [BatchOperation], durability: Durability) async throws -> SequenceNumber {
        try checkReady()
        return try await writer.write(batch, durability: durability)
    }

    public func lookup(key: [UInt8], atSequence sequence: SequenceNumber?) async throws -> KeyVersion? {
        try checkReady()
        return try store.lookup(key, atSequence: sequence)
    }

    public func versions(key: [UInt8]) async throws -> [KeyVersion] {
        try checkReady()
        return try store.versions(of: key)
    }

    public func list(_ query: ListQuery) async throws -> ListPage {
        try checkReady()
        var start = query.start
        if let after = query.after {
            let next = after + [0]
            if start.map({ compareKeys($0, next) < 0 }) ?? true { start = next }
        }
        let iterator = try store.makeIterator(ScanOptions(start: start, end: query.end, prefix: query.prefix))
        var entries: [StoreEntry] = []
        while entries.count < query.limit, let entry = try iterator.next() { entries.append(entry) }
        let more = entries.count == query.limit ? try iterator.next() != nil : false
        return ListPage(entries: entries, continueAfter: more ? entries.last?.key : nil)
    }

    public func prove(key: [UInt8]) async throws -> Proof {
        try await run { [store] in try store.prove(key) }
    }

    public func flush() async throws -> UInt64 {
        try await run { [store] in
            try store.flush()
            return store.stats().manifestVersion
        }
    }

    public func stats() async -> StoreStats { store.stats() }

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try checkReady()
        return try await pool.runIfActive(body)
    }

    private func checkReady() throws {
        guard case .ready = health else { throw APIError.unavailable("the node is not ready") }
    }

}

/// Bytewise order of two keys.
func compareKeys(_ a: [UInt8], _ b: [UInt8]) -> Int {
    for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}
