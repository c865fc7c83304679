#if canImport(Glibc)
import Glibc
#endif
import ScribeBytes

/// How a segment is built.
package struct SegmentWriterOptions: Sendable {
    /// Target raw size of a data block; a block closes once it reaches this.
    package var blockSize: Int
    /// Entries between restart points in data blocks.
    package var restartInterval: Int
    /// Block compression (LZ4 is used per block only when it saves ≥ 12.5%).
    package var compression: SegmentCompression
    /// Bloom filter bits per distinct user key; 0 writes an empty filter block.
    package var bloomBitsPerKey: Int
    /// The LSM level recorded in the properties and the id.
    package var level: Int
    /// Creation time in unix milliseconds, recorded in the properties.
    package var creationTime: UInt64

    package init(
        blockSize: Int = 4096, restartInterval: Int = 16, compression: SegmentCompression = .lz4,
        bloomBitsPerKey: Int = 10, level: Int = 0, creationTime: UInt64
    ) {
        self.blockSize = blockSize
        self.restartInterval = restartInterval
        self.compression = compression
        self.bloomBitsPerKey = bloomBitsPerKey
        self.level = level
        self.creationTime = creationTime
    }
}

/// Writes one segment file (format version 1) from entries in strictly
/// increasing internal-key order.
///
/// Data blocks stream to `<directory>/<unique>.sst.tmp` as they fill (writes
/// are buffered in 256 KiB chunks); `finish` appends the filter, block-roots,
/// properties and index blocks and the footer, fsyncs, renames the file to
/// `<directory>/<id>.sst` and fsyncs the directory, all through the given
/// `FileSystem`. Memory: one block, the index, 4 bytes per distinct key for the
/// filter and 32 bytes per block root. Not thread-safe.
package final class SegmentWriter {
    let directory: String
    let options: SegmentWriterOptions
    /// The temporary file path while writing.
    let temporaryPath: String

    private let fileSystem: any FileSystem
    private var file: (any WritableFile)?
    private var written: UInt64 = 0
    private var pending: [UInt8] = []
    private var dataBlock: BlockBuilder
    private var indexBlock = BlockBuilder(restartInterval: 1)
    private var filter: BloomFilterBuilder
    private var merkle = SegmentMerkleBuilder()
    private var lastKey: [UInt8] = []
    private var smallestKey: [UInt8] = []
    private var smallestSequence = SequenceNumber.max
    private var largestSequence: SequenceNumber = 0
    private var dataSize: UInt64 = 0
    private var blockCount = 0
    private var finished = false

    /// Entries added so far.
    private(set) var entryCount = 0

    /// Largest key plus value accepted in one entry, so a raw block stays under 1 GiB.
    static let maxEntrySize = 512 << 20
    private static let flushThreshold = 256 << 10

    /// Creates the temporary file. Throws `.invalidArgument` for options out of
    /// range (block size 1...256 MiB, restart interval ≥ 1, bits per key 0...100,
    /// level 0...255) and `.io` when the file cannot be created.
    package init(directory: String, options: SegmentWriterOptions, fileSystem: any FileSystem) throws {
        guard (1...(256 << 20)).contains(options.blockSize) else {
            throw LSMError.invalidArgument("segment block size \(options.blockSize) outside 1...256 MiB")
        }
        guard options.restartInterval >= 1 else {
            throw LSMError.invalidArgument("restart interval \(options.restartInterval) must be at least 1")
        }
        guard (0...100).contains(options.bloomBitsPerKey) else {
            throw LSMError.invalidArgument("bloom bits per key \(options.bloomBitsPerKey) outside 0...100")
        }
        guard (0...SegmentProperties.maxLevel).contains(options.level) else {
            throw LSMError.invalidArgument("level \(options.level) outside 0...\(SegmentProperties.maxLevel)")
        }
        self.directory = directory
        self.options = options
        self.fileSystem = fileSystem
        temporaryPath = "\(directory)/segment-\(getpid())-\(Hex.encode(withUnsafeBytes(of: UInt64.random(in: .min ... .max)) { Array($0) })).sst.tmp"
        dataBlock = BlockBuilder(restartInterval: options.restartInterval)
        filter = BloomFilterBuilder(bitsPerKey: options.bloomBitsPerKey)
        file = try fileSystem.create(temporaryPath)
    }

    deinit {
        if !finished { try? fileSystem.remove(temporaryPath) }
    }

    /// Bytes written so far plus the open block: what the file would take if finished now, roughly.
    var estimatedFileSize: UInt64 {
        written + UInt64(pending.count) + UInt64(dataBlock.estimatedSize)
    }

    /// Adds one entry. `internalKey` is `userKey ‖ fixed64le(sequence << 8 | kind)`
    /// and must be greater than every key added before; otherwise, or for a key
    /// shorter than 8 bytes, an unknown kind or an entry over 512 MiB, throws
    /// `.invalidArgument` and the writer is unchanged.
    func add(key internalKey: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        precondition(!finished, "add() after finish() or abandon()")
        guard let (userKey, trailer) = splitInternalKey(internalKey) else {
            throw LSMError.invalidArgument("internal key of \(internalKey.count) bytes is shorter than 8")
        }
        guard ValueKind(rawValue: UInt8(truncatingIfNeeded: trailer)) != nil else {
            throw LSMError.invalidArgument("unknown value kind \(UInt8(truncatingIfNeeded: trailer))")
        }
        guard internalKey.count + value.count <= SegmentWriter.maxEntrySize else {
            throw LSMError.invalidArgument("entry of \(internalKey.count + value.count) bytes exceeds 512 MiB")
        }
        if entryCount > 0 {
            let order = lastKey.withUnsafeBytes { compareEncodedInternalKeys($0, internalKey) }
            guard order < 0 else { throw LSMError.invalidArgument("segment keys must be strictly increasing") }
        } else {
            smallestKey = Array(internalKey)
        }
        lastKey.removeAll(keepingCapacity: true)
        lastKey.append(contentsOf: internalKey)
        let sequence = trailer >> 8
        smallestSequence = min(smallestSequence, sequence)
        largestSequence = max(largestSequence, sequence)
        entryCount += 1

        merkle.add(userKey: userKey, trailer: trailer, value: value)
        filter.add(userKey: userKey)
        dataBlock.add(key: internalKey, value: value)
        if dataBlock.estimatedSize >= options.blockSize { try flushDataBlock() }
    }

    /// Adds one entry from arrays.
    package func add(key internalKey: [UInt8], value: [UInt8]) throws {
        try internalKey.withUnsafeBytes { k in try value.withUnsafeBytes { v in try add(key: k, value: v) } }
    }

    /// Writes the remaining blocks and the footer, makes the file durable and
    /// renames it to `<directory>/<id>.sst`. Throws `.invalidArgument` when no
    /// entry was added; on any failure the temporary file is removed.
    package func finish() throws -> SegmentMetadata {
        precondition(!finished, "finish() called twice or after abandon()")
        guard entryCount > 0 else { throw LSMError.invalidArgument("a segment needs at least one entry") }
        do {
            return try writeTail()
        } catch {
            abandon()
            throw error
        }
    }

    /// Stops writing and removes the temporary file.
    package func abandon() {
        finished = true
        file = nil
        try? fileSystem.remove(temporaryPath)
    }

    private func writeTail() throws -> SegmentMetadata {
        if !dataBlock.isEmpty { try flushDataBlock() }
        let root = merkle.finish()
        let filterHandle = writeBlock(filter.finish(), compression: .none)
        var roots: [UInt8] = []
        roots.reserveCapacity(merkle.blocks.count * BlockCommitment.encodedSize)
        for block in merkle.blocks { block.append(to: &roots) }
        let rootsHandle = writeBlock(roots, compression: .none)
        guard let smallest = InternalKey(encoded: smallestKey), let largest = InternalKey(encoded: lastKey) else {
            throw LSMError.invalidArgument("segment keys are not internal keys")
        }
        let id = SegmentID(level: options.level, smallestSequence: smallestSequence, largestSequence: largestSequence, root: root)
        let properties = SegmentProperties(
            formatVersion: segmentFormatVersion, id: id, level: options.level, entryCount: UInt64(entryCount),
            dataSize: dataSize, smallestKey: smallest, largestKey: largest, smallestSequence: smallestSequence,
            largestSequence: largestSequence, creationTime: options.creationTime, compression: options.compression,
            blockCount: UInt64(blockCount), root: root)
        let propertiesHandle = writeBlock(properties.encode(), compression: .none)
        let indexHandle = writeBlock(indexBlock.finish(), compression: options.compression)
        let footer = SegmentFooter(index: indexHandle, filter: filterHandle, blockRoots: rootsHandle, properties: propertiesHandle)
        pending.append(contentsOf: footer.encode())
        try flushPending()
        guard let handle = file else { throw LSMError.closed(reason: "segment writer was abandoned") }
        try handle.sync()
        file = nil
        let path = "\(directory)/\(id.fileName)"
        try fileSystem.rename(temporaryPath, to: path)
        finished = true
        try fileSystem.syncDirectory(directory)
        return properties.metadata(fileSize: written)
    }

    private func flushDataBlock() throws {
        let raw = dataBlock.finish()
        dataSize += UInt64(raw.count)
        let handle = writeBlock(raw, compression: options.compression)
        merkle.endBlock()
        var value: [UInt8] = []
        handle.appendVarint(to: &value)
        indexBlock.add(key: lastKey, value: value)
        blockCount += 1
        if pending.count >= SegmentWriter.flushThreshold { try flushPending() }
    }

    /// Appends a stored block to the write buffer and returns its handle.
    private func writeBlock(_ raw: [UInt8], compression: SegmentCompression) -> BlockHandle {
        let offset = written + UInt64(pending.count)
        let before = pending.count
        let size = BlockCodec.encode(raw, compression: compression, into: &pending)
        precondition(pending.count - before == size + BlockCodec.trailerSize)
        return BlockHandle(offset: offset, size: UInt64(size))
    }

    private func flushPending() throws {
        guard let handle = file else { throw LSMError.closed(reason: "segment writer was abandoned") }
        try handle.write(pending)
        written += UInt64(pending.count)
        pending.removeAll(keepingCapacity: pending.count <= 4 * SegmentWriter.flushThreshold)
    }
}
