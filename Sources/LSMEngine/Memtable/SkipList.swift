import Synchronization

/// A skip list of internal-key entries stored in an `Arena`, ordered by
/// `compareInternal` (user key ascending, then trailer descending).
///
/// Concurrency contract (LevelDB's): exactly one thread may call `insert` at a
/// time — the caller guarantees it — while any number of threads search and
/// walk the list without locks. A node's links are set before the node is
/// published, and it is published level by level, bottom first, with release
/// stores; readers follow links with acquire loads, so a reader either does
/// not see a node or sees it completely. Nodes are never removed or changed
/// after publication, and their memory lives until the list is deinitialised.
///
/// Costs: an insert is O(log n) comparisons plus one copy of the key and value
/// into the arena; searches are O(log n) comparisons and copy nothing.
final class SkipList {
    /// The tallest a node can be.
    static let maxHeight = 12

    let arena: Arena
    /// The sentinel before every node; it has `maxHeight` links and no key.
    private let head: SkipListNode
    /// The height of the tallest node so far; readers may see a stale value, which is safe.
    private let currentHeight = Atomic<Int>(1)
    private let count = Atomic<Int>(0)
    /// Writer-only: the predecessors found by the last insert's search.
    private let splice: UnsafeMutablePointer<SkipListNode>
    /// Writer-only xorshift64 state for node heights.
    private var randomState: UInt64

    /// Creates an empty list whose nodes are carved from chunks of `chunkSize` bytes.
    init(chunkSize: Int) {
        arena = Arena(chunkSize: chunkSize)
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let headMemory = arena.allocate(
            SkipListNode.byteCount(height: SkipList.maxHeight, keyLength: 0, valueLength: 0))
        head = SkipListNode.initialize(
            in: headMemory, height: SkipList.maxHeight, trailer: 0, key: empty, value: empty)
        splice = UnsafeMutablePointer<SkipListNode>.allocate(capacity: SkipList.maxHeight)
        splice.initialize(repeating: head, count: SkipList.maxHeight)
        randomState = UInt64.random(in: 1...UInt64.max)
    }

    deinit {
        splice.deallocate()
    }

    /// The number of entries inserted so far.
    var entryCount: Int { count.load(ordering: .relaxed) }

    /// The first node, or nil when the list is empty.
    var first: SkipListNode? { head.next(0) }

    /// Inserts an entry. Single writer only; `(key, trailer)` must not already be present.
    func insert(trailer: UInt64, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        precondition(key.count <= Int(UInt32.max) && value.count <= Int(UInt32.max), "entry too large")
        var height = currentHeight.load(ordering: .relaxed)
        var node = head
        var level = height - 1
        // The successor already found ≥ the new key one level up: when the
        // level below leads to the same node it needs no second comparison.
        var knownNotLess: UnsafeMutableRawPointer?
        while true {
            if let next = node.nextRelaxed(level), next.base != knownNotLess {
                next.prefetchNext(level)
                if compareInternal(next.userKey, next.trailer, key, trailer) < 0 {
                    node = next
                    continue
                }
                knownNotLess = next.base
            }
            splice[level] = node
            if level == 0 { break }
            level -= 1
        }
        let nodeHeight = randomHeight()
        if nodeHeight > height {
            for i in height..<nodeHeight { splice[i] = head }
            height = nodeHeight
            currentHeight.store(nodeHeight, ordering: .relaxed)
        }
        let memory = arena.allocate(
            SkipListNode.byteCount(height: nodeHeight, keyLength: key.count, valueLength: value.count))
        let inserted = SkipListNode.initialize(
            in: memory, height: nodeHeight, trailer: trailer, key: key, value: value)
        for i in 0..<nodeHeight {
            inserted.setNextRelaxed(i, splice[i].nextRelaxed(i))
            splice[i].setNext(i, inserted)
        }
        count.wrappingAdd(1, ordering: .relaxed)
    }

    /// The first node whose internal key is ≥ `(userKey, trailer)`, or nil.
    func findGreaterOrEqual(_ userKey: UnsafeRawBufferPointer, _ trailer: UInt64) -> SkipListNode? {
        var node = head
        var level = currentHeight.load(ordering: .relaxed) - 1
        // See `insert`: a node known to be ≥ the target is not compared again.
        var knownNotLess: UnsafeMutableRawPointer?
        while true {
            let next = node.next(level)
            if let next, next.base != knownNotLess {
                next.prefetchNext(level)
                if compareInternal(next.userKey, next.trailer, userKey, trailer) < 0 {
                    node = next
                    continue
                }
                knownNotLess = next.base
            }
            if level == 0 { return next }
            level -= 1
        }
    }

    /// The last node whose internal key is < `(userKey, trailer)`, or nil.
    func findLessThan(_ userKey: UnsafeRawBufferPointer, _ trailer: UInt64) -> SkipListNode? {
        findLast { compareInternal($0.userKey, $0.trailer, userKey, trailer) < 0 }
    }

    /// The last node whose internal key is ≤ `(userKey, trailer)`, or nil.
    func findLessOrEqual(_ userKey: UnsafeRawBufferPointer, _ trailer: UInt64) -> SkipListNode? {
        findLast { compareInternal($0.userKey, $0.trailer, userKey, trailer) <= 0 }
    }

    /// The last node of the list, or nil when it is empty.
    func findLast() -> SkipListNode? {
        findLast { _ in true }
    }

    /// The last node satisfying `precedes`, which must hold for a prefix of the list.
    @inline(__always)
    private func findLast(while precedes: (SkipListNode) -> Bool) -> SkipListNode? {
        var node = head
        var level = currentHeight.load(ordering: .relaxed) - 1
        while true {
            if let next = node.next(level), precedes(next) {
                node = next
            } else if level == 0 {
                return node == head ? nil : node
            } else {
                level -= 1
            }
        }
    }

    /// A height in 1...maxHeight, each extra level with probability 1/4.
    private func randomHeight() -> Int {
        var height = 1
        while height < SkipList.maxHeight {
            randomState ^= randomState << 13
            randomState ^= randomState >> 7
            randomState ^= randomState << 17
            if randomState & 3 != 0 { break }
            height += 1
        }
        return height
    }
}
