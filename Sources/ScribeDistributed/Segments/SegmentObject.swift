import LSMEngine
import ScribeObjects

/// Checked range reads of a segment's object (`ObjectKeys.segment`).
enum SegmentObject {
    /// Bytes `range` of `segment`'s object. A range ending at the file's end asks
    /// for one byte more, so an object longer than the manifest's `fileSize`
    /// shows too. Throws `LSMError.corruption` when the object returns any other
    /// number of bytes than `range` holds (the object does not have the size the
    /// manifest records), and `LSMError.unavailable` for every failure of the
    /// object store itself (unreachable, error replies, a missing object).
    static func bytes(
        of segment: SegmentMetadata, _ range: Range<UInt64>, from store: any ObjectStore
    ) async throws -> [UInt8] {
        let key = ObjectKeys.segment(segment.id)
        let asked = range.upperBound == segment.fileSize ? range.lowerBound..<(range.upperBound + 1) : range
        let bytes: [UInt8]
        do {
            bytes = try await store.get(key, range: asked)
        } catch {
            throw LSMError.unavailable("\(store.location)/\(key): \(error)")
        }
        guard UInt64(bytes.count) == UInt64(range.count) else {
            throw LSMError.corruption(
                file: "\(store.location)/\(key)", offset: range.lowerBound,
                reason: "object returned \(bytes.count) bytes for \(range.count) at offset \(range.lowerBound)"
                    + "; the manifest records \(segment.fileSize) bytes")
        }
        return bytes
    }
}
