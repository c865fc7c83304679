/// Reads the logical records of a write-ahead log written by `WALWriter`,
/// treating every byte as hostile.
///
/// The file is streamed one 32 KiB block at a time with `pread`, so memory is
/// one block plus the record being assembled, whatever the log's size.
///
/// Damage (a bad or incomplete physical record at offset p) is classified:
/// - **torn tail** — p's record is *incomplete* (the end of the file cuts its
///   header or payload short) or everything from p on is zero bytes, and no valid
///   physical record follows p, neither later in p's block (any offset) nor at a
///   later block boundary. The crash cut the final write; everything from the
///   start of the broken logical record is ignored, `tornTail` becomes true,
///   `next()` returns nil and `validEnd` stays at the end of the last complete
///   record. Never an error.
/// - **corruption** — a valid record follows p, or p's record is complete (it
///   lies within the file) but fails its checks: torn is not corrupt, so a
///   damaged complete final record is corruption too. `.strict` throws
///   `LSMError.corruption` at p; `.skipCorruption` records the error in
///   `skipped`, drops any partial logical record and resumes at the next valid
///   record (or ends, when none follows).
///
/// Physically valid records in an impossible order (MIDDLE or LAST without a
/// FIRST, FIRST or FULL inside an unfinished record) cannot come from a torn
/// write and are always mid-log corruption.
struct WALReader {
    private let file: any ReadableFile
    private let path: String
    private let fileSize: UInt64
    private let mode: RecoveryMode
    /// The bytes of the current block that lie in the file (fewer than a block only at the end).
    private var block: [UInt8] = []
    private var blockStart: UInt64 = 0
    /// Read position inside `block`.
    private var position = 0
    /// After skipping damage: MIDDLE and LAST fragments of the record cut in
    /// two are dropped silently until the next record starts.
    private var resyncing = false
    private var finished = false
    private var failure: LSMError?

    /// Offset just past the last complete logical record returned.
    private(set) var validEnd: UInt64 = 0
    /// True when bytes after `validEnd` were an incomplete final write and were ignored.
    private(set) var tornTail = false
    /// How many bytes that torn final write left (0 without one).
    var tornBytes: UInt64 { tornTail ? fileSize - validEnd : 0 }
    /// Corruption skipped in `.skipCorruption` mode, in file order.
    private(set) var skipped: [LSMError] = []

    /// Opens the log at `path` through `fileSystem`; its size is taken now and bytes
    /// appended later are not read.
    init(path: String, mode: RecoveryMode, fileSystem: any FileSystem) throws {
        self.file = try fileSystem.openForReading(path)
        self.path = path
        self.fileSize = try file.size()
        self.mode = mode
        try load(blockAt: 0)
    }

    /// The next complete logical record and the file offset of its first
    /// physical record; nil at the end of the log (clean end or a torn tail).
    /// Costs one copy of the payload; throws only in `.strict` mode on mid-log
    /// corruption (and then on every later call) or on an I/O error.
    mutating func next() throws -> (payload: [UInt8], offset: UInt64)? {
        if let failure { throw failure }
        if finished { return nil }
        var assembled: [UInt8] = []
        var recordStart: UInt64?
        while true {
            switch try readPhysical() {
            case .end:
                finished = true
                if recordStart != nil { tornTail = true }
                return nil
            case let .damaged(offset, reason, incomplete):
                if let resume = validRecordLaterInBlock(after: offset) {
                    try report(offset: offset, reason: "\(reason); a valid record follows at offset \(blockStart + UInt64(resume))")
                    recordStart = nil
                    assembled = []
                    position = resume
                    resyncing = true
                    continue
                }
                guard let resume = try firstValidBlockStart(after: offset) else {
                    finished = true
                    let torn = try incomplete || restIsZero(from: offset)
                    if torn {
                        tornTail = true
                    } else {
                        try report(
                            offset: offset,
                            reason: "\(reason) in a complete record at the end of the log: damage, not a torn tail")
                    }
                    return nil
                }
                try report(offset: offset, reason: "\(reason); valid records resume at offset \(resume)")
                recordStart = nil
                assembled = []
                try load(blockAt: resume)
                resyncing = true
            case let .record(type, payload, offset):
                switch type {
                case .full, .first:
                    resyncing = false
                    if let recordStart {
                        try report(
                            offset: offset,
                            reason: "\(type) record inside the unfinished record at offset \(recordStart)")
                    }
                    if type == .full {
                        validEnd = blockStart + UInt64(position)
                        return (Array(block[payload]), offset)
                    }
                    recordStart = offset
                    assembled = Array(block[payload])
                case .middle, .last:
                    guard let start = recordStart else {
                        if resyncing {
                            resyncing = type == .middle
                        } else {
                            try report(offset: offset, reason: "\(type) record without a preceding FIRST")
                        }
                        continue
                    }
                    assembled.append(contentsOf: block[payload])
                    if type == .last {
                        validEnd = blockStart + UInt64(position)
                        return (assembled, start)
                    }
                }
            }
        }
    }

    /// Throws `error` in `.strict` mode (and remembers it), records it in `.skipCorruption`.
    private mutating func report(offset: UInt64, reason: String) throws {
        let error = LSMError.corruption(file: path, offset: offset, reason: reason)
        switch mode {
        case .strict:
            failure = error
            throw error
        case .skipCorruption:
            skipped.append(error)
        }
    }

