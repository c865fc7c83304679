/// The engine's parsers of stored bytes, exposed to the package's fuzzing
/// harnesses (`Fuzz/<Target>/`) and their regression tests. Each parses hostile
/// input exactly as the engine does when it reads its own files, and either
/// returns what it decoded or throws `LSMError`; a trap, a hang or an unbounded
/// allocation is a bug. The builders of well-formed inputs (seed segments, seed
/// corpora) live in `FuzzSupport.SegmentFixture`.
package enum UntrustedInput {
    /// One decoded entry: encoded internal key and value.
    package typealias Entry = (key: [UInt8], value: [UInt8])

    // MARK: Segments

    /// Opens a segment file and reads every entry forward, then backward.
    /// Costs two passes over the data blocks.
    package static func segmentEntries(path: String) throws -> (forward: [Entry], backward: [Entry], entryCount: UInt64) {
        let reader = try SegmentReader.open(path: path, fileSystem: PosixFileSystem())
        let iterator = reader.makeIterator()
        var forward: [Entry] = []
        try iterator.seekToFirst()
        while iterator.isValid {
            forward.append((Array(iterator.key), Array(iterator.value)))
            try iterator.next()
        }
        var backward: [Entry] = []
        try iterator.seekToLast()
        while iterator.isValid {
            backward.append((Array(iterator.key), Array(iterator.value)))
            try iterator.prev()
        }
        return (forward, backward, reader.metadata.entryCount)
    }

    /// What the point reads of a segment return for one user key: every
    /// version (newest first, as `(encoded internal key, value)`) and the
    /// newest entry `get` finds at the largest sequence, or nil.
    package static func segmentLookup(path: String, userKey: [UInt8]) throws -> (versions: [Entry], newest: Entry?) {
        let reader = try SegmentReader.open(path: path, fileSystem: PosixFileSystem())
        return try userKey.withUnsafeBytes { key in
            let versions = try reader.versions(of: key).map { version in
                (InternalKey(userKey: userKey, sequence: version.sequence, kind: version.kind).encoded, version.value)
            }
            let newest = try reader.get(userKey: key, atSequence: maxSequenceNumber).map { found in
                (InternalKey(userKey: userKey, sequence: found.sequence, kind: found.kind).encoded, found.value)
            }
            return (versions, newest)
        }
    }

    /// Full verification of a segment file: checksums, order, Merkle roots, id.
    package static func verifySegment(path: String) throws {
        _ = try SegmentVerifier.verify(path: path, fileSystem: PosixFileSystem())
    }

    /// The segment root stored in the properties and the root recomputed from
    /// the data blocks' entries, block by block. Costs one pass over the data.
    package static func segmentRoots(path: String) throws -> (stored: [UInt8], recomputed: [UInt8]) {
        let reader = try SegmentReader.open(path: path, fileSystem: PosixFileSystem())
        var merkle = SegmentMerkleBuilder()
        for b in 0..<reader.blockCount {
            let it = try reader.readDataBlock(b).makeIterator()
            try it.seekToFirst()
            while it.isValid {
                guard let (userKey, trailer) = splitInternalKey(it.key) else {
                    throw LSMError.corruption(file: path, offset: reader.blockHandles[b].offset, reason: "not an internal key")
                }
                merkle.add(userKey: userKey, trailer: trailer, value: it.value)
                try it.next()
            }
            merkle.endBlock()
        }
        return (reader.properties.root, merkle.finish())
    }

    /// The file name (`<id>.sst`) the segment's properties claim; verification
    /// requires the file to carry it.
    package static func segmentFileName(path: String) throws -> String {
        try SegmentReader.open(path: path, fileSystem: PosixFileSystem()).properties.id.fileName
    }

    /// One region of a segment file, for structure-aware mutation.
    package enum SegmentRegion: CaseIterable, Sendable {
        case footer, index, filter, blockRoots, properties, dataBlock
    }

    /// The byte ranges (stored bytes plus trailer) of every region of a
    /// well-formed segment; `.dataBlock` lists one range per data block.
    package static func segmentRegions(path: String) throws -> [SegmentRegion: [Range<Int>]] {
        let reader = try SegmentReader.open(path: path, fileSystem: PosixFileSystem())
        func range(_ handle: BlockHandle) -> Range<Int> {
            Int(handle.offset)..<Int(handle.offset + handle.size) + BlockCodec.trailerSize
        }
        let footerStart = Int(reader.fileSize) - SegmentFooter.size
        return [
            .footer: [footerStart..<Int(reader.fileSize)],
            .index: [range(reader.footer.index)],
            .filter: [range(reader.footer.filter)],
            .blockRoots: [range(reader.footer.blockRoots)],
            .properties: [range(reader.footer.properties)],
            .dataBlock: reader.blockHandles.map(range),
        ]
    }

    // MARK: WAL and write batches

    /// Reads every record of a WAL file and decodes each as a write batch;
    /// returns the number of operations decoded.
    package static func walOperations(path: String, lenient: Bool) throws -> Int {
        var reader = try WALReader(path: path, mode: lenient ? .skipCorruption : .strict, fileSystem: PosixFileSystem())
        var operations = 0
        while let record = try reader.next() {
            try WriteBatch.forEach(encoded: record.payload, file: path, offset: record.offset) { _, _ in operations += 1 }
        }
        return operations
    }

    /// Decodes `bytes` as one encoded write batch; returns its operation count.
    package static func writeBatchOperations(_ bytes: [UInt8]) throws -> Int {
        var operations = 0
        try WriteBatch.forEach(encoded: bytes, file: "batch", offset: 0) { _, _ in operations += 1 }
        return operations
    }

    // MARK: MANIFEST

    /// Parses MANIFEST bytes and decodes every version edit; returns how many.
    package static func manifestEdits(_ bytes: [UInt8]) throws -> Int {
        let contents = try intactManifest(bytes)
        for record in contents.records {
            _ = try VersionEdit.decode(record.payload, file: "MANIFEST", offset: record.offset)
        }
        return contents.records.count
    }

    /// Parses MANIFEST bytes and replays every record onto the empty version
    /// exactly as opening a store does (numbering, digest chain, edit
    /// application); returns the final version.
    package static func manifestReplay(_ bytes: [UInt8]) throws -> Version {
        let contents = try intactManifest(bytes)
        var version = Version.empty
        for record in contents.records {
            version = try VersionSet.replay(record, after: version, file: "MANIFEST")
        }
        return version
    }

    /// The records of MANIFEST bytes, as a strict open reads them: damage throws.
    private static func intactManifest(_ bytes: [UInt8]) throws -> ManifestLog.Contents {
        let contents = ManifestLog.parse(bytes)
        if let damage = contents.damage {
            throw LSMError.corruption(file: "MANIFEST", offset: damage.offset, reason: damage.reason)
        }
        return contents
    }

    // MARK: Blocks and varints

    /// Reads varints from `bytes` with `ByteReader` until it is exhausted or a
    /// varint is malformed (throws); returns the values.
    package static func varints(_ bytes: [UInt8]) throws -> [UInt64] {
        var reader = ByteReader(bytes, file: "varints")
        var values: [UInt64] = []
        while !reader.isAtEnd { values.append(try reader.readVarint64()) }
        return values
    }

    /// Parses `bytes` as one data block, raw (`stored == false`) or as stored in
    /// a file with its codec trailer (`stored == true`, checksum and LZ4), and
    /// reads every entry forward and backward.
    package static func blockEntries(_ bytes: [UInt8], stored: Bool) throws -> (forward: [Entry], backward: [Entry]) {
        let block: BlockReader
        if stored {
            let raw = try bytes.withUnsafeBytes { try BlockCodec.decode($0, file: "block", offset: 0) }
            block = try BlockReader(owning: raw, file: "block", fileOffset: 0)
        } else {
            block = try BlockReader(copying: bytes, file: "block", fileOffset: 0)
        }
        let it = block.makeIterator()
        var forward: [Entry] = []
        try it.seekToFirst()
        while it.isValid {
            forward.append((Array(it.key), Array(it.value)))
            try it.next()
        }
        var backward: [Entry] = []
        try it.seekToLast()
        while it.isValid {
            backward.append((Array(it.key), Array(it.value)))
            try it.prev()
        }
        return (forward, backward)
    }

    /// The stored bytes plus trailer of every data block of a segment file.
    package static func storedDataBlocks(path: String) throws -> [[UInt8]] {
        let reader = try SegmentReader.open(path: path, fileSystem: PosixFileSystem())
        let file = try PosixFileSystem().openForReading(path)
        return try reader.blockHandles.map { try file.read(at: $0.offset, count: Int($0.size) + BlockCodec.trailerSize) }
    }

    // MARK: Ordering

    /// Three-way order of two encoded internal keys, as the engine sorts them.
    package static func compareInternalKeys(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compareEncodedInternalKeys(pa, pb) } }
    }

    /// The user key of an encoded internal key, or nil if it has no trailer.
    package static func userKey(_ internalKey: [UInt8]) -> [UInt8]? {
        internalKey.count >= 8 ? Array(internalKey.dropLast(8)) : nil
    }
}
