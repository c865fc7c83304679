/// A two-level iterator over a segment: the in-memory index picks a data
/// block, a `BlockIterator` walks it; moving past either end of a block loads
/// the neighbouring block. Forward and backward.
///
/// Memory: holds one decoded data block at a time (taken from the reader's
/// block cache, or read from the file, on every block change) and reuses one
/// key buffer. `key`/`value` stay
/// valid until the iterator moves. Throws `.corruption` from moves that read a
/// damaged block; it is then invalid. Not thread-safe.
final class SegmentIterator: InternalIterator {
    let reader: SegmentReader
    /// Whether blocks read from the file go into the block cache.
    private let fillCache: Bool
    private var blockIterator: BlockIterator?
    /// The loaded block, or -1 when none.
    private var blockIndex = -1

    init(reader: SegmentReader, fillCache: Bool = true) {
        self.reader = reader
        self.fillCache = fillCache
    }

    var isValid: Bool { blockIterator?.isValid ?? false }

    var key: UnsafeRawBufferPointer {
        precondition(isValid, "key of an invalid segment iterator")
        return blockIterator!.key
    }

    var value: UnsafeRawBufferPointer {
        precondition(isValid, "value of an invalid segment iterator")
        return blockIterator!.value
    }

    func seekToFirst() throws {
        guard try load(0) else { return }
        try blockIterator?.seekToFirst()
        try skipForward()
    }

    func seekToLast() throws {
        guard try load(reader.blockCount - 1) else { return }
        try blockIterator?.seekToLast()
        try skipBackward()
    }

    func seek(_ target: UnsafeRawBufferPointer) throws {
        guard try load(reader.blockIndex(atOrAfter: target)) else { return }
        try blockIterator?.seek(target)
        try skipForward()
    }

    func seekForPrev(_ target: UnsafeRawBufferPointer) throws {
        try seekForPrevBySeeking(target)
    }

    func next() throws {
        precondition(isValid, "next() on an invalid segment iterator")
        try blockIterator?.next()
        try skipForward()
    }

    func prev() throws {
        precondition(isValid, "prev() on an invalid segment iterator")
        try blockIterator?.prev()
        try skipBackward()
    }

    /// Loads data block `index` into the block iterator (unpositioned). Returns
    /// false and becomes invalid when `index` is outside the segment.
    private func load(_ index: Int) throws -> Bool {
        guard index >= 0 && index < reader.blockCount else {
            blockIterator?.invalidate()
            blockIndex = -1
            return false
        }
        if index == blockIndex, blockIterator != nil { return true }
        blockIterator?.invalidate()
        blockIndex = -1
        let block = try reader.readDataBlock(index, fillCache: fillCache)
        if let it = blockIterator { it.reset(to: block) } else { blockIterator = BlockIterator(block: block) }
        blockIndex = index
        return true
    }

    private func skipForward() throws {
        while !isValid && blockIndex >= 0 {
            guard try load(blockIndex + 1) else { return }
            try blockIterator?.seekToFirst()
        }
    }

    private func skipBackward() throws {
        while !isValid && blockIndex >= 0 {
            guard try load(blockIndex - 1) else { return }
            try blockIterator?.seekToLast()
        }
    }
}
