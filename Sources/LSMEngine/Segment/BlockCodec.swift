import CLZ4

/// How a segment's blocks are compressed. The value is the kind byte stored in
/// each block trailer and in the properties block.
public enum SegmentCompression: UInt8, Sendable {
    /// Blocks are stored raw.
    case none = 0
    /// Blocks are LZ4-compressed when that shrinks them by at least 12.5%.
    case lz4 = 1
}

/// The stored form of a block: the bytes as written to the file, then a 5-byte
/// trailer `kind ‖ fixed32le(CRC32C.mask(crc32c(stored ‖ kind)))`.
///
/// Kind 0 stores the raw block; kind 1 stores `varint(rawLength) ‖ LZ4 block`,
/// used only when that is at most 7/8 of the raw size. Decoding checks the CRC
/// before anything else, bounds `rawLength` by what the stored bytes can
/// expand to (`≤ payload × 255 + 64`, `≤ 1 GiB`) and requires LZ4 to produce
/// exactly `rawLength` bytes, so hostile bytes never cause a large allocation.
package enum BlockCodec {
    /// Bytes after every stored block: kind (1) and masked CRC32C (4).
    package static let trailerSize = 5
    /// The largest raw block a reader accepts.
    static let maxRawLength = 1 << 30

    /// Appends the stored form of `raw` and its trailer to `out`; returns the
    /// stored size (trailer excluded) for the block handle. Costs one LZ4 pass
    /// when `compression` is `.lz4`, plus one CRC pass.
    static func encode(_ raw: UnsafeRawBufferPointer, compression: SegmentCompression, into out: inout [UInt8]) -> Int {
        let start = out.count
        var kind = SegmentCompression.none
        if compression == .lz4, raw.count > 0, raw.count <= Int(LZ4_MAX_INPUT_SIZE) {
            let bound = Int(LZ4_compressBound(Int32(raw.count)))
            out.appendVarint(raw.count)
            let headerEnd = out.count
            out.append(contentsOf: repeatElement(0, count: bound))
            let written = out.withUnsafeMutableBytes { dst in
                LZ4_compress_default(
                    raw.baseAddress!.assumingMemoryBound(to: CChar.self),
                    (dst.baseAddress! + headerEnd).assumingMemoryBound(to: CChar.self),
                    Int32(raw.count), Int32(bound))
            }
            let stored = headerEnd - start + Int(written)
            if written > 0 && stored * 8 <= raw.count * 7 {
                out.removeLast(bound - Int(written))
                kind = .lz4
            } else {
                out.removeLast(out.count - start)
            }
        }
        if kind == .none { out.append(contentsOf: raw) }
        let storedSize = out.count - start
        out.append(kind.rawValue)
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        out.appendFixed32(CRC32C.mask(crc))
        return storedSize
    }

    /// Appends the stored form of `raw` and its trailer to `out`; returns the stored size.
    static func encode(_ raw: [UInt8], compression: SegmentCompression, into out: inout [UInt8]) -> Int {
        raw.withUnsafeBytes { encode($0, compression: compression, into: &out) }
    }

    /// Verifies and decodes `block` (stored bytes followed by the trailer) read
    /// from `file` at `offset`. Returns a newly allocated buffer holding the raw
    /// block; the caller owns it and releases it with `releaseBlockBuffer`.
    /// Throws `.corruption` on a checksum mismatch, an unknown kind, an
    /// implausible raw length or an LZ4 stream that does not decode exactly.
    static func decode(_ block: UnsafeRawBufferPointer, file: String, offset: UInt64) throws -> UnsafeMutableRawBufferPointer {
        func corruption(_ reason: String) -> LSMError {
            .corruption(file: file, offset: offset, reason: reason)
        }
        guard block.count >= trailerSize else { throw corruption("block shorter than its trailer") }
        let storedCount = block.count - trailerSize
        let kind = block[storedCount]
        let expected = CRC32C.unmask(readFixed32(block, at: storedCount + 1))
        let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: block[0...storedCount]))
        guard actual == expected else { throw corruption("block checksum mismatch") }
        switch kind {
        case SegmentCompression.none.rawValue:
            guard storedCount <= maxRawLength else { throw corruption("raw block of \(storedCount) bytes exceeds 1 GiB") }
            let buffer = allocateBlockBuffer(count: storedCount)
            if storedCount > 0 { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: block[0..<storedCount])) }
            return buffer
        case SegmentCompression.lz4.rawValue:
            let stored = UnsafeRawBufferPointer(rebasing: block[0..<storedCount])
            var position = 0
            guard let rawLength64 = decodeVarint64(stored, at: &position) else {
                throw corruption("bad varint for the LZ4 raw length")
            }
            let payload = storedCount - position
            guard payload <= Int(Int32.max) else { throw corruption("LZ4 block of \(payload) bytes is too large") }
            guard rawLength64 <= UInt64(maxRawLength), rawLength64 <= UInt64(payload) * 255 + 64 else {
                throw corruption("implausible LZ4 raw length \(rawLength64) for \(payload) compressed bytes")
            }
            let rawLength = Int(rawLength64)
            let buffer = allocateBlockBuffer(count: rawLength)
            let produced = LZ4_decompress_safe(
                (stored.baseAddress! + position).assumingMemoryBound(to: CChar.self),
                buffer.baseAddress!.assumingMemoryBound(to: CChar.self),
                Int32(payload), Int32(rawLength))
            guard produced == Int32(rawLength) else {
                releaseBlockBuffer(buffer)
                throw corruption("LZ4 block does not decode to its \(rawLength) bytes")
            }
            return buffer
        default:
            throw corruption("unknown compression kind \(kind)")
        }
    }

    /// Decodes `block` into an array (for small metadata blocks read once at open).
    static func decodeToArray(_ block: UnsafeRawBufferPointer, file: String, offset: UInt64) throws -> [UInt8] {
        let buffer = try decode(block, file: file, offset: offset)
        defer { releaseBlockBuffer(buffer) }
        return Array(UnsafeRawBufferPointer(buffer))
    }
}

/// Allocates a raw block buffer of `count` bytes (a non-nil base even for 0).
func allocateBlockBuffer(count: Int) -> UnsafeMutableRawBufferPointer {
    let base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 8)
    return UnsafeMutableRawBufferPointer(start: base, count: count)
}

/// Frees a buffer from `allocateBlockBuffer` or `BlockCodec.decode`.
func releaseBlockBuffer(_ buffer: UnsafeMutableRawBufferPointer) {
    buffer.baseAddress?.deallocate()
}
