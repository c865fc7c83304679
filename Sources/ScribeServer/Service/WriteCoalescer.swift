import LSMEngine
import ScribeDistributed

/// Gathers the writes of concurrent requests into one engine write.
///
/// Requests append their operations to a queue and suspend; one drain job on the node
/// executor's `writes` lane takes everything queued (up to a bound), writes it as a
/// single `WriteBatch` — one WAL record, one fdatasync when any request asked for a
/// synced mode (`local` or `replicated`) — and resumes each request with the sequence
/// of its last operation. While it writes,
/// new requests queue up for the next round, so under load each fdatasync carries as
/// many requests as arrived during the previous one, with one thread hop per round
/// instead of one per request.
///
/// Requests share a round's atomicity (all of it is durable or none), never its
/// acknowledgment: each is resumed only after the whole round is written. A round that
/// fails fails every request in it; the HTTP layer has already validated each one.
final class WriteCoalescer: Sendable {
    private struct Pending {
        let operations: [BatchOperation]
        let synced: Bool
        let continuation: CheckedContinuation<SequenceNumber, any Error>
    }

    private struct Queue {
        var pending: [Pending] = []
        var draining = false
    }

    /// A round stops taking requests after this many operations or value bytes.
    static let maxRoundOperations = 4096
    static let maxRoundBytes = 32 << 20

    private let store: LSMStore
    private let lane: BlockingLane
    private let queue = Locked(Queue())

    /// Drains on `lane`, which should run nothing else: a drain queued behind
    /// other work delays every waiting write.
    init(store: LSMStore, lane: BlockingLane) {
        self.store = store
        self.lane = lane
    }

    /// Applies `operations` atomically with the given durability; returns the sequence
    /// of the last one (they get consecutive sequences).
    func write(_ operations: [BatchOperation], durability: Durability) async throws -> SequenceNumber {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain = queue.withLock { q -> Bool in
                q.pending.append(Pending(operations: operations, synced: durability.writeOptions.sync, continuation: continuation))
                if q.draining { return false }
                q.draining = true
                return true
            }
            if startDrain { lane.submit { [self] in drain() } }
        }
    }

    /// Writes rounds until the queue is empty.
    private func drain() {
        while let round = nextRound() {
            var batch = WriteBatch()
            for request in round {
                for operation in request.operations {
                    switch operation {
                    case .put(let key, let value): batch.put(key, value)
                    case .delete(let key): batch.delete(key)
                    }
                }
            }
            do {
                let last = try store.write(batch, options: round.contains { $0.synced } ? .synced : .buffered)
                var sequence = last - SequenceNumber(round.reduce(0) { $0 + $1.operations.count })
                for request in round {
                    sequence += SequenceNumber(request.operations.count)
                    request.continuation.resume(returning: sequence)
                }
            } catch {
                for request in round { request.continuation.resume(throwing: error) }
            }
        }
    }

    /// Takes the queued requests that fit in one round, or ends the drain when none are queued.
    private func nextRound() -> [Pending]? {
        queue.withLock { q -> [Pending]? in
            guard !q.pending.isEmpty else {
                q.draining = false
                return nil
            }
            var operations = 0
            var bytes = 0
            var taken = 0
            for request in q.pending {
                let size = request.operations.reduce(0) { total, operation in
                    if case .put(let key, let value) = operation { return total + key.count + value.count }
                    return total
                }
                if taken > 0 && (operations + request.operations.count > Self.maxRoundOperations
                    || bytes + size > Self.maxRoundBytes) { break }
                operations += request.operations.count
                bytes += size
                taken += 1
            }
            let round = Array(q.pending.prefix(taken))
            q.pending.removeFirst(taken)
            return round
        }
    }
}
