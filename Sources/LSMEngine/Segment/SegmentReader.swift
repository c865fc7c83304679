import ScribeBytes

/// An open segment file: footer, index, filter, block roots and properties
/// are read and validated once at `open`; data blocks are read on demand with
/// `pread`, so one reader can serve many threads at once. With a `BlockCache`,
/// data block reads look there first, keyed by this reader's `cacheID` and the
/// block's offset, and insert what they read.
///
/// `open` rejects (with `.corruption` naming the file and offset): a file
/// shorter than the footer, a bad footer (magic, CRC, version), any block
/// whose CRC or encoding is bad, a layout that is not exactly
/// `data blocks ‖ filter ‖ block roots ‖ properties ‖ index ‖ footer` with no
/// gap or overlap, index keys out of order or not internal keys, a block-roots
/// block that is not 36 bytes per indexed block or claims an empty block or
/// more entries than the properties count, properties that are
/// inconsistent with themselves, the footer, the index or the block roots, and
/// a file named `*.sst` whose name is not `<id>.sst`. Every byte of a file that
/// opens thus lies in the footer or in exactly one CRC-protected block; data
/// block CRCs are checked when the block is read.
final class SegmentReader: @unchecked Sendable {
    let path: String
    let fileSize: UInt64
    let footer: SegmentFooter
    let properties: SegmentProperties
    /// What the manifest records about this segment.
    let metadata: SegmentMetadata
    /// Entry count and Merkle root of each data block, in order.
    let blocks: [BlockCommitment]
    /// Handle of each data block, in order.
    let blockHandles: [BlockHandle]
    /// The cache of decoded data blocks this reader consults, if any.
    let blockCache: BlockCache?
    /// This opened file's key prefix in `blockCache`.
    let cacheID: UInt64
    /// The tree over the block leaves, built on the first proof (see `SegmentProver`).
    let blockTree = Locked<MerkleLevels?>(nil)

    private let file: any SegmentSource
    private let filter: BloomFilter?
    /// Index separator keys, concatenated; key i is `indexKeyBytes[indexKeyStarts[i]..<indexKeyStarts[i+1]]`.
    private let indexKeyBytes: [UInt8]
    private let indexKeyStarts: [Int]

    var blockCount: Int { blockHandles.count }

    private init(
        path: String, file: any SegmentSource, fileSize: UInt64, footer: SegmentFooter, properties: SegmentProperties,
        blocks: [BlockCommitment], blockHandles: [BlockHandle], filter: BloomFilter?, indexKeyBytes: [UInt8],
        indexKeyStarts: [Int], blockCache: BlockCache?, cacheID: UInt64
    ) {
        self.path = path
        self.blockCache = blockCache
        self.cacheID = cacheID
        self.file = file
        self.fileSize = fileSize
        self.footer = footer
        self.properties = properties
        self.metadata = properties.metadata(fileSize: fileSize)
        self.blocks = blocks
        self.blockHandles = blockHandles
        self.filter = filter
        self.indexKeyBytes = indexKeyBytes
        self.indexKeyStarts = indexKeyStarts
    }

    /// Opens and validates the segment at `path`, read through `fileSystem`. Reads
    /// the footer and the four metadata blocks (O(index + filter + block roots)
    /// memory), checks them as described on the type; throws `.corruption` or
    /// `.io`. Data blocks go through `blockCache` when one is given, under
    /// `cacheID` (a fresh `BlockCache.newCacheID()` unless the caller reuses the id
    /// of a previous opening of the same verified content, as `TableCache` does).
    static func open(
        path: String, fileSystem: any FileSystem, blockCache: BlockCache? = nil, cacheID: UInt64? = nil
    ) throws -> SegmentReader {
        try open(
            source: try LocalSegmentFile(path: path, fileSystem: fileSystem), path: path, blockCache: blockCache,
            cacheID: cacheID)
    }

