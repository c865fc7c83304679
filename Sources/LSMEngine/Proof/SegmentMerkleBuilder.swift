import ScribeCrypto

/// Computes a segment's block commitments and root from its entries in order, as
/// the writer produces them and the verifier re-derives them.
///
/// Entry i's leaf is `EntryLeaf.hash(userKey, trailer, SHA-256(value), nextUserKey)`
/// where nextUserKey is entry i+1's user key, across block boundaries (empty
/// for the last entry). A leaf is therefore completed only when the next entry
/// arrives: the builder keeps the pending entry's user key, trailer and value
/// hash, plus the leaf hashes of the block being completed (32 bytes per entry
/// of one block). Costs two SHA-256 passes per entry (value, leaf).
package struct SegmentMerkleBuilder {
    /// Commitments of the blocks completed so far, in order.
    private(set) var blocks: [BlockCommitment] = []
    private var leaves: [[UInt8]] = []
    private var pendingUserKey: [UInt8] = []
    private var pendingTrailer: UInt64 = 0
    private var pendingValueHash: [UInt8] = []
    private var hasPending = false
    private var pendingEndsBlock = false

    package init() {}

    /// Adds the next entry of the segment.
    package mutating func add(userKey: UnsafeRawBufferPointer, trailer: UInt64, value: UnsafeRawBufferPointer) {
        if hasPending { completePending(nextUserKey: userKey) }
        pendingUserKey.removeAll(keepingCapacity: true)
        pendingUserKey.append(contentsOf: userKey)
        pendingTrailer = trailer
        pendingValueHash = SHA256.hash(value)
        hasPending = true
        pendingEndsBlock = false
    }

    /// Marks the entry added last as the last entry of its data block.
    package mutating func endBlock() {
        precondition(hasPending && !pendingEndsBlock, "endBlock() without an entry in the block")
        pendingEndsBlock = true
    }

    /// Completes the last leaf (next key empty) and returns the segment root, the
    /// tree hash over the blocks' leaf hashes. The last block must have been ended.
    package mutating func finish() -> [UInt8] {
        if hasPending {
            precondition(pendingEndsBlock, "finish() before the last block was ended")
            completePending(nextUserKey: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return BlockCommitment.segmentRoot(blocks)
    }

    private mutating func completePending(nextUserKey: UnsafeRawBufferPointer) {
        let leaf = pendingUserKey.withUnsafeBytes {
            EntryLeaf.hash(userKey: $0, trailer: pendingTrailer, valueHash: pendingValueHash, nextUserKey: nextUserKey)
        }
        leaves.append(leaf)
        hasPending = false
        if pendingEndsBlock {
            blocks.append(BlockCommitment(entryCount: UInt32(leaves.count), root: MerkleTree.root(of: leaves)))
            leaves.removeAll(keepingCapacity: true)
            pendingEndsBlock = false
        }
    }
}
