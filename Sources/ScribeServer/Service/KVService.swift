public import LSMEngine
public import ScribeDistributed
public import ScribeVerifier

/// One operation of an atomic batch.
public enum BatchOperation: Sendable, Equatable {
    case put(key: [UInt8], value: [UInt8])
    case delete(key: [UInt8])
}

/// One page of a listing: live keys in order and, when more remain, the key to continue after.
public struct ListPage: Sendable, Equatable {
    public var entries: [StoreEntry]
    /// Pass as `after` to get the next page; nil on the last page.
    public var continueAfter: [UInt8]?

    public init(entries: [StoreEntry], continueAfter: [UInt8]?) {
        self.entries = entries
        self.continueAfter = continueAfter
    }
}

/// What a listing asks for. All bounds are optional; `start` is inclusive, `end` exclusive.
public struct ListQuery: Sendable, Equatable {
    public var prefix: [UInt8]?
    public var start: [UInt8]?
    public var end: [UInt8]?
    /// Return only keys strictly after this one (a continuation).
    public var after: [UInt8]?
    public var limit: Int

    public init(prefix: [UInt8]? = nil, start: [UInt8]? = nil, end: [UInt8]? = nil, after: [UInt8]? = nil, limit: Int) {
        self.prefix = prefix
        self.start = start
        self.end = end
        self.after = after
        self.limit = limit
    }
}

/// The node's state as the health route reports it.
public enum ServiceHealth: Sendable, Equatable {
    case starting
    case ready
    /// Serving reads, but writes cannot succeed now (the reason): the disk is full, a
    /// failure made the store refuse writes, or it is read-only.
    case degraded(String)
    case failed(String)
}

/// What the HTTP layer needs from a node. The single-node implementation
/// (`LocalKVService`) calls the embedded engine; the cluster puts a replicated
/// service behind the same protocol, so routes never talk to the engine directly.
public protocol KVService: Sendable {
    func put(key: [UInt8], value: [UInt8], durability: Durability) async throws -> SequenceNumber
    func delete(key: [UInt8], durability: Durability) async throws -> SequenceNumber
    /// Applies every operation atomically; returns the last sequence.
    func apply(_ batch: [BatchOperation], durability: Durability) async throws -> SequenceNumber
    /// The newest version at or below `sequence` (default: the newest), tombstones included.
    func lookup(key: [UInt8], atSequence: SequenceNumber?) async throws -> KeyVersion?
    func versions(key: [UInt8]) async throws -> [KeyVersion]
    func list(_ query: ListQuery) async throws -> ListPage
    /// The proof JSON's model for the key's newest version (latest, absence or pending).
    func prove(key: [UInt8]) async throws -> Proof
    /// Flushes the memtable; returns the manifest version that holds it (with an object
    /// store: the version published there, once every segment is uploaded).
    func flush() async throws -> UInt64
    func stats() async -> StoreStats
    var health: ServiceHealth { get }
    /// What opening the store found and did (torn tails cut, damage skipped, files
    /// moved to `lost/`).
    var recovery: RecoveryReport { get }
    /// Who this node is, for the cluster routes.
    var nodeID: String { get }
    /// Where the node's object store is (`s3://…`, `file://…`), or nil when it has none.
    var objectStoreLocation: String? { get }
    /// The durable tier's figures, or nil when the node has no object store.
    func tierStatistics() -> DurableTierStatistics?
}

extension KVService {
    /// A node without an object store.
    public var objectStoreLocation: String? { nil }
    public func tierStatistics() -> DurableTierStatistics? { nil }
}
