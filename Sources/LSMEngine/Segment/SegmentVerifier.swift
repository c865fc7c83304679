/// A full check of a segment file, for `scribe-kv verify` and tests.
enum SegmentVerifier {
    /// Opens `path` (all `SegmentReader.open` checks), then reads every data
    /// block (CRC, encoding) and checks: internal keys strictly increasing
    /// across the whole file; each index key ≥ its block's last key and < the
    /// next block's first key; every user key passes the Bloom filter; each
    /// recomputed block root equals the block-roots block and the recomputed
    /// segment root equals the properties' root; entry count, data size,
    /// smallest/largest key and sequence range equal the properties; the file
    /// name is `<id>.sst`. Throws `.corruption` naming the first failure.
    /// Costs one pass over the file and two SHA-256 passes per entry. With
    /// `source` the bytes are read from it (a remote segment) and `path` names them;
    /// without, `path` is read through `fileSystem`.
    static func verify(path: String, fileSystem: any FileSystem, source: (any SegmentSource)? = nil) throws -> SegmentMetadata {
        let reader = try source.map { try SegmentReader.open(source: $0, path: path) }
            ?? SegmentReader.open(path: path, fileSystem: fileSystem)
        let p = reader.properties
        func fail(_ offset: UInt64, _ reason: String) -> LSMError {
            .corruption(file: path, offset: offset, reason: reason)
        }
        let name = baseName(path)
        guard name == p.id.fileName else { throw fail(0, "file name \(name) does not match segment id \(p.id)") }

        var merkle = SegmentMerkleBuilder()
        var previousKey: [UInt8] = []
        var entryCount: UInt64 = 0
        var dataSize: UInt64 = 0
        var smallestSequence = SequenceNumber.max
        var largestSequence: SequenceNumber = 0
        var firstKey: [UInt8] = []
        for b in 0..<reader.blockCount {
            let handle = reader.blockHandles[b]
            let block = try reader.readDataBlock(b)
            dataSize += UInt64(block.bytes.count)
            let it = block.makeIterator()
            try it.seekToFirst()
            var firstInBlock = true
            while it.isValid {
                let key = it.key
                guard let (userKey, trailer) = splitInternalKey(key) else {
                    throw fail(handle.offset, "data block \(b): key is not an internal key")
                }
                if entryCount == 0 {
                    firstKey = Array(key)
                } else {
                    let order = previousKey.withUnsafeBytes { compareEncodedInternalKeys($0, key) }
                    guard order < 0 else { throw fail(handle.offset, "data block \(b): keys not strictly increasing") }
                }
                if firstInBlock && b > 0 {
                    let separatorBelow = reader.indexKey(b - 1).withUnsafeBytes { compareEncodedInternalKeys($0, key) < 0 }
                    guard separatorBelow else { throw fail(reader.footer.index.offset, "index key of block \(b - 1) not below block \(b)") }
                }
                firstInBlock = false
                guard reader.mayContain(userKey: userKey) else {
                    throw fail(reader.footer.filter.offset, "Bloom filter rejects a key the segment holds")
                }
                let sequence = trailer >> 8
                smallestSequence = min(smallestSequence, sequence)
                largestSequence = max(largestSequence, sequence)
                merkle.add(userKey: userKey, trailer: trailer, value: it.value)
                previousKey.removeAll(keepingCapacity: true)
                previousKey.append(contentsOf: key)
                entryCount += 1
                try it.next()
            }
            merkle.endBlock()
            let separatorAbove = reader.indexKey(b).withUnsafeBytes { separator in
                previousKey.withUnsafeBytes { compareEncodedInternalKeys($0, separator) <= 0 }
            }
            guard separatorAbove else { throw fail(reader.footer.index.offset, "index key of block \(b) below its last key") }
        }
        let root = merkle.finish()
        for (b, computed) in merkle.blocks.enumerated() where computed != reader.blocks[b] {
            throw fail(reader.footer.blockRoots.offset, "block \(b)'s commitment does not match its entries")
        }
        guard root == p.root else { throw fail(reader.footer.properties.offset, "segment root does not match the entries") }
        guard entryCount == p.entryCount else {
            throw fail(reader.footer.properties.offset, "entry count \(entryCount) differs from properties \(p.entryCount)")
        }
        guard dataSize == p.dataSize else {
            throw fail(reader.footer.properties.offset, "data size \(dataSize) differs from properties \(p.dataSize)")
        }
        guard firstKey == p.smallestKey.encoded, previousKey == p.largestKey.encoded else {
            throw fail(reader.footer.properties.offset, "key range differs from properties")
        }
        guard smallestSequence == p.smallestSequence, largestSequence == p.largestSequence else {
            throw fail(reader.footer.properties.offset, "sequence range differs from properties")
        }
        return reader.metadata
    }
}