    /// Opens and validates the segment whose bytes `source` holds, as `open(path:)`
    /// does; `path` names it in errors and must end in `<id>.sst`.
    static func open(
        source file: any SegmentSource, path: String, blockCache: BlockCache? = nil, cacheID: UInt64? = nil
    ) throws -> SegmentReader {
        let fileSize = file.size
        func corruption(_ offset: UInt64, _ reason: String) -> LSMError {
            .corruption(file: path, offset: offset, reason: reason)
        }
        guard fileSize >= UInt64(SegmentFooter.size) else {
            throw corruption(0, "file of \(fileSize) bytes is shorter than the \(SegmentFooter.size)-byte footer")
        }
        let footerOffset = fileSize - UInt64(SegmentFooter.size)
        let footer = try SegmentFooter.decode(
            try file.read(at: footerOffset, count: SegmentFooter.size), file: path, offset: footerOffset)

        // Layout: filter, block roots, properties and index are contiguous and end at the footer.
        let meta: [(String, BlockHandle)] = [
            ("filter", footer.filter), ("block roots", footer.blockRoots),
            ("properties", footer.properties), ("index", footer.index),
        ]
        for (name, h) in meta {
            guard h.fits(before: footerOffset) else { throw corruption(footerOffset, "footer: \(name) handle out of range") }
        }
        for i in 1..<meta.count where meta[i].1.offset != meta[i - 1].1.end {
            throw corruption(footerOffset, "footer: \(meta[i].0) block does not follow the \(meta[i - 1].0) block")
        }
        guard footer.index.end == footerOffset else {
            throw corruption(footerOffset, "footer: index block does not end at the footer")
        }
        let dataEnd = footer.filter.offset

        let reader = BlockFileReader(file: file, path: path)
        let index = try BlockReader(owning: try reader.readBlock(footer.index), file: path, fileOffset: footer.index.offset)
        var handles: [BlockHandle] = []
        var keyBytes: [UInt8] = []
        var keyStarts: [Int] = [0]
        let it = index.makeIterator()
        try it.seekToFirst()
        var expectedOffset: UInt64 = 0
        while it.isValid {
            guard let h = BlockHandle.decodeVarint(it.value) else {
                throw corruption(footer.index.offset, "index: bad block handle for block \(handles.count)")
            }
            guard h.offset == expectedOffset, h.fits(before: dataEnd) else {
                throw corruption(footer.index.offset, "index: data block \(handles.count) handle out of place")
            }
            if handles.count > 0 {
                let ordered = keyBytes.withUnsafeBytes { all in
                    compareEncodedInternalKeys(UnsafeRawBufferPointer(rebasing: all[keyStarts[handles.count - 1]...]), it.key) < 0
                }
                guard ordered else { throw corruption(footer.index.offset, "index: keys out of order at block \(handles.count)") }
            }
            keyBytes.append(contentsOf: it.key)
            keyStarts.append(keyBytes.count)
            handles.append(h)
            expectedOffset = h.end
            try it.next()
        }
        guard expectedOffset == dataEnd, !handles.isEmpty else {
            throw corruption(footer.index.offset, "index: data blocks do not fill the data area")
        }

        let filterBytes = try reader.readArray(footer.filter)
        let filter = filterBytes.isEmpty
            ? nil : try BloomFilter(block: filterBytes, file: path, offset: footer.filter.offset)

        let blocks = try BlockCommitment.decodeAll(
            try reader.readArray(footer.blockRoots), blockCount: handles.count, file: path,
            offset: footer.blockRoots.offset)

        let properties = try SegmentProperties.decode(
            try reader.readArray(footer.properties), file: path, offset: footer.properties.offset)
        func mismatch(_ reason: String) -> LSMError { corruption(footer.properties.offset, "properties: \(reason)") }
        guard properties.formatVersion == footer.formatVersion else { throw mismatch("format version differs from the footer") }
        guard properties.blockCount == UInt64(handles.count) else { throw mismatch("block count differs from the index") }
        guard properties.entryCount == blocks.reduce(0, { $0 + UInt64($1.entryCount) }) else {
            throw mismatch("entry count differs from the blocks' counts")
        }
        guard properties.root == BlockCommitment.segmentRoot(blocks) else {
            throw mismatch("root does not match the block commitments")
        }
        let lastSeparator = Array(keyBytes[keyStarts[handles.count - 1]...])
        let largestWithinIndex = properties.largestKey.encoded.withUnsafeBytes { largest in
            lastSeparator.withUnsafeBytes { compareEncodedInternalKeys(largest, $0) <= 0 }
        }
        guard largestWithinIndex else { throw mismatch("largest key beyond the last index key") }
        let name = baseName(path)
        if name.hasSuffix(".sst") && name != properties.id.fileName {
            throw corruption(0, "file name \(name) does not match segment id \(properties.id)")
        }
        return SegmentReader(
            path: path, file: file, fileSize: fileSize, footer: footer, properties: properties, blocks: blocks,
            blockHandles: handles, filter: filter, indexKeyBytes: keyBytes, indexKeyStarts: keyStarts,
            blockCache: blockCache, cacheID: cacheID ?? BlockCache.newCacheID())
    }

