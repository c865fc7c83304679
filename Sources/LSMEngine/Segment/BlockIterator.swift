/// A bidirectional cursor over one block's entries, as LevelDB's block iterator:
/// seek is a binary search over restart points then a linear scan; `prev`
/// restarts from the previous restart point.
///
/// Memory: `value` points into the block's buffer (kept alive by the iterator);
/// `key` points into a buffer the iterator owns, rebuilt by prefix decoding.
/// Both stay valid until the iterator moves. Every decoded key must be a valid
/// internal key (≥ 8 bytes, kind 0 or 1), or the move throws `.corruption` and
/// leaves the iterator invalid. Not thread-safe; one per reader thread.
package final class BlockIterator: InternalIterator {
    private(set) var block: BlockReader
    private var keyBuffer: UnsafeMutableRawPointer
    private var keyCapacity: Int
    private var keyLength = 0
    /// Offset of the current entry; `block.restartsOffset` when invalid.
    private var current: Int
    /// Offset just past the current entry.
    private var nextEntry: Int
    /// The restart region holding the current entry.
    private var restartIndex = 0
    private var valueOffset = 0
    private var valueLength = 0

    init(block: BlockReader) {
        self.block = block
        keyCapacity = 64
        keyBuffer = UnsafeMutableRawPointer.allocate(byteCount: keyCapacity, alignment: 8)
        current = block.restartsOffset
        nextEntry = block.restartsOffset
    }

    deinit {
        keyBuffer.deallocate()
    }

    /// Switches to another block, keeping the key buffer; the iterator is left invalid.
    func reset(to block: BlockReader) {
        self.block = block
        invalidate()
    }

    /// Makes the iterator invalid.
    func invalidate() {
        current = block.restartsOffset
        nextEntry = block.restartsOffset
        keyLength = 0
    }

    package var isValid: Bool { current < block.restartsOffset }

    package var key: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: keyBuffer, count: keyLength)
    }

    var value: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: block.bytes[valueOffset..<(valueOffset + valueLength)])
    }

    package func seekToFirst() throws {
        seekToRestart(0)
        try parseNextEntry()
    }

    package func seekToLast() throws {
        seekToRestart(block.restartCount - 1)
        while try parseNextEntry() && nextEntry < block.restartsOffset {}
    }

    package func seek(_ target: UnsafeRawBufferPointer) throws {
        var left = 0
        var right = block.restartCount - 1
        while left < right {
            let mid = (left + right + 1) / 2
            let k: UnsafeRawBufferPointer
            do { k = try block.restartKey(mid) } catch {
                invalidate()
                throw error
            }
            if compareEncodedInternalKeys(k, target) < 0 { left = mid } else { right = mid - 1 }
        }
        seekToRestart(left)
        while try parseNextEntry() {
            if compareEncodedInternalKeys(key, target) >= 0 { return }
        }
    }

    func seekForPrev(_ target: UnsafeRawBufferPointer) throws {
        try seekForPrevBySeeking(target)
    }

    package func next() throws {
        precondition(isValid, "next() on an invalid block iterator")
        try parseNextEntry()
    }

    package func prev() throws {
        precondition(isValid, "prev() on an invalid block iterator")
        let original = current
        while block.restartOffset(restartIndex) >= original {
            if restartIndex == 0 {
                invalidate()
                return
            }
            restartIndex -= 1
        }
        seekToRestart(restartIndex)
        while try parseNextEntry() && nextEntry < original {}
    }

    private func seekToRestart(_ index: Int) {
        keyLength = 0
        restartIndex = index
        current = block.restartsOffset
        nextEntry = block.restartOffset(index)
    }

    /// Decodes the entry at `nextEntry`. Returns false (invalid) at the end of the entries.
    @discardableResult
    private func parseNextEntry() throws -> Bool {
        let position = nextEntry
        guard position < block.restartsOffset else {
            invalidate()
            return false
        }
        do {
            let h = try block.decodeEntryHeader(at: position)
            guard h.shared <= keyLength else { throw block.corruption(at: position, "shared prefix longer than the previous key") }
            while restartIndex + 1 < block.restartCount && block.restartOffset(restartIndex + 1) <= position {
                restartIndex += 1
            }
            if block.restartOffset(restartIndex) == position && h.shared != 0 {
                throw block.corruption(at: position, "restart entry shares a key prefix")
            }
            let length = h.shared + h.nonShared
            guard length >= 8 else { throw block.corruption(at: position, "key of \(length) bytes is not an internal key") }
            if length > keyCapacity { growKeyBuffer(to: length) }
            if h.nonShared > 0 {
                (keyBuffer + h.shared).copyMemory(from: block.bytes.baseAddress! + h.deltaOffset, byteCount: h.nonShared)
            }
            keyLength = length
            let kind = keyBuffer.load(fromByteOffset: length - 8, as: UInt8.self)
            guard kind <= ValueKind.put.rawValue else { throw block.corruption(at: position, "unknown entry kind \(kind)") }
            current = position
            valueOffset = h.deltaOffset + h.nonShared
            valueLength = h.valueLength
            nextEntry = valueOffset + valueLength
            return true
        } catch {
            invalidate()
            throw error
        }
    }

    private func growKeyBuffer(to length: Int) {
        var capacity = keyCapacity
        while capacity < length { capacity *= 2 }
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        fresh.copyMemory(from: keyBuffer, byteCount: keyLength)
        keyBuffer.deallocate()
        keyBuffer = fresh
        keyCapacity = capacity
    }
}
