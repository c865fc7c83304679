import LSMEngine

/// The tier's statistics, updated by its shippers and read by `/metrics`.
final class TierCounters: Sendable {
    private let state = Locked(DurableTierStatistics())

    func update(_ change: (inout DurableTierStatistics) -> Void) {
        state.withLock { change(&$0) }
    }

    var snapshot: DurableTierStatistics { state.withLock { $0 } }
}