    /// Approximate heap bytes this reader keeps while open: index keys and
    /// offsets, block handles, block roots and the filter.
    var memoryEstimate: Int {
        indexKeyBytes.count + indexKeyStarts.count * MemoryLayout<Int>.stride
            + blockHandles.count * (MemoryLayout<BlockHandle>.stride + MemoryLayout<BlockCommitment>.stride + 32 + 32)
            + Int(footer.filter.size)
    }

    /// False only when the segment certainly holds no version of `userKey` (Bloom filter).
    func mayContain(userKey: UnsafeRawBufferPointer) -> Bool {
        filter?.mayContain(userKey) ?? true
    }

    /// Data block `index`: from the block cache when it holds it, otherwise
    /// read, verified and decoded (one `pread`, one CRC pass, one
    /// decompression), its key order checked (`checkKeyOrder`) and then
    /// inserted into the cache. Throws `.corruption` if the stored block
    /// changed or is damaged (nothing is cached then).
    /// With `fillCache` false a block read from the file is not inserted
    /// (compaction reads each block once; caching it would evict hot blocks).
    func readDataBlock(_ index: Int, fillCache: Bool = true) throws -> BlockReader {
        precondition(index >= 0 && index < blockHandles.count, "data block index out of range")
        let handle = blockHandles[index]
        if let cache = blockCache, let cached = cache.block(cacheID: cacheID, offset: handle.offset) {
            return cached
        }
        let buffer = try BlockFileReader(file: file, path: path).readBlock(handle)
        let block = try BlockReader(owning: buffer, file: path, fileOffset: handle.offset)
        try checkKeyOrder(of: block, index: index)
        if fillCache { blockCache?.insert(cacheID: cacheID, offset: handle.offset, block: block) }
        return block
    }

    /// Checks that data block `index`'s keys strictly increase, the first lies
    /// above the previous block's index key and the last at or below its own,
    /// so iteration never yields keys out of order even when a block's
    /// checksum holds (a block written out of order, or crafted). One decoding
    /// pass over the block, copying each key once.
    private func checkKeyOrder(of block: BlockReader, index: Int) throws {
        var previous = index > 0 ? indexKey(index - 1) : []
        var hasPrevious = index > 0
        let it = block.makeIterator()
        try it.seekToFirst()
        while it.isValid {
            let key = it.key
            if hasPrevious {
                guard previous.withUnsafeBytes({ compareEncodedInternalKeys($0, key) }) < 0 else {
                    throw LSMError.corruption(
                        file: path, offset: blockHandles[index].offset,
                        reason: "data block \(index): keys not strictly increasing within the index")
                }
            }
            hasPrevious = true
            previous.removeAll(keepingCapacity: true)
            previous.append(contentsOf: key)
            try it.next()
        }
        let withinSeparator = previous.withUnsafeBytes { last in
            indexKeyBytes.withUnsafeBytes { all in
                compareEncodedInternalKeys(
                    last, UnsafeRawBufferPointer(rebasing: all[indexKeyStarts[index]..<indexKeyStarts[index + 1]])) <= 0
            }
        }
        guard withinSeparator else {
            throw LSMError.corruption(
                file: path, offset: blockHandles[index].offset, reason: "data block \(index): a key beyond its index key")
        }
    }

