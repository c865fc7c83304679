import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine

/// A fresh directory under /tmp, removed after `body`.
/// Deterministic bytes that differ between records and between positions.
private func payload(size: Int, seed: Int) -> [UInt8] {
    (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 101 &+ ($0 >> 9)) }
}

/// Where each appended record starts (after any block padding) and ends.
private struct Placement {
    var starts: [UInt64] = []
    var ends: [UInt64] = []
}

/// Appends `payloads` to `path` (creating or continuing it) and returns where they landed.
private func appendLog(_ path: String, _ payloads: [[UInt8]]) throws -> Placement {
    let file = try posix.openForAppending(path)
    let writer = WALWriter(file: file, startingAt: try file.size())
    var placement = Placement()
    for record in payloads {
        placement.starts.append(recordStart(after: writer.offset))
        try writer.append(record)
        placement.ends.append(writer.offset)
    }
    try writer.sync()
    return placement
}

/// The offset where the writer places the next record when the file is `length` bytes long.
private func recordStart(after length: UInt64) -> UInt64 {
    let block = UInt64(WALFormat.blockSize)
    return block - length % block < UInt64(WALFormat.headerSize) ? (length / block + 1) * block : length
}

private struct ReadResult {
    var payloads: [[UInt8]] = []
    var offsets: [UInt64] = []
    var reader: WALReader
}

private func readLog(_ path: String, mode: RecoveryMode = .strict) throws -> ReadResult {
    var result = ReadResult(reader: try WALReader(path: path, mode: mode, fileSystem: posix))
    while let record = try result.reader.next() {
        result.payloads.append(record.payload)
        result.offsets.append(record.offset)
    }
    return result
}

private func overwrite(_ path: String, at offset: UInt64, with bytes: [UInt8]) throws {
    let handle = try Foundation.FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: offset)
    try handle.write(contentsOf: Data(bytes))
}

private func bytes(of path: String, at offset: UInt64, count: Int) throws -> [UInt8] {
    try posix.openForReading(path).read(at: offset, count: count)
}

/// One physical record framed by hand, for logs the writer would never produce.
private func physicalRecord(_ type: WALRecordType, _ payload: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.appendFixed32(payload.withUnsafeBytes { WALFormat.recordChecksum(type: type, payload: $0) })
    out.append(UInt8(payload.count & 0xFF))
    out.append(UInt8(payload.count >> 8))
    out.append(type.rawValue)
    out.append(contentsOf: payload)
    return out
}

