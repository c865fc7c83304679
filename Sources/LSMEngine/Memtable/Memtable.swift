import Synchronization
import ScribeBytes

/// Result of a point lookup.
package enum MemtableLookup: Equatable {
    /// The newest visible version is a value.
    case value([UInt8], sequence: SequenceNumber)
    /// The newest visible version is a tombstone.
    case deleted(sequence: SequenceNumber)
}

/// The in-memory write buffer: every recent version of every key, in
/// internal-key order, in a skip list over an arena.
///
/// Concurrency contract: exactly ONE thread may call `add` at a time — the
/// engine's group-commit leader serialises writes, and callers must guarantee
/// this. Any number of threads may call `get`, `versions(of:atSequence:)`,
/// the counters and iterate concurrently with that writer, without locks; they
/// see each entry either not at all or completely.
///
/// Memory: each entry is copied once into the arena (node links, a 16-byte
/// header, key, 8-byte trailer, value) and freed only when the memtable is
/// deinitialised; iterators keep it alive. There are no per-entry objects.
package final class Memtable: @unchecked Sendable {
    let list: SkipList
    private let newestSequence = Atomic<UInt64>(0)

    /// Creates an empty memtable whose arena grows in chunks of `chunkSize` bytes
    /// (entries larger than a quarter chunk get a chunk of their own).
    package init(chunkSize: Int = 4 << 20) {
        list = SkipList(chunkSize: chunkSize)
    }

    /// Single writer only. Inserts one entry; (key, sequence) pairs are unique by
    /// construction. Copies `key` and `value` into the arena once.
    package func add(sequence: SequenceNumber, kind: ValueKind, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        precondition(sequence <= maxSequenceNumber, "sequence number out of range")
        list.insert(trailer: KeyTrailer(sequence: sequence, kind: kind).rawValue, key: key, value: value)
        if sequence > newestSequence.load(ordering: .relaxed) { newestSequence.store(sequence, ordering: .relaxed) }
    }

    /// The largest sequence added (0 when empty): what a flush makes durable,
    /// even when it drops shadowed entries.
    var largestSequence: SequenceNumber { newestSequence.load(ordering: .relaxed) }

    /// The newest entry for `userKey` with sequence ≤ `sequence`, or nil when the
    /// memtable has none. Copies the value out (O(log n) search plus the copy).
    package func get(_ userKey: UnsafeRawBufferPointer, atSequence sequence: SequenceNumber) -> MemtableLookup? {
        guard let node = firstVisible(userKey, atSequence: sequence) else { return nil }
        let trailer = KeyTrailer(rawValue: node.trailer)
        if trailer.kindByte == ValueKind.delete.rawValue {
            return .deleted(sequence: trailer.sequence)
        }
        return .value(Array(node.value), sequence: trailer.sequence)
    }

    /// Every version of `userKey` with sequence ≤ `sequence`, newest first. Copies each value.
    func versions(
        of userKey: UnsafeRawBufferPointer, atSequence sequence: SequenceNumber
    ) -> [(sequence: SequenceNumber, kind: ValueKind, value: [UInt8])] {
        var result: [(sequence: SequenceNumber, kind: ValueKind, value: [UInt8])] = []
        var cursor = firstVisible(userKey, atSequence: sequence)
        while let node = cursor, ByteOrder.compare(node.userKey, userKey) == 0 {
            let trailer = KeyTrailer(rawValue: node.trailer)
            let kind: ValueKind = trailer.kindByte == ValueKind.delete.rawValue ? .delete : .put
            result.append((trailer.sequence, kind, Array(node.value)))
            cursor = node.next(0)
        }
        return result
    }

    /// Bytes of arena memory consumed (nodes, padding and retired chunk tails);
    /// what rotation compares with `memtableSize`. Grows with every `add`.
    var approximateMemoryUsage: Int { list.arena.memoryUsage }

    /// The number of entries added.
    package var entryCount: Int { list.entryCount }

    /// True when no entry has been added.
    var isEmpty: Bool { list.first == nil }

    /// A new iterator over the memtable's entries; it keeps the memtable alive.
    func makeIterator() -> MemtableIterator {
        MemtableIterator(self)
    }

    /// The newest node of `userKey` with sequence ≤ `sequence`, or nil.
    private func firstVisible(_ userKey: UnsafeRawBufferPointer, atSequence sequence: SequenceNumber) -> SkipListNode? {
        let target = KeyTrailer.seek(min(sequence, maxSequenceNumber)).rawValue
        guard let node = list.findGreaterOrEqual(userKey, target),
              ByteOrder.compare(node.userKey, userKey) == 0 else { return nil }
        return node
    }
}
