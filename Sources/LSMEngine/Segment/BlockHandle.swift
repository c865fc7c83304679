/// Where a stored block lives in a segment file: its offset and the size of its
/// stored bytes, not counting the 5-byte trailer that follows them.
///
/// Two encodings: the footer uses a fixed 12 bytes (`fixed64le offset ‖ fixed32le size`)
/// so the footer has a fixed size; index entries use `varint(offset) ‖ varint(size)`.
struct BlockHandle: Equatable, Sendable {
    /// File offset of the block's first stored byte.
    var offset: UInt64
    /// Stored size in bytes (compressed or raw), trailer excluded.
    var size: UInt64

    /// Size of the fixed encoding used in the footer.
    static let fixedEncodedSize = 12

    /// The offset just past the block's trailer. Callers bound `offset` and `size`
    /// first (see `SegmentReader`), so this cannot overflow for accepted handles.
    var end: UInt64 { offset + size + UInt64(BlockCodec.trailerSize) }

    /// True when the block, with its trailer, lies entirely before `limit`.
    /// Written so that no arithmetic can overflow for hostile handles.
    func fits(before limit: UInt64) -> Bool {
        let trailer = UInt64(BlockCodec.trailerSize)
        return offset <= limit && limit - offset >= trailer && size <= limit - offset - trailer
    }

    /// Appends `fixed64le(offset) ‖ fixed32le(size)`; `size` must fit in 32 bits.
    func appendFixed(to out: inout [UInt8]) {
        precondition(size <= UInt64(UInt32.max), "block too large for a footer handle")
        out.appendFixed64(offset)
        out.appendFixed32(UInt32(size))
    }

    /// Appends `varint(offset) ‖ varint(size)`.
    func appendVarint(to out: inout [UInt8]) {
        out.appendVarint(offset)
        out.appendVarint(size)
    }

    /// Decodes the fixed encoding at `position` of `bytes` (which must hold 12 bytes there).
    static func decodeFixed(_ bytes: UnsafeRawBufferPointer, at position: Int) -> BlockHandle {
        BlockHandle(offset: readFixed64(bytes, at: position), size: UInt64(readFixed32(bytes, at: position + 8)))
    }

    /// Decodes `varint(offset) ‖ varint(size)` filling all of `bytes`; nil on a bad
    /// varint or trailing bytes.
    static func decodeVarint(_ bytes: UnsafeRawBufferPointer) -> BlockHandle? {
        var position = 0
        guard let offset = decodeVarint64(bytes, at: &position),
              let size = decodeVarint64(bytes, at: &position),
              position == bytes.count
        else { return nil }
        return BlockHandle(offset: offset, size: size)
    }
}

/// Decodes a LEB128 varint of at most 10 bytes at `position`, advancing it.
/// Nil when truncated or longer than 64 bits; never reads outside `bytes`.
func decodeVarint64(_ bytes: UnsafeRawBufferPointer, at position: inout Int) -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    var p = position
    while p < bytes.count {
        let b = bytes[p]
        p += 1
        if shift == 63 && b > 1 { return nil }
        result |= UInt64(b & 0x7F) << shift
        if b & 0x80 == 0 {
            position = p
            return result
        }
        shift += 7
        if shift > 63 { return nil }
    }
    return nil
}
