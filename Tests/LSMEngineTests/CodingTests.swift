import Testing
@testable import LSMEngine

@Suite struct CodingTests {
    @Test(arguments: [
        (UInt64(0), 1), (127, 1), (128, 2), (16383, 2), (16384, 3),
        ((1 << 21) - 1, 3), (1 << 21, 4), (UInt64(UInt32.max), 5), (1 << 63, 10), (UInt64.max, 10),
    ] as [(UInt64, Int)])
    func varintRoundTripsAtLengthBoundaries(value: UInt64, length: Int) throws {
        var bytes: [UInt8] = []
        bytes.appendVarint(value)
        #expect(bytes.count == length)
        #expect(varintLength(value) == length)
        var reader = ByteReader(bytes, file: "test")
        #expect(try reader.readVarint64() == value)
        #expect(reader.isAtEnd)
    }

    @Test func varintEncodesLittleEndianGroupsOfSevenBits() {
        var bytes: [UInt8] = []
        bytes.appendVarint(UInt64(300))
        #expect(bytes == [0xAC, 0x02])
    }

    @Test func fixedIntegersRoundTripLittleEndian() throws {
        var bytes: [UInt8] = []
        bytes.appendFixed32(0x0403_0201)
        bytes.appendFixed64(0x0C0B_0A09_0807_0605)
        bytes.appendFixed32(UInt32.max)
        bytes.appendFixed64(0)
        #expect(Array(bytes[0..<12]) == Array(1...12))
        bytes.withUnsafeBytes { p in
            #expect(readFixed32(p, at: 0) == 0x0403_0201)
            #expect(readFixed64(p, at: 4) == 0x0C0B_0A09_0807_0605)
            #expect(readFixed32(p, at: 12) == UInt32.max)
        }
        var reader = ByteReader(bytes, file: "test")
        #expect(try reader.readFixed32() == 0x0403_0201)
        #expect(try reader.readFixed64() == 0x0C0B_0A09_0807_0605)
        #expect(try reader.readFixed32() == UInt32.max)
        #expect(try reader.readFixed64() == 0)
        #expect(reader.isAtEnd)
    }

    @Test func lengthPrefixedBytesRoundTrip() throws {
        var bytes: [UInt8] = []
        bytes.appendLengthPrefixed([UInt8](repeating: 7, count: 200))
        bytes.appendLengthPrefixed([UInt8]())
        var reader = ByteReader(bytes, file: "test")
        #expect(try reader.readLengthPrefixed(what: "a") == [UInt8](repeating: 7, count: 200))
        #expect(try reader.readLengthPrefixed(what: "b") == [])
        #expect(reader.isAtEnd)
    }

    @Test(arguments: [
        ("truncated varint", [0x80, 0x80]),
        ("11-byte varint", [UInt8](repeating: 0xFF, count: 10) + [0x01]),
        ("10th byte overflows", [UInt8](repeating: 0xFF, count: 9) + [0x02]),
        ("empty", []),
    ] as [(String, [UInt8])])
    func malformedVarintThrowsCorruption(name: String, bytes: [UInt8]) {
        var reader = ByteReader(bytes, file: "f", baseOffset: 100)
        #expect(throws: LSMError.self, "\(name)") { try reader.readVarint64() }
    }

    @Test func corruptionNamesTheFileAndAbsoluteOffset() {
        var reader = ByteReader([1, 2, 3], file: "seg", baseOffset: 1000)
        do {
            _ = try reader.readByte()
            _ = try reader.readFixed32()
            Issue.record("expected a truncation error")
        } catch let LSMError.corruption(file, offset, _) {
            #expect(file == "seg")
            #expect(offset == 1001)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func readsPastTheEndThrowInsteadOfTrapping() throws {
        var reader = ByteReader([1, 2, 3, 4, 5], range: 1..<4, file: "f")
        #expect(throws: LSMError.self) { try reader.readBytes(4) }
        #expect(throws: LSMError.self) { try reader.readBytes(-1) }
        #expect(throws: LSMError.self) { try reader.readFixed64() }
        #expect(throws: LSMError.self) { try reader.readFixed32() }
        #expect(Array(try reader.readBytes(3)) == [2, 3, 4])
        #expect(throws: LSMError.self) { try reader.readByte() }
    }

    @Test func readVarintIntRejectsValuesOverTheLimitAndRewinds() throws {
        var bytes: [UInt8] = []
        bytes.appendVarint(UInt64(1000))
        var reader = ByteReader(bytes, file: "f")
        #expect(throws: LSMError.self) { try reader.readVarintInt(limit: 999, what: "length") }
        #expect(reader.position == 0)
        #expect(try reader.readVarintInt(limit: 1000, what: "length") == 1000)

        var huge: [UInt8] = []
        huge.appendVarint(UInt64.max)
        var hugeReader = ByteReader(huge, file: "f")
        #expect(throws: LSMError.self) { try hugeReader.readVarintInt(limit: Int.max, what: "length") }
    }

    @Test func lengthPrefixLargerThanTheRemainingBytesThrows() {
        var bytes: [UInt8] = []
        bytes.appendVarint(UInt64(10))
        bytes += [1, 2, 3]
        var reader = ByteReader(bytes, file: "f")
        #expect(throws: LSMError.self) { try reader.readLengthPrefixed(what: "key") }
    }
}
