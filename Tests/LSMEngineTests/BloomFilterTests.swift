import Testing
@testable import LSMEngine

private func bloomKey(_ i: Int) -> [UInt8] { Array("key-\(i)".utf8) }

private func filter(keys: some Sequence<[UInt8]>, bitsPerKey: Int) throws -> BloomFilter {
    var builder = BloomFilterBuilder(bitsPerKey: bitsPerKey)
    for k in keys { k.withUnsafeBytes { builder.add(userKey: $0) } }
    return try BloomFilter(block: builder.finish(), file: "t", offset: 0)
}

@Test func bloomHashMatchesLevelDBVectors() {
    func h(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { bloomHash($0) } }
    #expect(h([]) == 0xbc9f_1d34)
    #expect(h([0x62]) == 0xef13_45c4)
    #expect(h([0xc3, 0x97]) == 0x5b66_3814)
    #expect(h([0xe2, 0x99, 0xa5]) == 0x323c_078f)
    #expect(h([0xe1, 0x80, 0xb9, 0x32]) == 0xed21_633a)
}

@Test func bloomHasNoFalseNegatives() throws {
    let f = try filter(keys: (0..<10_000).map(bloomKey), bitsPerKey: 10)
    for i in 0..<10_000 {
        #expect(bloomKey(i).withUnsafeBytes { f.mayContain($0) })
    }
}

@Test func bloomFalsePositiveRateAtTenBitsPerKeyIsBelowTwoPercent() throws {
    let f = try filter(keys: (0..<100_000).map(bloomKey), bitsPerKey: 10)
    var hits = 0
    for i in 100_000..<200_000 where bloomKey(i).withUnsafeBytes({ f.mayContain($0) }) { hits += 1 }
    #expect(Double(hits) / 100_000 < 0.02)
}

@Test func bloomAddsConsecutiveEqualKeysOnce() {
    var once = BloomFilterBuilder(bitsPerKey: 10)
    var repeated = BloomFilterBuilder(bitsPerKey: 10)
    for i in 0..<100 {
        bloomKey(i).withUnsafeBytes { once.add(userKey: $0) }
        for _ in 0..<5 { bloomKey(i).withUnsafeBytes { repeated.add(userKey: $0) } }
    }
    #expect(once.finish() == repeated.finish())
    #expect(once.finish().count == 1000 / 8 + 1)
}

@Test func bloomLayoutIsBitArrayThenProbeCount() {
    #expect(BloomFilter.probeCount(bitsPerKey: 10) == 7)
    #expect(BloomFilter.probeCount(bitsPerKey: 1) == 1)
    #expect(BloomFilter.probeCount(bitsPerKey: 100) == 30)
    var b = BloomFilterBuilder(bitsPerKey: 10)
    bloomKey(1).withUnsafeBytes { b.add(userKey: $0) }
    let block = b.finish()
    #expect(block.count == 9)  // 64-bit minimum, then k
    #expect(block.last == 7)
    #expect(BloomFilterBuilder(bitsPerKey: 0).finish().isEmpty)
}

@Test func bloomRejectsBadProbeCounts() {
    #expect(throws: LSMError.self) { try BloomFilter(block: [0xFF, 0], file: "t", offset: 0) }
    #expect(throws: LSMError.self) { try BloomFilter(block: [0xFF, 31], file: "t", offset: 0) }
    #expect(throws: LSMError.self) { try BloomFilter(block: [7], file: "t", offset: 0) }
}