    private enum Physical {
        /// A record whose header and checksum are valid; `payload` indexes `block`.
        case record(WALRecordType, payload: Range<Int>, offset: UInt64)
        /// The file ends at a record boundary or inside a block's zero padding.
        case end
        /// The record at `offset` is bad; `incomplete` when the end of the file cut
        /// its header or payload short (the only shape a torn final write has).
        case damaged(offset: UInt64, reason: String, incomplete: Bool)
    }

    /// Decodes the physical record at the read position and moves past it.
    private mutating func readPhysical() throws -> Physical {
        while WALFormat.blockSize - position < WALFormat.headerSize {
            try load(blockAt: blockStart + UInt64(WALFormat.blockSize))
        }
        let available = block.count - position
        if available == 0 { return .end }
        let offset = blockStart + UInt64(position)
        guard available >= WALFormat.headerSize else {
            return .damaged(offset: offset, reason: "record header cut short by the end of the file", incomplete: true)
        }
        let header = block.withUnsafeBytes { Header($0, at: position) }
        guard let type = WALRecordType(rawValue: header.typeByte) else {
            return .damaged(offset: offset, reason: "unknown record type \(header.typeByte)", incomplete: false)
        }
        let room = WALFormat.blockSize - position - WALFormat.headerSize
        guard header.length <= room else {
            return .damaged(offset: offset, reason: "record length \(header.length) runs past the block end", incomplete: false)
        }
        guard header.length <= available - WALFormat.headerSize else {
            return .damaged(
                offset: offset, reason: "record length \(header.length) runs past the end of the file", incomplete: true)
        }
        let payload = (position + WALFormat.headerSize)..<(position + WALFormat.headerSize + header.length)
        let actual = block.withUnsafeBytes {
            WALFormat.recordChecksum(type: type, payload: UnsafeRawBufferPointer(rebasing: $0[payload]))
        }
        guard actual == header.checksum else {
            return .damaged(offset: offset, reason: "record checksum mismatch", incomplete: false)
        }
        position = payload.upperBound
        return .record(type, payload: payload, offset: offset)
    }

    /// The position in the current block of the first physical record after
    /// `damage` with a valid header and checksum, or nil. Any offset is tried:
    /// one write never holds two physical records in the same block, so a valid
    /// record after the damage proves the damage is not the final write's.
    private func validRecordLaterInBlock(after damage: UInt64) -> Int? {
        var candidate = Int(damage - blockStart) + 1
        while candidate + WALFormat.headerSize <= block.count {
            let header = block.withUnsafeBytes { Header($0, at: candidate) }
            let payloadStart = candidate + WALFormat.headerSize
            if let type = WALRecordType(rawValue: header.typeByte),
               header.length <= WALFormat.blockSize - payloadStart,
               header.length <= block.count - payloadStart {
                let sum = block.withUnsafeBytes {
                    WALFormat.recordChecksum(
                        type: type, payload: UnsafeRawBufferPointer(rebasing: $0[payloadStart..<(payloadStart + header.length)]))
                }
                if sum == header.checksum { return candidate }
            }
            candidate += 1
        }
        return nil
    }

    /// The first block start after `damage` that holds a physical record with a
    /// valid header and checksum, or nil if there is none. Reads 7 bytes per
    /// candidate block and the payload only of plausible headers.
    private func firstValidBlockStart(after damage: UInt64) throws -> UInt64? {
        let blockSize = UInt64(WALFormat.blockSize)
        let headerSize = UInt64(WALFormat.headerSize)
        var start = (damage / blockSize + 1) * blockSize
        while start + headerSize <= fileSize {
            let headerBytes = try file.read(at: start, count: WALFormat.headerSize)
            if headerBytes.count == WALFormat.headerSize {
                let header = headerBytes.withUnsafeBytes { Header($0, at: 0) }
                if let type = WALRecordType(rawValue: header.typeByte),
                   header.length <= WALFormat.maxFragmentSize,
                   UInt64(header.length) <= fileSize - start - headerSize {
                    let payload = try file.read(at: start + headerSize, count: header.length)
                    if payload.count == header.length,
                       payload.withUnsafeBytes({ WALFormat.recordChecksum(type: type, payload: $0) }) == header.checksum {
                        return start
                    }
                }
            }
            start += blockSize
        }
        return nil
    }

    /// True when every byte from `offset` to the end of the file is zero: what a
    /// crash leaves when the file grew before its data reached the disk.
    private func restIsZero(from offset: UInt64) throws -> Bool {
        var position = offset
        while position < fileSize {
            let chunk = try file.read(at: position, count: Int(min(UInt64(WALFormat.blockSize), fileSize - position)))
            guard !chunk.isEmpty else { return true }
            if chunk.contains(where: { $0 != 0 }) { return false }
            position += UInt64(chunk.count)
        }
        return true
    }

    /// Makes the block at `start` current, reading the part of it inside the file.
    private mutating func load(blockAt start: UInt64) throws {
        blockStart = start
        position = 0
        if start < fileSize {
            block = try file.read(at: start, count: Int(min(UInt64(WALFormat.blockSize), fileSize - start)))
        } else {
            block = []
        }
    }

    /// The 7 header bytes, undecoded beyond their fields.
    private struct Header {
        let checksum: UInt32
        let length: Int
        let typeByte: UInt8

        /// Reads the header at `index`; the caller guarantees 7 bytes are there.
        init(_ bytes: UnsafeRawBufferPointer, at index: Int) {
            checksum = readFixed32(bytes, at: index)
            length = Int(bytes[index + 4]) | Int(bytes[index + 5]) << 8
            typeByte = bytes[index + 6]
        }
    }
}
