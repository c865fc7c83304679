import ScribeCrypto

public import LSMEngine

/// Committed WAL batches shipped as one object: what makes a `replicated`
/// write durable before its segment exists (docs/formats.md, "WAL object").
///
/// `"SWALOBJ1" ‖ fixed64 epoch ‖ fixed64 firstSequence ‖ fixed64 lastSequence ‖
/// fixed32 batchCount ‖ (fixed32 length ‖ batch)* ‖ SHA-256(everything before)`,
/// integers little-endian; each batch is a `CommittedBatch.encoded` (the WAL
/// record payload) and the batches cover `firstSequence...lastSequence` without gaps.
public struct WALObject: Sendable, Equatable {
    public static let magic = Array("SWALOBJ1".utf8)
    static let headerSize = 8 + 8 + 8 + 8 + 4
    /// Batch encodings shorter than this cannot hold a record (12-byte header + 1).
    static let smallestBatch = 13

    public var epoch: UInt64
    public var batches: [CommittedBatch]

    public init(epoch: UInt64, batches: [CommittedBatch]) {
        self.epoch = epoch
        self.batches = batches
    }

    public var firstSequence: UInt64 { batches.first?.firstSequence ?? 0 }
    public var lastSequence: UInt64 { batches.last?.lastSequence ?? 0 }

    /// The object's bytes. Precondition: at least one batch, contiguous sequences.
    public func encoded() -> [UInt8] {
        precondition(!batches.isEmpty, "a WAL object holds at least one batch")
        var out: [UInt8] = []
        out.reserveCapacity(WALObject.headerSize + batches.reduce(32) { $0 + 4 + $1.encoded.count })
        out.append(contentsOf: WALObject.magic)
        appendLittleEndian(epoch, to: &out)
        appendLittleEndian(firstSequence, to: &out)
        appendLittleEndian(lastSequence, to: &out)
        appendLittleEndian(UInt32(batches.count), to: &out)
        for batch in batches {
            appendLittleEndian(UInt32(batch.encoded.count), to: &out)
            out.append(contentsOf: batch.encoded)
        }
        out.append(contentsOf: SHA256.hash(out))
        return out
    }

    /// Decodes untrusted bytes, checking the magic, the checksum, every length,
    /// each batch's stamped sequence and count against the header, and that the
    /// batches are contiguous. The batches' records are checked when replayed.
    /// Throws `ObjectFormatError` naming `origin` and the offset.
    public static func decode(_ bytes: [UInt8], origin: String) throws -> WALObject {
        func fail(_ offset: Int, _ reason: String) -> ObjectFormatError {
            ObjectFormatError(origin: origin, offset: offset, reason: reason)
        }
        guard bytes.count >= headerSize + SHA256.digestSize else { throw fail(0, "\(bytes.count) bytes is too short") }
        guard bytes.starts(with: magic) else { throw fail(0, "not a WAL object (bad magic)") }
        let bodyEnd = bytes.count - SHA256.digestSize
        guard SHA256.hash(bytes[..<bodyEnd]) == Array(bytes[bodyEnd...]) else {
            throw fail(bodyEnd, "checksum mismatch")
        }
        let epoch = readLittleEndian(bytes, at: 8, as: UInt64.self)
        let first = readLittleEndian(bytes, at: 16, as: UInt64.self)
        let last = readLittleEndian(bytes, at: 24, as: UInt64.self)
        let count = Int(readLittleEndian(bytes, at: 32, as: UInt32.self))
        guard first >= 1, first <= last, count >= 1, count <= bodyEnd / smallestBatch else {
            throw fail(16, "bad header: sequences \(first)...\(last), \(count) batches")
        }
        var batches: [CommittedBatch] = []
        batches.reserveCapacity(count)
        var position = headerSize
        var expected = first
        for index in 0..<count {
            guard bodyEnd - position >= 4 else { throw fail(position, "batch \(index) length runs past the end") }
            let length = Int(readLittleEndian(bytes, at: position, as: UInt32.self))
            position += 4
            guard length >= smallestBatch, length <= bodyEnd - position else {
                throw fail(position, "batch \(index) of \(length) bytes does not fit")
            }
            let sequence = readLittleEndian(bytes, at: position, as: UInt64.self)
            let records = UInt64(readLittleEndian(bytes, at: position + 8, as: UInt32.self))
            guard sequence == expected, records >= 1, records <= UInt64(length), sequence <= last,
                records - 1 <= last - sequence
            else {
                throw fail(position, "batch \(index) covers \(sequence)+\(records), expected to start at \(expected)")
            }
            let end = sequence + records - 1
            batches.append(CommittedBatch(
                firstSequence: sequence, lastSequence: end, encoded: Array(bytes[position..<(position + length)])))
            expected = end &+ 1
            position += length
        }
        guard position == bodyEnd else { throw fail(position, "\(bodyEnd - position) bytes after the last batch") }
        guard expected &- 1 == last else { throw fail(24, "batches end at \(expected &- 1), header says \(last)") }
        return WALObject(epoch: epoch, batches: batches)
    }
}

/// An object whose bytes are not in the format its key promises.
public struct ObjectFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let origin: String
    public let offset: Int
    public let reason: String

    public init(origin: String, offset: Int, reason: String) {
        self.origin = origin
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(origin) at byte \(offset): \(reason)" }
}

func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
}

/// Reads a little-endian integer at `offset`; the caller has checked the bounds.
func readLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, as: T.Type) -> T {
    var value: T = 0
    for i in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + i]) << (8 * i) }
    return value
}
