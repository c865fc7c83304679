/// Constants of the write-ahead log's physical framing (LevelDB's log format;
/// byte layout in docs/formats.md).
///
/// The log is a sequence of 32 KiB blocks. Each block holds whole physical
/// records `masked CRC32C (fixed32le) ‖ length (fixed16le) ‖ type (1) ‖ payload`;
/// a record never crosses a block boundary, and a block tail shorter than a
/// header is zero padding. A logical record too large for the rest of a block
/// is split into FIRST, MIDDLE…, LAST fragments.
enum WALFormat {
    /// Bytes per block. Every block start holds a record header (or the file ends),
    /// which is what lets a reader resynchronise after damage.
    static let blockSize = 32 * 1024
    /// `crc (4) ‖ length (2) ‖ type (1)`.
    static let headerSize = 7
    /// The largest payload one physical record can carry (a whole block minus its header).
    static let maxFragmentSize = blockSize - headerSize

    /// The checksum stored in a header: CRC32C over the type byte followed by the
    /// payload, then masked. Costs one hardware CRC pass over the payload.
    @inline(__always)
    static func recordChecksum(type: WALRecordType, payload: UnsafeRawBufferPointer) -> UInt32 {
        let typeCRC = withUnsafeBytes(of: type.rawValue) { CRC32C.checksum($0) }
        return CRC32C.mask(CRC32C.checksum(payload, extending: typeCRC))
    }
}

/// The type byte of a physical record: how its payload relates to the logical
/// record. Type 0 is reserved and never written, so a zero-filled region (a torn
/// or preallocated tail) never parses as a record; 0 and 5...255 are rejected.
enum WALRecordType: UInt8 {
    /// The whole logical record.
    case full = 1
    /// The first fragment of a logical record split across blocks.
    case first = 2
    /// An inner fragment.
    case middle = 3
    /// The final fragment.
    case last = 4
}
