/// Appends framed records to a write-ahead log; not thread-safe (the engine's
/// group-commit leader owns it).
///
/// Each `append` frames its payload into one or more physical records (see
/// `WALFormat`) in a reusable buffer and issues exactly one `write`, so a crash
/// can tear at most the last append. Cost per append: one CRC pass and one copy
/// of the payload, plus 7 bytes per 32 KiB block; no allocation once the buffer
/// has grown to the usual record size.
///
/// After a failed `sync`, or a failed `write` other than running out of space,
/// the file may hold a partial record or have lost pages, so the writer refuses
/// every later call with the same error (`isFailed`); the engine must stop using
/// this log. A `write` that fails for lack of space (ENOSPC, EDQUOT) is undone —
/// the file cut back to where the append began — and the log stays usable.
final class WALWriter {
    private let file: any WritableFile
    /// Bytes written so far (the file length).
    private(set) var offset: UInt64
    /// Position inside the current block, `offset % blockSize`.
    private var blockOffset: Int
    /// Framed bytes of the append in progress; reused across appends.
    private var buffer: [UInt8] = []
    private var failure: LSMError?

    /// Above this capacity the framing buffer is released after an append, so
    /// one huge record does not pin its size in memory for the log's lifetime.
    private static let retainedBufferCapacity = 1 << 20

    /// Continues the log in `file` (opened for appending) whose current length is `offset`.
    init(file: any WritableFile, startingAt offset: UInt64) {
        self.file = file
        self.offset = offset
        self.blockOffset = Int(offset % UInt64(WALFormat.blockSize))
    }

    /// Frames `payload` into one or more physical records and writes all of
    /// them, with any block padding, in one `write` call.
    func append(_ payload: UnsafeRawBufferPointer) throws {
        if let failure { throw failure }
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(
            payload.count + (payload.count / WALFormat.maxFragmentSize + 2) * WALFormat.headerSize)
        var position = blockOffset
        var cursor = 0
        var isFirst = true
        repeat {
            let leftover = WALFormat.blockSize - position
            if leftover < WALFormat.headerSize {
                buffer.append(contentsOf: repeatElement(0, count: leftover))
                position = 0
            }
            let room = WALFormat.blockSize - position - WALFormat.headerSize
            let length = min(payload.count - cursor, room)
            let isLast = cursor + length == payload.count
            let type: WALRecordType =
                isFirst ? (isLast ? .full : .first) : (isLast ? .last : .middle)
            appendRecord(type, UnsafeRawBufferPointer(rebasing: payload[cursor..<(cursor + length)]))
            cursor += length
            position += WALFormat.headerSize + length
            isFirst = false
        } while cursor < payload.count
        do {
            try buffer.withUnsafeBytes { try file.write($0) }
        } catch let error as LSMError {
            // Out of space, with the partial bytes cut off again, the log is as it
            // was before this append and takes the next one; anything else is sticky.
            if error.isOutOfSpace, (try? file.rewind(to: offset)) != nil { throw error }
            failure = error
            throw error
        }
        offset += UInt64(buffer.count)
        blockOffset = position
        if buffer.capacity > WALWriter.retainedBufferCapacity { buffer = [] }
    }

    /// `append(_:)` for an array, without copying it.
    func append(_ payload: [UInt8]) throws {
        try payload.withUnsafeBytes { try append($0) }
    }

    /// True once a failure made the writer refuse every call.
    var isFailed: Bool { failure != nil }

    /// Makes every appended byte durable (`fdatasync`).
    func sync() throws {
        if let failure { throw failure }
        do {
            try file.syncData()
        } catch let error as LSMError {
            failure = error
            throw error
        }
    }

    private func appendRecord(_ type: WALRecordType, _ fragment: UnsafeRawBufferPointer) {
        buffer.appendFixed32(WALFormat.recordChecksum(type: type, payload: fragment))
        buffer.append(UInt8(truncatingIfNeeded: fragment.count))
        buffer.append(UInt8(truncatingIfNeeded: fragment.count >> 8))
        buffer.append(type.rawValue)
        buffer.append(contentsOf: fragment)
    }
}
