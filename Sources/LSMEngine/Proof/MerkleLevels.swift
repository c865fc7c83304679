import ScribeCrypto

/// Every level of an RFC 6962 tree, kept so audit paths cost O(log n) instead of
/// rehashing the tree. Level 0 holds the leaf hashes; level k+1 pairs level k's
/// nodes (2i, 2i+1) and promotes an unpaired last node unchanged, which yields
/// exactly RFC 6962's tree (split at the largest power of two below n).
///
/// Memory: about 2n hashes, stored flat (32 bytes each, no per-hash allocation).
/// Building costs n − 1 node hashes.
struct MerkleLevels: Sendable {
    /// levels[k] holds levels[k].count / 32 hashes, concatenated.
    private let levels: [[UInt8]]

    /// The tree over `leaves` (at least one hash, each 32 bytes).
    init(leaves: [[UInt8]]) {
        precondition(!leaves.isEmpty, "a Merkle tree needs a leaf")
        var all: [[UInt8]] = [leaves.flatMap { $0 }]
        while let last = all.last, last.count > SHA256.digestSize {
            let count = last.count / SHA256.digestSize
            var next: [UInt8] = []
            next.reserveCapacity((count + 1) / 2 * SHA256.digestSize)
            for i in stride(from: 0, to: count, by: 2) {
                let left = Array(last[(i * 32)..<(i * 32 + 32)])
                if i + 1 < count {
                    next.append(contentsOf: MerkleTree.nodeHash(left, Array(last[(i * 32 + 32)..<(i * 32 + 64)])))
                } else {
                    next.append(contentsOf: left)
                }
            }
            all.append(next)
        }
        levels = all
    }

    /// The number of leaves.
    var leafCount: Int { levels[0].count / SHA256.digestSize }

    /// The tree's root.
    var root: [UInt8] { levels[levels.count - 1] }

    /// The audit path of leaf `index`, from its sibling up: RFC 6962 §2.1.1's path.
    func auditPath(index: Int) -> [[UInt8]] {
        precondition(index >= 0 && index < leafCount, "audit path index out of range")
        var path: [[UInt8]] = []
        var i = index
        for level in levels.dropLast() {
            let count = level.count / SHA256.digestSize
            let sibling = i ^ 1
            if sibling < count { path.append(Array(level[(sibling * 32)..<(sibling * 32 + 32)])) }
            i >>= 1
        }
        return path
    }
}
