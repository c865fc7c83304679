/// An `InternalIterator` over a memtable's skip list. Safe to use while the
/// single writer keeps inserting: it sees a consistent sorted sequence, though
/// entries published after it moved past a position may or may not be seen.
///
/// `key` and `value` point straight into the arena (no copies); they stay valid
/// for as long as the iterator lives, since it holds a strong reference to its
/// memtable. `next` is O(1); `prev` and the seeks are O(log n) searches, as in
/// LevelDB (there are no back links). The methods never throw; they are
/// `throws` only for the protocol.
final class MemtableIterator: InternalIterator {
    private let memtable: Memtable
    private var node: SkipListNode?

    /// An unpositioned iterator over `memtable`.
    init(_ memtable: Memtable) {
        self.memtable = memtable
    }

    var isValid: Bool { node != nil }

    var key: UnsafeRawBufferPointer { current.internalKey }

    var value: UnsafeRawBufferPointer { current.value }

    func seekToFirst() throws {
        node = memtable.list.first
    }

    func seekToLast() throws {
        node = memtable.list.findLast()
    }

    /// `target` must be an encoded internal key (at least 8 bytes).
    func seek(_ target: UnsafeRawBufferPointer) throws {
        let (userKey, trailer) = split(target)
        node = memtable.list.findGreaterOrEqual(userKey, trailer)
    }

    /// `target` must be an encoded internal key (at least 8 bytes).
    func seekForPrev(_ target: UnsafeRawBufferPointer) throws {
        let (userKey, trailer) = split(target)
        node = memtable.list.findLessOrEqual(userKey, trailer)
    }

    func next() throws {
        node = current.next(0)
    }

    func prev() throws {
        let here = current
        node = memtable.list.findLessThan(here.userKey, here.trailer)
    }

    private var current: SkipListNode {
        guard let node else { preconditionFailure("MemtableIterator used while not positioned") }
        return node
    }

    private func split(_ target: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, UInt64) {
        guard let parts = splitInternalKey(target) else {
            preconditionFailure("seek target is not an encoded internal key")
        }
        return parts
    }
}
