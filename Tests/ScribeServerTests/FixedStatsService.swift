import LSMEngine
import ScribeDistributed
import ScribeVerifier
@testable import ScribeServer

/// A `KVService` that only reports fixed figures — the store's statistics and,
/// when given, a durable tier's (then it names an object store) — for the
/// observability routes. Every data operation fails; a flush fails as a tier's
/// does while its object store is down.
final class FixedStatsService: KVService {
    let snapshot: StoreStats
    let tier: DurableTierStatistics?
    let nodeID = "node-under-test"
    var health: ServiceHealth { .ready }
    var recovery: RecoveryReport { RecoveryReport() }
    var objectStoreLocation: String? { tier.map { _ in "s3://bucket/prefix" } }

    init(snapshot: StoreStats, tier: DurableTierStatistics? = nil) {
        self.snapshot = snapshot
        self.tier = tier
    }

    func put(key: [UInt8], value: [UInt8], durability: Durability) async throws -> SequenceNumber { throw Self.refused }
    func delete(key: [UInt8], durability: Durability) async throws -> SequenceNumber { throw Self.refused }
    func apply(_ batch: [BatchOperation], durability: Durability) async throws -> SequenceNumber { throw Self.refused }
    func lookup(key: [UInt8], atSequence: SequenceNumber?) async throws -> KeyVersion? { throw Self.refused }
    func versions(key: [UInt8]) async throws -> [KeyVersion] { throw Self.refused }
    func list(_ query: ListQuery) async throws -> ListPage { throw Self.refused }
    func prove(key: [UInt8]) async throws -> Proof { throw Self.refused }
    func flush() async throws -> UInt64 { throw DurableTierError.unavailable("the test store is down") }
    func stats() async -> StoreStats { snapshot }
    func tierStatistics() -> DurableTierStatistics? { tier }

    private static let refused = APIError.unavailable("statistics only")
}
