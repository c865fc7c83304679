import ScribeVerifier
import ScribeBytes
import ScribeCrypto

/// Builds the segment-level parts of proofs (docs/proofs.md): leaf proofs with their
/// block and segment audit paths, and probes for a key's newest version.
///
/// One prover serves one proof: it memoizes the blocks it decodes (each costs one
/// block read and a SHA-256 per value and per leaf). The tree over the segment's block
/// leaves is built once per open reader (one SHA-256 per block) and kept with it.
final class SegmentProver {
    let reader: SegmentReader
    private var blocks: [Int: ProvenBlock] = [:]

    /// A block's entries as their leaves commit them, and its leaf hashes.
    struct ProvenBlock {
        var entries: [ProofEntry]
        var leaves: [[UInt8]]
    }

    init(reader: SegmentReader) {
        self.reader = reader
    }

    /// The position of the first entry at or after the internal key (`userKey`, `trailer`)
    /// — user key ascending, trailer descending — or nil past the segment's end.
    func position(atOrAfter userKey: [UInt8], trailer: UInt64) throws -> (block: Int, entry: Int)? {
        var target = userKey
        target.appendFixed64(trailer)
        let b = target.withUnsafeBytes { reader.blockIndex(atOrAfter: $0) }
        guard b < reader.blockCount else { return nil }
        let entries = try block(b).entries
        let i = entries.firstIndex { e in
            let order = e.key.withUnsafeBytes { k in userKey.withUnsafeBytes { ByteOrder.compare(k, $0) } }
            return order > 0 || (order == 0 && (e.sequence << 8 | UInt64(e.kind.byte)) <= trailer)
        }
        guard let i else {
            throw LSMError.corruption(
                file: reader.path, offset: reader.blockHandles[b].offset, reason: "data block \(b) ends below its index key")
        }
        return (b, i)
    }

    /// The position before `position`, or nil for the segment's first entry.
    func previous(_ position: (block: Int, entry: Int)) throws -> (block: Int, entry: Int)? {
        if position.entry > 0 { return (position.block, position.entry - 1) }
        guard position.block > 0 else { return nil }
        return (position.block - 1, try block(position.block - 1).entries.count - 1)
    }

    /// The entry at `position` with its audit paths.
    func leaf(at position: (block: Int, entry: Int)) throws -> LeafProof {
        let proven = try block(position.block)
        let tree = blockTree()
        return LeafProof(
            entry: proven.entries[position.entry],
            position: EntryPosition(
                blockIndex: UInt32(position.block), entryCount: UInt32(proven.entries.count),
                entryIndex: UInt32(position.entry), blockPath: MerkleTree.auditPath(index: position.entry, of: proven.leaves),
                segmentPath: tree.auditPath(index: position.block)))
    }

    /// The newest version of `key` here (`first`) and the entry before it or before where
    /// it would be (`before`), as `ProofVerifier` expects a probe.
    func probe(_ key: [UInt8]) throws -> SegmentProbe {
        guard let at = try position(atOrAfter: key, trailer: KeyTrailer.seek(maxSequenceNumber).rawValue) else {
            let last = reader.blockCount - 1
            return SegmentProbe(before: try leaf(at: (last, try block(last).entries.count - 1)), first: nil)
        }
        let before = try previous(at).map { try leaf(at: $0) }
        let candidate = try leaf(at: at)
        return SegmentProbe(before: before, first: candidate.entry.key == key ? candidate : nil)
    }

    /// The tree over the block leaves, built on first use and kept with the reader.
    private func blockTree() -> MerkleLevels {
        reader.blockTree.withLock { cached in
            if let cached { return cached }
            let tree = MerkleLevels(leaves: reader.blocks.map(\.leafHash))
            cached = tree
            return tree
        }
    }

    /// Decodes block `b` into leaf fields (its last entry's next key comes from block b+1).
    private func block(_ b: Int) throws -> ProvenBlock {
        if let known = blocks[b] { return known }
        var entries: [ProofEntry] = []
        let it = try reader.readDataBlock(b).makeIterator()
        try it.seekToFirst()
        while it.isValid {
            guard let (userKey, trailer) = splitInternalKey(it.key),
                  let kind = ValueKind(rawValue: UInt8(truncatingIfNeeded: trailer)) else {
                throw LSMError.corruption(file: reader.path, offset: reader.blockHandles[b].offset, reason: "bad entry key")
            }
            if !entries.isEmpty { entries[entries.count - 1].nextKey = Array(userKey) }
            entries.append(ProofEntry(
                key: Array(userKey), sequence: trailer >> 8, kind: kind == .put ? .put : .delete,
                valueHash: SHA256.hash(it.value), nextKey: []))
            try it.next()
        }
        if b + 1 < reader.blockCount, !entries.isEmpty {
            let next = try reader.readDataBlock(b + 1).makeIterator()
            try next.seekToFirst()
            if next.isValid, let (userKey, _) = splitInternalKey(next.key) {
                entries[entries.count - 1].nextKey = Array(userKey)
            }
        }
        let leaves = entries.map { e in
            e.key.withUnsafeBytes { k in
                e.nextKey.withUnsafeBytes { n in
                    EntryLeaf.hash(
                        userKey: k, trailer: e.sequence << 8 | UInt64(e.kind.byte), valueHash: e.valueHash, nextUserKey: n)
                }
            }
        }
        let proven = ProvenBlock(entries: entries, leaves: leaves)
        blocks[b] = proven
        return proven
    }
}
