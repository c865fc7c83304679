import ScribeCrypto

/// What a segment commits about one data block: its entry count and the RFC 6962
/// root of its entries' leaves. The segment tree's leaf for the block is
/// `SHA-256(0x00 ‖ fixed32 entryCount ‖ root)`, so a proof's claimed block size is
/// bound by the segment root; the block-roots block stores the 36-byte leaf
/// input of each block in order.
package struct BlockCommitment: Sendable, Equatable {
    /// Entries in the block (at least 1).
    package let entryCount: UInt32
    /// RFC 6962 root over the block's entry leaves (32 bytes).
    package let root: [UInt8]

    /// Bytes per block in the block-roots block.
    package static let encodedSize = 4 + SHA256.digestSize

    package init(entryCount: UInt32, root: [UInt8]) {
        self.entryCount = entryCount
        self.root = root
    }

    /// `fixed32 entryCount ‖ root` appended to `out`: the leaf input and the stored form.
    func append(to out: inout [UInt8]) {
        out.appendFixed32(entryCount)
        out.append(contentsOf: root)
    }

    /// `SHA-256(0x00 ‖ fixed32 entryCount ‖ root)`: the block's leaf in the segment tree.
    package var leafHash: [UInt8] {
        var h = SHA256.Hasher()
        h.update(byte: 0x00)
        h.update(fixed32: entryCount)
        h.update(root)
        return h.finalize()
    }

    /// The segment root over `blocks` in order.
    static func segmentRoot(_ blocks: [BlockCommitment]) -> [UInt8] {
        MerkleTree.root(of: blocks.map(\.leafHash))
    }

    /// Decodes the block-roots block of a segment with `blockCount` blocks: exactly
    /// `blockCount` records of `fixed32 entryCount ‖ root`, each count at least 1.
    static func decodeAll(_ bytes: [UInt8], blockCount: Int, file: String, offset: UInt64) throws -> [BlockCommitment] {
        guard bytes.count == blockCount * encodedSize else {
            throw LSMError.corruption(
                file: file, offset: offset, reason: "block roots: \(bytes.count) bytes for \(blockCount) blocks")
        }
        return try bytes.withUnsafeBytes { p in
            try (0..<blockCount).map { b in
                let start = b * encodedSize
                let count = readFixed32(p, at: start)
                guard count > 0 else {
                    throw LSMError.corruption(
                        file: file, offset: offset + UInt64(start), reason: "block roots: block \(b) has no entries")
                }
                return BlockCommitment(entryCount: count, root: Array(bytes[(start + 4)..<(start + encodedSize)]))
            }
        }
    }
}
