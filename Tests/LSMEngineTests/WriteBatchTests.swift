import Testing
@testable import LSMEngine

/// One decoded operation with its bytes copied out, for comparisons.
private struct DecodedOperation: Equatable {
    let sequence: SequenceNumber
    let kind: ValueKind
    let key: [UInt8]
    let value: [UInt8]
}

private func decode(_ encoded: [UInt8]) throws -> [DecodedOperation] {
    var operations: [DecodedOperation] = []
    try WriteBatch.forEach(encoded: encoded, file: "wal", offset: 0) { sequence, operation in
        operations.append(DecodedOperation(
            sequence: sequence, kind: operation.kind,
            key: Array(encoded[operation.key]), value: Array(encoded[operation.value])))
    }
    return operations
}

/// Decoding either throws `.corruption` or succeeds; any other outcome is recorded as an issue.
private func decodeOutcome(_ encoded: [UInt8]) -> [DecodedOperation]? {
    do {
        return try decode(encoded)
    } catch LSMError.corruption {
        return nil
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

private func sampleBatch() -> WriteBatch {
    var batch = WriteBatch()
    batch.put(Array("alpha".utf8), Array("one".utf8))
    batch.delete(Array("beta".utf8))
    batch.put(Array("gamma".utf8), [UInt8]())
    batch.put([0xFF, 0x00], [UInt8](repeating: 0xAB, count: 300))
    batch.delete([0x01])
    return batch
}

@Suite struct WriteBatchTests {
    @Test func sequencesBeyondFiftySixBitsAreCorruptionBeforeAnyOperationIsVisited() {
        for (first, count) in [(UInt64(1) << 60, 1), (maxSequenceNumber, 2)] {
            var batch = WriteBatch()
            for i in 0..<count { batch.put([UInt8(i + 1)], [UInt8]()) }
            batch.setSequence(first)
            var visited = 0
            #expect(throws: LSMError.self) {
                try WriteBatch.forEach(encoded: batch.encoded, file: "wal", offset: 0) { _, _ in visited += 1 }
            }
            #expect(visited == 0)
        }
    }

    @Test func encodesTheDocumentedLayout() {
        var batch = WriteBatch()
        batch.put([0x61], [0x62, 0x63])
        batch.delete([0x64])
        batch.setSequence(0x0102_0304_0506)
        #expect(batch.encoded == [
            0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00, 0x00,   // fixed64le first sequence
            0x02, 0x00, 0x00, 0x00,                           // fixed32le count
            0x01, 0x01, 0x61, 0x02, 0x62, 0x63,               // put "a" = "bc"
            0x00, 0x01, 0x64,                                 // delete "d"
        ])
        #expect(batch.count == 2)
        #expect(batch.byteSize == 21)
    }

    @Test func decodesTheSameOperationsWithConsecutiveSequences() throws {
        var batch = sampleBatch()
        batch.setSequence(1000)
        let operations = try decode(batch.encoded)
        #expect(operations == [
            DecodedOperation(sequence: 1000, kind: .put, key: Array("alpha".utf8), value: Array("one".utf8)),
            DecodedOperation(sequence: 1001, kind: .delete, key: Array("beta".utf8), value: []),
            DecodedOperation(sequence: 1002, kind: .put, key: Array("gamma".utf8), value: []),
            DecodedOperation(sequence: 1003, kind: .put, key: [0xFF, 0x00], value: [UInt8](repeating: 0xAB, count: 300)),
            DecodedOperation(sequence: 1004, kind: .delete, key: [0x01], value: []),
        ])
        let header = try #require(WriteBatch.header(of: batch.encoded))
        #expect(header.sequence == 1000)
        #expect(header.count == 5)
    }

    @Test func setSequenceRestampsWithoutChangingOperations() throws {
        var batch = sampleBatch()
        batch.setSequence(5)
        let first = try decode(batch.encoded)
        batch.setSequence(90)
        let second = try decode(batch.encoded)
        #expect(second.map(\.sequence) == Array(90..<95))
        #expect(second.map(\.key) == first.map(\.key))
        #expect(second.map(\.value) == first.map(\.value))
    }

    @Test func emptyBatchHasOnlyAHeader() throws {
        let batch = WriteBatch()
        #expect(batch.isEmpty)
        #expect(batch.encoded.count == WriteBatch.headerSize)
        #expect(try decode(batch.encoded).isEmpty)
        #expect(WriteBatch.header(of: [0, 1, 2]) == nil)
    }

    @Test func everyTruncationThrowsCorruption() {
        var batch = sampleBatch()
        batch.setSequence(77)
        let encoded = batch.encoded
        for length in 0..<encoded.count {
            #expect(decodeOutcome(Array(encoded[..<length])) == nil, "truncated to \(length)")
        }
        #expect(decodeOutcome(encoded)?.count == 5)
    }

    @Test func randomByteFlipsThrowOrDecodeConsistently() {
        var batch = sampleBatch()
        batch.setSequence(77)
        let original = batch.encoded
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var garbled = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<garbled.count, using: &generator)
                garbled[index] ^= UInt8.random(in: 1...255, using: &generator)
            }
            let outcome = decodeOutcome(garbled)
            #expect(decodeOutcome(garbled) == outcome)
            if let outcome, let header = WriteBatch.header(of: garbled) {
                #expect(outcome.count == header.count)
            }
        }
    }

    @Test func rejectsACountThatDisagreesWithTheRecords() {
        var batch = sampleBatch()
        batch.setSequence(1)
        for count: UInt32 in [0, 4, 6, UInt32.max] {
            var encoded = batch.encoded
            encoded.withUnsafeMutableBytes { $0.storeBytes(of: count.littleEndian, toByteOffset: 8, as: UInt32.self) }
            #expect(decodeOutcome(encoded) == nil, "count \(count)")
        }
    }

    @Test func rejectsAnUnknownRecordKind() {
        var batch = WriteBatch()
        batch.put([1], [2])
        var encoded = batch.encoded
        encoded[WriteBatch.headerSize] = 7
        #expect(decodeOutcome(encoded) == nil)
    }

    @Test func rejectsSequencesBeyondTheFiftySixBitRange() {
        var batch = WriteBatch()
        batch.put([1], [2])
        batch.setSequence(maxSequenceNumber)
        #expect(decodeOutcome(batch.encoded)?.first?.sequence == maxSequenceNumber)
        batch.delete([3])
        #expect(decodeOutcome(batch.encoded) == nil)
        batch.setSequence(UInt64.max)
        #expect(decodeOutcome(batch.encoded) == nil)
    }

    @Test func validateRejectsKeysAndValuesOutsideTheLimits() throws {
        var emptyKey = WriteBatch()
        emptyKey.put([1], [1])
        emptyKey.delete([UInt8]())
        #expect(throws: LSMError.invalidKeySize(size: 0, limit: 8)) { try emptyKey.validate(maxKeySize: 8, maxValueSize: 8) }

        var longKey = WriteBatch()
        longKey.put([UInt8](repeating: 1, count: 9), [1])
        #expect(throws: LSMError.invalidKeySize(size: 9, limit: 8)) { try longKey.validate(maxKeySize: 8, maxValueSize: 8) }

        var largeValue = WriteBatch()
        largeValue.put([1], [UInt8](repeating: 1, count: 9))
        #expect(throws: LSMError.valueTooLarge(size: 9, limit: 8)) { try largeValue.validate(maxKeySize: 8, maxValueSize: 8) }

        var atLimits = WriteBatch()
        atLimits.put([UInt8](repeating: 1, count: 8), [UInt8](repeating: 1, count: 8))
        atLimits.delete([1])
        try atLimits.validate(maxKeySize: 8, maxValueSize: 8)
        try WriteBatch().validate(maxKeySize: 8, maxValueSize: 8)
    }

    @Test func aBatchSurvivesTheWALRoundTrip() throws {
        let path = "/tmp/lsm-writebatch-wal-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? posix.remove(path) }
        var batch = sampleBatch()
        batch.setSequence(42)
        let writer = WALWriter(file: try posix.create(path), startingAt: 0)
        try writer.append(batch.encoded)
        var reader = try WALReader(path: path, mode: .strict, fileSystem: posix)
        let record = try #require(try reader.next())
        #expect(try decode(record.payload) == decode(batch.encoded))
        #expect(try reader.next() == nil)
    }
}
