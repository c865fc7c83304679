/// One decoded (raw) block in memory, validated and immutable: the bytes live
/// in a manually allocated buffer that this object owns and frees in `deinit`,
/// so iterators can hand out pointers into it without copying.
///
/// `init` checks the restart array (count fits the block, first offset 0,
/// offsets strictly increasing and inside the entry area); entries are checked
/// lazily as iterators decode them. Every stored property is a `let` and the
/// buffer is never written after `init`, so one block may be shared between
/// threads (the `BlockCache` hands the same block to every reader); each
/// `BlockIterator` keeps its own cursor.
package final class BlockReader: @unchecked Sendable {
    /// The raw block bytes.
    package let bytes: UnsafeRawBufferPointer
    /// Offset of the restart array = end of the entry area.
    let restartsOffset: Int
    /// Number of restart points (at least 1).
    let restartCount: Int
    /// File and file offset of the stored block, for error messages.
    let file: String
    let fileOffset: UInt64

    /// Takes ownership of `buffer` (from `BlockCodec.decode` or `allocateBlockBuffer`),
    /// freeing it if validation fails. Costs O(restart count).
    init(owning buffer: UnsafeMutableRawBufferPointer, file: String, fileOffset: UInt64) throws {
        let raw = UnsafeRawBufferPointer(buffer)
        do {
            (restartsOffset, restartCount) = try BlockReader.validateRestarts(raw, file: file, fileOffset: fileOffset)
        } catch {
            releaseBlockBuffer(buffer)
            throw error
        }
        bytes = raw
        self.file = file
        self.fileOffset = fileOffset
    }

    /// Copies `raw` into a new owned buffer and validates it.
    package convenience init(copying raw: [UInt8], file: String, fileOffset: UInt64) throws {
        let buffer = allocateBlockBuffer(count: raw.count)
        raw.withUnsafeBytes { if $0.count > 0 { buffer.copyMemory(from: $0) } }
        try self.init(owning: buffer, file: file, fileOffset: fileOffset)
    }

    deinit {
        bytes.baseAddress?.deallocate()
    }

    private static func validateRestarts(
        _ raw: UnsafeRawBufferPointer, file: String, fileOffset: UInt64
    ) throws -> (Int, Int) {
        func corruption(_ reason: String) -> LSMError {
            .corruption(file: file, offset: fileOffset, reason: "block: \(reason)")
        }
        guard raw.count >= 8 else { throw corruption("\(raw.count) bytes is too short for a block") }
        let count = Int(readFixed32(raw, at: raw.count - 4))
        guard count >= 1, count <= (raw.count - 4) / 4 else {
            throw corruption("restart count \(count) does not fit a block of \(raw.count) bytes")
        }
        let restartsOffset = raw.count - 4 - 4 * count
        var previous = -1
        for i in 0..<count {
            let r = Int(readFixed32(raw, at: restartsOffset + 4 * i))
            guard r > previous, r < restartsOffset, i > 0 || r == 0 else {
                throw corruption("restart offset \(r) at index \(i) is out of order or out of range")
            }
            previous = r
        }
        return (restartsOffset, count)
    }

    /// The entry-area offset of restart point `index` (validated at init).
    @inline(__always)
    func restartOffset(_ index: Int) -> Int {
        Int(readFixed32(bytes, at: restartsOffset + 4 * index))
    }

    /// A corruption error for this block mentioning a byte position inside it.
    func corruption(at position: Int, _ reason: String) -> LSMError {
        .corruption(file: file, offset: fileOffset, reason: "block byte \(position): \(reason)")
    }

    /// Decodes the entry header at `position`: returns shared and non-shared key
    /// lengths, value length and the offset of the key delta, all bounded by the
    /// entry area. Throws `.corruption` on a bad varint or a length past the end.
    @inline(__always)
    func decodeEntryHeader(at position: Int) throws -> (shared: Int, nonShared: Int, valueLength: Int, deltaOffset: Int) {
        let limit = restartsOffset
        var p = position
        if p + 3 <= limit {
            let a = bytes[p], b = bytes[p + 1], c = bytes[p + 2]
            if (a | b | c) < 0x80 {
                p += 3
                let nonShared = Int(b), valueLength = Int(c)
                guard nonShared + valueLength <= limit - p else { throw corruption(at: position, "entry runs past the block") }
                return (Int(a), nonShared, valueLength, p)
            }
        }
        let area = UnsafeRawBufferPointer(rebasing: bytes[0..<limit])
        guard let shared = decodeVarint64(area, at: &p), let nonShared = decodeVarint64(area, at: &p),
              let valueLength = decodeVarint64(area, at: &p)
        else { throw corruption(at: position, "bad varint in an entry header") }
        let remaining = UInt64(limit - p)
        guard nonShared <= remaining, valueLength <= remaining - nonShared, shared <= UInt64(limit) else {
            throw corruption(at: position, "entry runs past the block")
        }
        return (Int(shared), Int(nonShared), Int(valueLength), p)
    }

    /// The key stored at restart point `index`, which must not share a prefix.
    /// The pointer is into this block's bytes.
    func restartKey(_ index: Int) throws -> UnsafeRawBufferPointer {
        let position = restartOffset(index)
        let header = try decodeEntryHeader(at: position)
        guard header.shared == 0 else { throw corruption(at: position, "restart entry shares a key prefix") }
        return UnsafeRawBufferPointer(rebasing: bytes[header.deltaOffset..<(header.deltaOffset + header.nonShared)])
    }

    /// A new iterator over this block's entries (unpositioned).
    package func makeIterator() -> BlockIterator {
        BlockIterator(block: self)
    }
}