    /// The first data block whose index key is ≥ `target`, or `blockCount` when none.
    /// O(log blocks) comparisons, no allocation.
    func blockIndex(atOrAfter target: UnsafeRawBufferPointer) -> Int {
        indexKeyBytes.withUnsafeBytes { all in
            var low = 0
            var high = blockHandles.count
            while low < high {
                let mid = (low + high) / 2
                let key = UnsafeRawBufferPointer(rebasing: all[indexKeyStarts[mid]..<indexKeyStarts[mid + 1]])
                if compareEncodedInternalKeys(key, target) < 0 { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    /// The index key (separator) of data block `index`.
    func indexKey(_ index: Int) -> [UInt8] {
        Array(indexKeyBytes[indexKeyStarts[index]..<indexKeyStarts[index + 1]])
    }

    /// The newest entry for `userKey` with sequence ≤ `sequence`, or nil. Probes
    /// the filter, binary-searches the index and reads at most one data block.
    func get(
        userKey: UnsafeRawBufferPointer, atSequence sequence: SequenceNumber
    ) throws -> (kind: ValueKind, value: [UInt8], sequence: SequenceNumber)? {
        guard mayContain(userKey: userKey) else { return nil }
        var target = Array(userKey)
        target.appendFixed64(KeyTrailer.seek(min(sequence, maxSequenceNumber)).rawValue)
        return try target.withUnsafeBytes { t in
            let b = blockIndex(atOrAfter: t)
            guard b < blockCount else { return nil }
            let it = try readDataBlock(b).makeIterator()
            try it.seek(t)
            guard it.isValid, let (found, trailer) = splitInternalKey(it.key), ByteOrder.compare(found, userKey) == 0,
                  let kind = ValueKind(rawValue: UInt8(truncatingIfNeeded: trailer))
            else { return nil }
            return (kind, Array(it.value), trailer >> 8)
        }
    }

    /// Every version of `userKey` in this segment, newest first.
    func versions(of userKey: UnsafeRawBufferPointer) throws -> [(sequence: SequenceNumber, kind: ValueKind, value: [UInt8])] {
        guard mayContain(userKey: userKey) else { return [] }
        var target = Array(userKey)
        target.appendFixed64(UInt64.max)
        let it = makeIterator()
        try target.withUnsafeBytes { try it.seek($0) }
        var out: [(sequence: SequenceNumber, kind: ValueKind, value: [UInt8])] = []
        while it.isValid, let (found, trailer) = splitInternalKey(it.key), ByteOrder.compare(found, userKey) == 0 {
            guard let kind = ValueKind(rawValue: UInt8(truncatingIfNeeded: trailer)) else { break }
            out.append((trailer >> 8, kind, Array(it.value)))
            try it.next()
        }
        return out
    }

    /// A two-level iterator over all entries (unpositioned).
    /// An iterator over every entry; `fillCache: false` for one-pass readers such as compaction.
    func makeIterator(fillCache: Bool = true) -> SegmentIterator {
        SegmentIterator(reader: self, fillCache: fillCache)
    }
}

/// Reads stored blocks (bytes plus trailer) of one file by handle and decodes them.
struct BlockFileReader {
    let file: any SegmentSource
    let path: String

    /// The decoded raw bytes of the block at `handle` in a new buffer the caller
    /// owns. Throws `.corruption` when the file is shorter than the handle claims.
    func readBlock(_ handle: BlockHandle) throws -> UnsafeMutableRawBufferPointer {
        let count = Int(handle.size) + BlockCodec.trailerSize
        let bytes = try file.read(at: handle.offset, count: count)
        guard bytes.count == count else {
            throw LSMError.corruption(file: path, offset: handle.offset, reason: "block truncated: \(bytes.count) of \(count) bytes")
        }
        return try bytes.withUnsafeBytes { try BlockCodec.decode($0, file: path, offset: handle.offset) }
    }

    /// The decoded raw bytes of the block at `handle` as an array.
    func readArray(_ handle: BlockHandle) throws -> [UInt8] {
        let buffer = try readBlock(handle)
        defer { releaseBlockBuffer(buffer) }
        return Array(UnsafeRawBufferPointer(buffer))
    }
}
