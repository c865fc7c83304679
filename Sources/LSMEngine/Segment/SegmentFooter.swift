/// The last 64 bytes of a segment file: where the metadata blocks are, the
/// format version, a checksum of itself and a magic number.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0  | 12 | index handle (`fixed64le offset ‖ fixed32le size`) |
/// | 12 | 12 | filter handle |
/// | 24 | 12 | block-roots handle |
/// | 36 | 12 | properties handle |
/// | 48 | 4  | format version, `fixed32le` (= `segmentFormatVersion`) |
/// | 52 | 4  | `fixed32le` masked CRC32C of bytes 0..<52 |
/// | 56 | 8  | magic `fixed64le` 0x3147_4553_4252_4353 (ASCII "SCRBSEG1" in file order) |
package struct SegmentFooter: Equatable, Sendable {
    package static let size = 64
    static let magic: UInt64 = 0x3147_4553_4252_4353

    var index: BlockHandle
    var filter: BlockHandle
    var blockRoots: BlockHandle
    var properties: BlockHandle
    var formatVersion: UInt32 = segmentFormatVersion

    /// The 64 footer bytes.
    func encode() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(SegmentFooter.size)
        index.appendFixed(to: &out)
        filter.appendFixed(to: &out)
        blockRoots.appendFixed(to: &out)
        properties.appendFixed(to: &out)
        out.appendFixed32(formatVersion)
        out.appendFixed32(CRC32C.mask(CRC32C.checksum(out)))
        out.appendFixed64(SegmentFooter.magic)
        return out
    }

    /// Parses the footer bytes read at `offset` of `file`. Checks, in order:
    /// length, magic, checksum, format version; throws `.corruption` naming the failure.
    static func decode(_ bytes: [UInt8], file: String, offset: UInt64) throws -> SegmentFooter {
        func corruption(_ at: Int, _ reason: String) -> LSMError {
            .corruption(file: file, offset: offset + UInt64(at), reason: "footer: \(reason)")
        }
        guard bytes.count == size else { throw corruption(0, "expected \(size) bytes, found \(bytes.count)") }
        return try bytes.withUnsafeBytes { p in
            guard readFixed64(p, at: 56) == magic else { throw corruption(56, "bad magic number") }
            let stored = CRC32C.unmask(readFixed32(p, at: 52))
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: p[0..<52])) == stored else {
                throw corruption(52, "footer checksum mismatch")
            }
            let version = readFixed32(p, at: 48)
            guard version == segmentFormatVersion else { throw corruption(48, "unknown format version \(version)") }
            return SegmentFooter(
                index: BlockHandle.decodeFixed(p, at: 0),
                filter: BlockHandle.decodeFixed(p, at: 12),
                blockRoots: BlockHandle.decodeFixed(p, at: 24),
                properties: BlockHandle.decodeFixed(p, at: 36),
                formatVersion: version)
        }
    }
}
