/// Builds the raw (uncompressed) bytes of one block.
///
/// Layout: entries `varint(shared) ‖ varint(nonShared) ‖ varint(valueLength) ‖ keyDelta ‖ value`,
/// where `shared` is the length of the prefix the key has in common with the
/// previous key (always 0 at a restart point, one every `restartInterval`
/// entries), then `fixed32le` offsets of the restart points and a `fixed32le`
/// restart count. Keys must be added in strictly increasing order; the builder
/// does not check this (the segment writer does).
///
/// Cost: amortised O(key + value) per entry; the block grows in one array.
package struct BlockBuilder {
    /// Entries between restart points (1 for index blocks).
    let restartInterval: Int
    private var buffer: [UInt8] = []
    private var restarts: [UInt32] = [0]
    private var sinceRestart = 0
    /// The last key added (empty when the block is empty).
    private(set) var lastKey: [UInt8] = []
    /// Entries added since the last `finish`.
    private(set) var entryCount = 0

    package init(restartInterval: Int) {
        precondition(restartInterval >= 1, "restart interval must be at least 1")
        self.restartInterval = restartInterval
    }

    package var isEmpty: Bool { entryCount == 0 }

    /// The raw size `finish` would produce now.
    package var estimatedSize: Int { buffer.count + restarts.count * 4 + 4 }

    /// Appends one entry. The block must stay below 4 GiB (restart offsets are 32-bit).
    package mutating func add(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        var shared = 0
        if sinceRestart < restartInterval {
            let limit = min(lastKey.count, key.count)
            lastKey.withUnsafeBytes { last in
                while shared < limit && last[shared] == key[shared] { shared += 1 }
            }
        } else {
            precondition(buffer.count <= Int(UInt32.max), "block exceeds 4 GiB")
            restarts.append(UInt32(buffer.count))
            sinceRestart = 0
        }
        let delta = UnsafeRawBufferPointer(rebasing: key[shared...])
        buffer.appendVarint(shared)
        buffer.appendVarint(delta.count)
        buffer.appendVarint(value.count)
        buffer.append(contentsOf: delta)
        buffer.append(contentsOf: value)
        lastKey.removeSubrange(shared...)
        lastKey.append(contentsOf: delta)
        sinceRestart += 1
        entryCount += 1
    }

    /// Appends `value` under `key`, both arrays.
    package mutating func add(key: [UInt8], value: [UInt8]) {
        key.withUnsafeBytes { k in value.withUnsafeBytes { v in add(key: k, value: v) } }
    }

    /// Returns the finished raw block and resets the builder for the next block.
    /// Hands over the grown buffer without copying it.
    package mutating func finish() -> [UInt8] {
        precondition(!isEmpty, "a block needs at least one entry")
        for r in restarts { buffer.appendFixed32(r) }
        buffer.appendFixed32(UInt32(restarts.count))
        let out = buffer
        buffer = []
        buffer.reserveCapacity(min(out.capacity, 1 << 16))
        restarts.removeAll(keepingCapacity: true)
        restarts.append(0)
        sinceRestart = 0
        lastKey.removeAll(keepingCapacity: true)
        entryCount = 0
        return out
    }
}