private func expectCorruption(at offset: UInt64, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected corruption at offset \(offset)")
    } catch let LSMError.corruption(_, actual, _) {
        #expect(actual == offset)
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Suite struct WALTests {
    @Test func framesASmallRecordAsOneFullRecord() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            _ = try appendLog(path, [[0x61, 0x62]])
            let file = try bytes(of: path, at: 0, count: 100)
            let crc = CRC32C.mask(CRC32C.checksum([WALRecordType.full.rawValue, 0x61, 0x62]))
            var expected: [UInt8] = []
            expected.appendFixed32(crc)
            expected += [2, 0, 1, 0x61, 0x62]
            #expect(file == expected)
        }
    }

    @Test func roundTripsRecordsAtBlockBoundarySizes() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let file = try posix.openForAppending(path)
            let writer = WALWriter(file: file, startingAt: 0)
            var payloads: [[UInt8]] = []
            func add(_ size: Int) throws {
                payloads.append(payload(size: size, seed: payloads.count))
                try writer.append(payloads[payloads.count - 1])
            }
            func roomInBlock() -> Int {
                WALFormat.blockSize - Int(writer.offset % UInt64(WALFormat.blockSize)) - WALFormat.headerSize
            }
            try add(0)
            try add(1)
            try add(roomInBlock())          // fills the block exactly
            try add(0)
            try add(roomInBlock() - 6)      // leaves 6 bytes: padding
            try add(5)
            try add(roomInBlock() - 7)      // leaves exactly a header's room: a 0-byte FIRST
            try add(300)
            try add(roomInBlock() - 7)
            try add(0)                      // a FULL of 0 bytes filling the block
            try add(32 * 1024)
            try add(100 * 1024)
            try add(1024 * 1024)
            try add(0)
            #expect(try file.size() == writer.offset)
            let read = try readLog(path)
            #expect(read.payloads == payloads)
            #expect(read.reader.validEnd == writer.offset)
            #expect(!read.reader.tornTail)
        }
    }

    @Test func reportsTheOffsetOfEachRecordsFirstFragment() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let sizes = [10, 32_740, 3, 70_000, 0, 32_761, 1]
            let placement = try appendLog(path, sizes.enumerated().map { payload(size: $1, seed: $0) })
            let read = try readLog(path)
            #expect(read.offsets == placement.starts)
            #expect(read.reader.validEnd == placement.ends.last)
        }
    }

    @Test func roundTripsManyRecords() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            var rng = SeededGenerator(seed: 7)
            let payloads = (0..<3000).map { payload(size: Int(rng.next() % 2500), seed: $0) }
            _ = try appendLog(path, payloads)
            let read = try readLog(path)
            #expect(read.payloads == payloads)
            #expect(!read.reader.tornTail)
        }
    }

    @Test func continuesAnExistingLogAfterReopening() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            // The first session ends 3 bytes before a block boundary, inside the padding zone.
            let first = [payload(size: 100, seed: 1), payload(size: WALFormat.blockSize - 107 - 7 - 3, seed: 2)]
            let firstPlacement = try appendLog(path, first)
            #expect(firstPlacement.ends.last == UInt64(WALFormat.blockSize - 3))
            let second = [payload(size: 50, seed: 3), payload(size: 80_000, seed: 4)]
            let secondPlacement = try appendLog(path, second)
            #expect(secondPlacement.starts.first == UInt64(WALFormat.blockSize))
            let third = [payload(size: 0, seed: 5), payload(size: 9, seed: 6)]
            _ = try appendLog(path, third)
            let read = try readLog(path)
            #expect(read.payloads == first + second + third)
            #expect(read.offsets.prefix(3) == [0, 107, UInt64(WALFormat.blockSize)])
        }
    }

    @Test func returnsExactlyTheCompleteRecordsAtEveryTruncation() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let sizes = (0..<40).map { i in
                switch i {
                case 9: 40_000
                case 23: 20_000
                case 31: WALFormat.blockSize
                default: (i &* 7919) % 1800
                }
            }
            let payloads = sizes.enumerated().map { payload(size: $1, seed: $0) }
            let placement = try appendLog(path, payloads)
            let checksums = payloads.map { CRC32C.checksum($0) }
            let total = try #require(placement.ends.last)
            let block = UInt64(WALFormat.blockSize)
            let handle = try posix.openForAppending(path)
            for cut in stride(from: total, through: 0, by: -1) {
                try handle.truncate(to: cut)
                let complete = placement.ends.firstIndex { $0 > cut } ?? placement.ends.count
                let end = complete == 0 ? 0 : placement.ends[complete - 1]
                let inPadding = cut > end && cut - end < UInt64(WALFormat.headerSize)
                    && block - end % block < UInt64(WALFormat.headerSize) && (end / block == (cut - 1) / block)
                let read: ReadResult
                do {
                    read = try readLog(path)
                } catch {
                    Issue.record("cut at \(cut) threw \(error)")
                    return
                }
                guard read.payloads.count == complete, read.reader.validEnd == end else {
                    Issue.record("cut at \(cut): \(read.payloads.count) records to \(read.reader.validEnd), expected \(complete) to \(end)")
                    return
                }
                #expect(read.payloads.map { CRC32C.checksum($0) } == Array(checksums[..<complete]), "cut at \(cut)")
                #expect(read.reader.tornTail == (cut != end && !inPadding), "cut at \(cut)")
            }
        }
    }

    @Test func treatsAZeroFilledTailAsTorn() throws {
        for leadingSize in [500, WALFormat.blockSize - 2000] {
            try withTemporaryDirectory { dir in
                let path = dir + "/log"
                let payloads = [payload(size: 100, seed: 1), payload(size: leadingSize, seed: 2)]
                let placement = try appendLog(path, payloads)
                try overwrite(path, at: try #require(placement.ends.last), with: [UInt8](repeating: 0, count: 10 * 1024))
                for mode in [RecoveryMode.strict, .skipCorruption] {
                    let read = try readLog(path, mode: mode)
                    #expect(read.payloads == payloads)
                    #expect(read.reader.tornTail)
                    #expect(read.reader.validEnd == placement.ends.last)
                    #expect(read.reader.skipped.isEmpty)
                }
            }
        }
    }

    /// Torn is not corrupt: a final record that lies wholly in the file but fails
    /// its checksum was written in full, so it is damage, not an incomplete write.
    @Test func aGarbledCompleteFinalRecordIsDamageNotATornTail() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let payloads = (0..<5).map { payload(size: 20_000, seed: $0) }
            let placement = try appendLog(path, payloads)
            // The last record's fragments straddle a block start; garble its tail.
            var rng = SeededGenerator(seed: 3)
            let garbage = (0..<9000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            try overwrite(path, at: placement.ends[4] - 9000, with: garbage)
            #expect(throws: LSMError.self) { _ = try readLog(path) }
            let read = try readLog(path, mode: .skipCorruption)
            #expect(read.payloads == Array(payloads.prefix(4)))
            #expect(!read.reader.tornTail)
            #expect(read.reader.skipped.count == 1)
            #expect(read.reader.skipped.first?.description.contains("not a torn tail") == true)
            #expect(read.reader.validEnd == placement.ends[3])
        }
    }

    /// What a crash leaves when the file grew before its data reached the disk:
    /// the final record's bytes read as zeros. That is an incomplete write.
    @Test func aZeroFilledFinalRecordIsATornTail() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let payloads = (0..<5).map { payload(size: 20_000, seed: $0) }
            let placement = try appendLog(path, payloads)
            let start = placement.ends[3]
            try overwrite(path, at: start, with: [UInt8](repeating: 0, count: Int(placement.ends[4] - start)))
            let read = try readLog(path)
            #expect(read.payloads == Array(payloads.prefix(4)))
            #expect(read.reader.tornTail)
            #expect(read.reader.validEnd == placement.ends[3])
            #expect(read.reader.tornBytes == placement.ends[4] - placement.ends[3])
        }
    }

    @Test func cleanEndWhenTheFileIsEmpty() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            _ = try appendLog(path, [])
            let read = try readLog(path)
            #expect(read.payloads.isEmpty)
            #expect(!read.reader.tornTail)
            #expect(read.reader.validEnd == 0)
        }
    }

    /// Damage of each kind inside the 4th record of a log spanning several blocks.
    @Test(arguments: ["payload", "checksum", "zero type", "unknown type", "length past block", "length past file"])
    func strictModeRejectsDamageInTheMiddleOfTheLog(damage: String) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let payloads = (0..<200).map { payload(size: 1000 + $0, seed: $0) }
            let placement = try appendLog(path, payloads)
            let damaged = placement.starts[3]
            switch damage {
            case "payload": try overwrite(path, at: damaged + 7 + 500, with: [try bytes(of: path, at: damaged + 507, count: 1)[0] ^ 0x40])
            case "checksum": try overwrite(path, at: damaged, with: [try bytes(of: path, at: damaged, count: 1)[0] ^ 1])
            case "zero type": try overwrite(path, at: damaged + 6, with: [0])
            case "unknown type": try overwrite(path, at: damaged + 6, with: [9])
            case "length past block": try overwrite(path, at: damaged + 4, with: [0xFF, 0x7F])
            default: try overwrite(path, at: damaged + 4, with: [0xFF, 0xFF])
            }
            var reader = try WALReader(path: path, mode: .strict, fileSystem: posix)
            for index in 0..<3 {
                #expect(try reader.next()?.payload == payloads[index])
            }
            expectCorruption(at: damaged) { _ = try reader.next() }
            expectCorruption(at: damaged) { _ = try reader.next() }
        }
    }

    @Test func skipCorruptionResumesAtTheNextValidRecord() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let payloads = (0..<200).map { payload(size: 1000 + $0 * 3, seed: $0) }
            let placement = try appendLog(path, payloads)
            let damaged = placement.starts[3]
            try overwrite(path, at: damaged + 100, with: [try bytes(of: path, at: damaged + 100, count: 1)[0] ^ 0xFF])
            let read = try readLog(path, mode: .skipCorruption)
            let resumed = Array(4..<payloads.count)
            let expected = Array(payloads.prefix(3)) + resumed.map { payloads[$0] }
            #expect(read.payloads == expected)
            #expect(read.offsets == Array(placement.starts.prefix(3)) + resumed.map { placement.starts[$0] })
            #expect(read.reader.skipped.count == 1)
            if case let .corruption(_, offset, _) = read.reader.skipped.first {
                #expect(offset == damaged)
            } else {
                Issue.record("expected one skipped corruption")
            }
            #expect(!read.reader.tornTail)
            #expect(read.reader.validEnd == placement.ends.last)
        }
    }

    @Test func damageInTheFinalBlockFollowedByRecordsIsCorruption() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let payloads = (0..<10).map { payload(size: 200, seed: $0) }
            let placement = try appendLog(path, payloads)
            let damaged = placement.starts[4]
            try overwrite(path, at: damaged + 50, with: [try bytes(of: path, at: damaged + 50, count: 1)[0] ^ 0x10])
            expectCorruption(at: damaged) { _ = try readLog(path) }
            let read = try readLog(path, mode: .skipCorruption)
            #expect(read.payloads == Array(payloads[0..<4]) + Array(payloads[5...]))
            #expect(!read.reader.tornTail)
        }
    }

    @Test func skipCorruptionDropsARecordWhoseMiddleFragmentIsDamaged() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let payloads = [payload(size: 10, seed: 0), payload(size: 100_000, seed: 1), payload(size: 10, seed: 2)]
                + (3..<80).map { payload(size: 1000, seed: $0) }
            let placement = try appendLog(path, payloads)
            // The big record's second fragment is the one at the first block start.
            let damage = UInt64(WALFormat.blockSize) + 7 + 10
            try overwrite(path, at: damage, with: [try bytes(of: path, at: damage, count: 1)[0] ^ 0x01])
            expectCorruption(at: UInt64(WALFormat.blockSize)) { _ = try readLog(path) }
            let read = try readLog(path, mode: .skipCorruption)
            #expect(read.payloads == [payloads[0]] + payloads[2...])
            #expect(read.offsets.first == placement.starts[0])
            #expect(read.reader.skipped.count == 1)
        }
    }

    @Test func rejectsFragmentsInAnImpossibleOrder() throws {
        try withTemporaryDirectory { dir in
            let a = payload(size: 10, seed: 1), b = payload(size: 20, seed: 2), c = payload(size: 30, seed: 3)
            let cases: [(records: [[UInt8]], damageAt: Int, recovered: [[UInt8]])] = [
                ([physicalRecord(.full, a), physicalRecord(.middle, b), physicalRecord(.full, c)], 1, [a, c]),
                ([physicalRecord(.full, a), physicalRecord(.last, b), physicalRecord(.full, c)], 1, [a, c]),
                ([physicalRecord(.first, a), physicalRecord(.full, b), physicalRecord(.full, c)], 1, [b, c]),
                ([physicalRecord(.first, a), physicalRecord(.first, b), physicalRecord(.last, c)], 1, [b + c]),
            ]
            for (index, testCase) in cases.enumerated() {
                let path = dir + "/log\(index)"
                try Data(testCase.records.flatMap { $0 }).write(to: URL(fileURLWithPath: path))
                let damageOffset = UInt64(testCase.records.prefix(testCase.damageAt).map(\.count).reduce(0, +))
                expectCorruption(at: damageOffset) { _ = try readLog(path) }
                let read = try readLog(path, mode: .skipCorruption)
                #expect(read.payloads == testCase.recovered, "case \(index)")
                #expect(read.reader.skipped.count == 1, "case \(index)")
            }
        }
    }

    @Test func aLogEndingAfterAFirstFragmentIsATornTail() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            let a = payload(size: 10, seed: 1)
            let records = physicalRecord(.full, a) + physicalRecord(.first, payload(size: 5, seed: 2))
            try Data(records).write(to: URL(fileURLWithPath: path))
            let read = try readLog(path)
            #expect(read.payloads == [a])
            #expect(read.reader.tornTail)
            #expect(read.reader.validEnd == 17)
        }
    }

    @Test func refusesToAppendAfterAFailedWrite() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            try Data().write(to: URL(fileURLWithPath: path))
            // A descriptor opened read-only: every write fails (EBADF).
            let readOnly = try PosixFile.open(path, flags: O_RDONLY)
            let writer = WALWriter(file: readOnly, startingAt: 0)
            #expect(throws: LSMError.self) { try writer.append([1, 2, 3]) }
            #expect(throws: LSMError.self) { try writer.sync() }
            #expect(writer.offset == 0)
        }
    }
}

