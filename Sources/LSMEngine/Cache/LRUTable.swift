/// A map with least-recently-used eviction bounded by a total charge: the
/// single-threaded core of `BlockCache` shards and of `TableCache`.
///
/// Entries live in one array of slots linked into an intrusive doubly-linked
/// list by index (most recent at `head`), with a free list of vacated slots, so
/// an insert allocates nothing once the slot array has grown to the peak entry
/// count. `get`, `insert` and `remove` cost one dictionary operation plus O(1)
/// list work (plus the evictions an insert causes); `removeAll(where:)` is
/// O(entries). Invariant: `usage` is the sum of live charges and never exceeds
/// `capacity` after any call returns. Not thread-safe: callers hold a lock.
struct LRUTable<Key: Hashable, Value> {
    private struct Slot {
        var key: Key?
        var value: Value?
        var charge: Int
        var previous: Int32
        var next: Int32
    }

    private static var none: Int32 { -1 }

    /// The most charge the table holds.
    let capacity: Int
    /// The sum of the live entries' charges.
    private(set) var usage = 0
    private var slots: [Slot] = []
    private var index: [Key: Int32] = [:]
    private var head = LRUTable.none
    private var tail = LRUTable.none
    private var freeList = LRUTable.none

    init(capacity: Int) {
        precondition(capacity >= 0, "LRU capacity must not be negative")
        self.capacity = capacity
    }

    /// Number of live entries.
    var count: Int { index.count }

    /// The value for `key`, which becomes the most recently used; nil when absent.
    mutating func get(_ key: Key) -> Value? {
        guard let slot = index[key] else { return nil }
        moveToFront(slot)
        return slots[Int(slot)].value
    }

    /// The value for `key` without touching the recency order.
    func peek(_ key: Key) -> Value? {
        index[key].flatMap { slots[Int($0)].value }
    }

    /// Inserts or replaces `key` as the most recently used entry, then evicts
    /// least recently used entries until `usage ≤ capacity`. An entry whose
    /// charge alone exceeds the capacity is not kept (and any older value for
    /// the key is removed). Returns the values that left the table, so the
    /// caller can release them after dropping its lock.
    mutating func insert(_ key: Key, _ value: Value, charge: Int) -> [Value] {
        precondition(charge >= 0, "LRU charge must not be negative")
        var departed: [Value] = []
        if let old = remove(key) { departed.append(old) }
        guard charge <= capacity else {
            departed.append(value)
            return departed
        }
        while usage + charge > capacity, tail != LRUTable.none {
            let victim = tail
            unlink(victim)
            if let value = release(victim) { departed.append(value) }
        }
        let slot = allocate(Slot(key: key, value: value, charge: charge, previous: LRUTable.none, next: LRUTable.none))
        index[key] = slot
        usage += charge
        pushFront(slot)
        return departed
    }

    /// Removes `key`; returns its value, or nil when absent.
    @discardableResult
    mutating func remove(_ key: Key) -> Value? {
        guard let slot = index[key] else { return nil }
        unlink(slot)
        return release(slot)
    }

    /// Removes every entry whose key satisfies `predicate`; returns their values. O(entries).
    mutating func removeAll(where predicate: (Key) -> Bool) -> [Value] {
        var departed: [Value] = []
        var slot = head
        while slot != LRUTable.none {
            let next = slots[Int(slot)].next
            if let key = slots[Int(slot)].key, predicate(key) {
                unlink(slot)
                if let value = release(slot) { departed.append(value) }
            }
            slot = next
        }
        return departed
    }

    /// Keys from most to least recently used. O(entries); for tests and diagnostics.
    var keysByRecency: [Key] {
        var out: [Key] = []
        var slot = head
        while slot != LRUTable.none {
            if let key = slots[Int(slot)].key { out.append(key) }
            slot = slots[Int(slot)].next
        }
        return out
    }

    private mutating func allocate(_ entry: Slot) -> Int32 {
        if freeList != LRUTable.none {
            let slot = freeList
            freeList = slots[Int(slot)].next
            slots[Int(slot)] = entry
            return slot
        }
        precondition(slots.count < Int(Int32.max), "LRU table slot count overflow")
        slots.append(entry)
        return Int32(slots.count - 1)
    }

    /// Clears an unlinked slot, puts it on the free list and returns its value.
    private mutating func release(_ slot: Int32) -> Value? {
        let i = Int(slot)
        if let key = slots[i].key { index[key] = nil }
        usage -= slots[i].charge
        let value = slots[i].value
        slots[i] = Slot(key: nil, value: nil, charge: 0, previous: LRUTable.none, next: freeList)
        freeList = slot
        return value
    }

    private mutating func moveToFront(_ slot: Int32) {
        guard slot != head else { return }
        unlink(slot)
        pushFront(slot)
    }

    private mutating func pushFront(_ slot: Int32) {
        slots[Int(slot)].previous = LRUTable.none
        slots[Int(slot)].next = head
        if head != LRUTable.none { slots[Int(head)].previous = slot }
        head = slot
        if tail == LRUTable.none { tail = slot }
    }

    private mutating func unlink(_ slot: Int32) {
        let previous = slots[Int(slot)].previous
        let next = slots[Int(slot)].next
        if previous != LRUTable.none { slots[Int(previous)].next = next } else { head = next }
        if next != LRUTable.none { slots[Int(next)].previous = previous } else { tail = previous }
        slots[Int(slot)].previous = LRUTable.none
        slots[Int(slot)].next = LRUTable.none
    }
}
