/// A cursor over entries in internal-key order (user key ascending, then
/// sequence descending). Memtables, data blocks, segments and the merging
/// iterator all implement it, so the store's iterators compose them freely.
///
/// `key` and `value` point into memory the iterator owns (a block buffer or
/// the memtable arena); they stay valid until the iterator moves or is released.
/// Reading them when `isValid` is false is a programmer error.
protocol InternalIterator: AnyObject {
    /// True when positioned at an entry.
    var isValid: Bool { get }
    /// The current entry's encoded internal key: `userKey ‖ fixed64le(sequence << 8 | kind)`.
    var key: UnsafeRawBufferPointer { get }
    /// The current entry's value (empty for tombstones).
    var value: UnsafeRawBufferPointer { get }
    /// Positions at the first entry, or becomes invalid when there is none.
    func seekToFirst() throws
    /// Positions at the last entry, or becomes invalid when there is none.
    func seekToLast() throws
    /// Positions at the first entry whose internal key is ≥ `target` (an encoded internal key).
    func seek(_ target: UnsafeRawBufferPointer) throws
    /// Positions at the last entry whose internal key is ≤ `target`.
    func seekForPrev(_ target: UnsafeRawBufferPointer) throws
    /// Moves to the next entry; becomes invalid after the last.
    func next() throws
    /// Moves to the previous entry; becomes invalid before the first.
    func prev() throws
}

extension InternalIterator {
    /// `seekForPrev` for iterators whose natural move is a forward seek: seek to
    /// the first entry ≥ `target`, then step back over entries > `target`.
    func seekForPrevBySeeking(_ target: UnsafeRawBufferPointer) throws {
        try seek(target)
        if !isValid {
            try seekToLast()
            return
        }
        while isValid && compareEncodedInternalKeys(key, target) > 0 { try prev() }
    }
}
