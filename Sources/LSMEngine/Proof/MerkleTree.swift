import ScribeCrypto

/// RFC 6962 (Certificate Transparency) Merkle hashing with SHA-256.
///
/// leaf hash = SHA-256(0x00 ‖ leaf input); node hash = SHA-256(0x01 ‖ left ‖ right);
/// a tree of n > 1 leaves splits at k, the largest power of two below n. No
/// padding, no duplicated nodes; the index and the tree size are proof inputs.
package enum MerkleTree {
    /// SHA-256(0x00 ‖ input).
    package static func leafHash(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var h = SHA256.Hasher()
        h.update(byte: 0x00)
        h.update(input)
        return h.finalize()
    }

    /// SHA-256(0x00 ‖ input).
    package static func leafHash(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { leafHash($0) }
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    package static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var h = SHA256.Hasher()
        h.update(byte: 0x01)
        h.update(left)
        h.update(right)
        return h.finalize()
    }

    /// The root over `hashes`, each already a leaf hash or a subtree root.
    /// Empty input gives SHA-256 of the empty string, as RFC 6962 defines.
    package static func root(of hashes: [[UInt8]]) -> [UInt8] {
        if hashes.isEmpty { return SHA256.hash([UInt8]()) }
        return hashes.withUnsafeBufferPointer { subtreeRoot($0[...]) }
    }

    private static func subtreeRoot(_ hashes: Slice<UnsafeBufferPointer<[UInt8]>>) -> [UInt8] {
        if hashes.count == 1 { return hashes[hashes.startIndex] }
        let k = largestPowerOfTwo(below: hashes.count)
        let mid = hashes.startIndex + k
        return nodeHash(subtreeRoot(hashes[hashes.startIndex..<mid]), subtreeRoot(hashes[mid..<hashes.endIndex]))
    }

    /// The audit path of leaf `index` among `hashes` (RFC 6962 §2.1.1), ordered
    /// from the leaf's sibling up to the root's child.
    package static func auditPath(index: Int, of hashes: [[UInt8]]) -> [[UInt8]] {
        precondition(index >= 0 && index < hashes.count, "audit path index out of range")
        var path: [[UInt8]] = []
        hashes.withUnsafeBufferPointer { buffer in
            collectPath(index: index, buffer[...], into: &path)
        }
        return path
    }

    private static func collectPath(
        index: Int, _ hashes: Slice<UnsafeBufferPointer<[UInt8]>>, into path: inout [[UInt8]]
    ) {
        guard hashes.count > 1 else { return }
        let k = largestPowerOfTwo(below: hashes.count)
        let mid = hashes.startIndex + k
        if index < k {
            collectPath(index: index, hashes[hashes.startIndex..<mid], into: &path)
            path.append(subtreeRoot(hashes[mid..<hashes.endIndex]))
        } else {
            collectPath(index: index - k, hashes[mid..<hashes.endIndex], into: &path)
            path.append(subtreeRoot(hashes[hashes.startIndex..<mid]))
        }
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}

/// The Merkle leaf of one segment entry:
/// `varint(len key) ‖ key ‖ fixed64le(sequence << 8 | kind) ‖ SHA-256(value) ‖ varint(len nextKey) ‖ nextKey`,
/// where nextKey is the user key of the next entry in the segment (empty for the last).
package enum EntryLeaf {
    /// The leaf input bytes (before the 0x00 prefix).
    package static func encode(
        userKey: UnsafeRawBufferPointer, trailer: UInt64, valueHash: [UInt8], nextUserKey: UnsafeRawBufferPointer
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(userKey.count + nextUserKey.count + 8 + 32 + 10)
        out.appendLengthPrefixed(userKey)
        out.appendFixed64(trailer)
        out.append(contentsOf: valueHash)
        out.appendLengthPrefixed(nextUserKey)
        return out
    }

    /// SHA-256(0x00 ‖ encode(...)), fed field by field without building the encoding.
    package static func hash(
        userKey: UnsafeRawBufferPointer, trailer: UInt64, valueHash: [UInt8], nextUserKey: UnsafeRawBufferPointer
    ) -> [UInt8] {
        var h = SHA256.Hasher()
        h.update(byte: 0x00)
        h.update(varint: UInt64(userKey.count))
        h.update(userKey)
        h.update(fixed64: trailer)
        h.update(valueHash)
        h.update(varint: UInt64(nextUserKey.count))
        h.update(nextUserKey)
        return h.finalize()
    }
}
