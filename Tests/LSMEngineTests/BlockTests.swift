import CLZ4
import ScribeTestSupport
import Testing
@testable import LSMEngine

/// Internal keys `prefix-<n>` with several versions each, sorted, for block tests.
private func blockEntries(count: Int) -> [(key: [UInt8], value: [UInt8])] {
    var keys: [InternalKey] = []
    var sequence: SequenceNumber = 1
    var n = 0
    while keys.count < count {
        let userKey = Array("user/prefix/shared-\(n * 7919 % 100_000)".utf8)
        for _ in 0..<(1 + n % 3) where keys.count < count {
            keys.append(InternalKey(userKey: userKey, sequence: sequence, kind: sequence % 5 == 0 ? .delete : .put))
            sequence += 1
        }
        n += 1
    }
    keys.sort()
    return keys.enumerated().map { i, k in (k.encoded, k.kind == .delete ? [] : Array("value-\(i)-".utf8) + [UInt8](repeating: UInt8(i % 251), count: i % 40)) }
}

private func buildBlock(_ entries: [(key: [UInt8], value: [UInt8])], restartInterval: Int) throws -> BlockReader {
    var builder = BlockBuilder(restartInterval: restartInterval)
    for e in entries { builder.add(key: e.key, value: e.value) }
    return try BlockReader(copying: builder.finish(), file: "test-block", fileOffset: 0)
}

private func isCorruption(_ error: any Error) -> Bool {
    if case LSMError.corruption = error { return true }
    return false
}

@Test(arguments: [1, 3, 16])
func blockIteratesForwardAndBackwardOverAllEntries(restartInterval: Int) throws {
    let entries = blockEntries(count: 1000)
    let block = try buildBlock(entries, restartInterval: restartInterval)
    #expect(block.restartCount == (entries.count + restartInterval - 1) / restartInterval)
    let it = block.makeIterator()
    try it.seekToFirst()
    var i = 0
    while it.isValid {
        #expect(Array(it.key) == entries[i].key)
        #expect(Array(it.value) == entries[i].value)
        i += 1
        try it.next()
    }
    #expect(i == entries.count)
    try it.seekToLast()
    i = entries.count - 1
    while it.isValid {
        #expect(Array(it.key) == entries[i].key)
        #expect(Array(it.value) == entries[i].value)
        i -= 1
        try it.prev()
    }
    #expect(i == -1)
}

@Test(arguments: [1, 16])
func blockSeekFindsEveryKeyAndTheGapsBetween(restartInterval: Int) throws {
    let entries = blockEntries(count: 500)
    let block = try buildBlock(entries, restartInterval: restartInterval)
    let it = block.makeIterator()
    for (i, e) in entries.enumerated() {
        try e.key.withUnsafeBytes { try it.seek($0) }
        #expect(it.isValid && Array(it.key) == e.key)
        try e.key.withUnsafeBytes { try it.seekForPrev($0) }
        #expect(it.isValid && Array(it.key) == e.key)
        // A target just after this entry (same user key, next lower trailer) lands on the next entry.
        guard let k = InternalKey(encoded: e.key) else { Issue.record("bad key"); return }
        var after = k.userKey
        after.appendFixed64(KeyTrailer(sequence: k.sequence, kind: k.kind).rawValue - 1)
        try after.withUnsafeBytes { try it.seek($0) }
        if i + 1 < entries.count {
            #expect(it.isValid && Array(it.key) == entries[i + 1].key)
        } else {
            #expect(!it.isValid)
        }
        try after.withUnsafeBytes { try it.seekForPrev($0) }
        #expect(it.isValid && Array(it.key) == e.key)
    }
    let before = InternalKey(userKey: Array("a".utf8), sequence: 1, kind: .put).encoded
    try before.withUnsafeBytes { try it.seek($0) }
    #expect(Array(it.key) == entries[0].key)
    try before.withUnsafeBytes { try it.seekForPrev($0) }
    #expect(!it.isValid)
    let beyond = InternalKey(userKey: Array("zzz".utf8), sequence: 1, kind: .put).encoded
    try beyond.withUnsafeBytes { try it.seek($0) }
    #expect(!it.isValid)
    try beyond.withUnsafeBytes { try it.seekForPrev($0) }
    #expect(Array(it.key) == entries[entries.count - 1].key)
}

@Test func blockMixesNextAndPrevAcrossRestartBoundaries() throws {
    let entries = blockEntries(count: 100)
    let block = try buildBlock(entries, restartInterval: 16)
    let it = block.makeIterator()
    try entries[40].key.withUnsafeBytes { try it.seek($0) }
    for i in stride(from: 39, through: 10, by: -1) {
        try it.prev()
        #expect(Array(it.key) == entries[i].key)
    }
    for i in 11...60 {
        try it.next()
        #expect(Array(it.key) == entries[i].key)
    }
}

@Test func blockReaderRejectsBadRestartArrays() throws {
    let entries = blockEntries(count: 40)
    var builder = BlockBuilder(restartInterval: 4)
    for e in entries { builder.add(key: e.key, value: e.value) }
    let raw = builder.finish()
    let count = 10
    let restartsOffset = raw.count - 4 - 4 * count

    var tooMany = raw
    tooMany.replaceSubrange((raw.count - 4)..<raw.count, with: [0xFF, 0xFF, 0xFF, 0x7F])
    #expect(throws: LSMError.self) { try BlockReader(copying: tooMany, file: "t", fileOffset: 0) }

    var unordered = raw
    unordered[restartsOffset + 8] = 0
    unordered[restartsOffset + 9] = 0
    unordered[restartsOffset + 10] = 0
    unordered[restartsOffset + 11] = 0
    #expect(throws: LSMError.self) { try BlockReader(copying: unordered, file: "t", fileOffset: 0) }

    var outOfRange = raw
    outOfRange.replaceSubrange((restartsOffset + 4)..<(restartsOffset + 8), with: [0xFF, 0xFF, 0, 0])
    #expect(throws: LSMError.self) { try BlockReader(copying: outOfRange, file: "t", fileOffset: 0) }

    #expect(throws: LSMError.self) { try BlockReader(copying: [], file: "t", fileOffset: 0) }
    #expect(throws: LSMError.self) { try BlockReader(copying: [0, 0, 0, 0, 0, 0, 0, 0], file: "t", fileOffset: 0) }
}

@Test func blockIteratorRejectsHostileEntries() throws {
    // One entry claiming shared = 5 with no previous key.
    var raw: [UInt8] = [5, 8, 0] + [UInt8](repeating: 1, count: 8)
    raw.appendFixed32(0)
    raw.appendFixed32(1)
    let shared = try BlockReader(copying: raw, file: "t", fileOffset: 0).makeIterator()
    #expect(throws: LSMError.self) { try shared.seekToFirst() }
    #expect(!shared.isValid)

    // Value length past the end.
    var long: [UInt8] = [0, 8, 100] + [UInt8](repeating: 1, count: 8)
    long.appendFixed32(0)
    long.appendFixed32(1)
    #expect(throws: LSMError.self) { try BlockReader(copying: long, file: "t", fileOffset: 0).makeIterator().seekToFirst() }

    // Unterminated varint.
    var varint: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80]
    varint.appendFixed32(0)
    varint.appendFixed32(1)
    #expect(throws: LSMError.self) { try BlockReader(copying: varint, file: "t", fileOffset: 0).makeIterator().seekToFirst() }

    // A key shorter than an internal key, and an unknown kind byte.
    var short: [UInt8] = [0, 3, 0, 1, 2, 3]
    short.appendFixed32(0)
    short.appendFixed32(1)
    #expect(throws: LSMError.self) { try BlockReader(copying: short, file: "t", fileOffset: 0).makeIterator().seekToFirst() }
    var kind: [UInt8] = [0, 9, 0, 0x61, 7, 0, 0, 0, 0, 0, 0, 0]
    kind.appendFixed32(0)
    kind.appendFixed32(1)
    #expect(throws: LSMError.self) { try BlockReader(copying: kind, file: "t", fileOffset: 0).makeIterator().seekToFirst() }
}

@Test func blockReaderSurvivesRandomGarbage() throws {
    var rng = SystemRandomNumberGenerator()
    let target = InternalKey(userKey: Array("user/prefix/shared-5".utf8), sequence: 3, kind: .put).encoded
    let good = { () -> [UInt8] in
        var builder = BlockBuilder(restartInterval: 4)
        for e in blockEntries(count: 30) { builder.add(key: e.key, value: e.value) }
        return builder.finish()
    }()
    for round in 0..<3000 {
        var raw = good
        if round % 2 == 0 {
            for _ in 0..<(1 + round % 5) { raw[Int.random(in: 0..<raw.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
        } else {
            let length = Int.random(in: 0..<64, using: &rng)
            raw = rng.bytes(length)
            if raw.count >= 4 { raw.replaceSubrange((raw.count - 4)..., with: [1, 0, 0, 0]) }
        }
        do {
            let it = try BlockReader(copying: raw, file: "t", fileOffset: 0).makeIterator()
            var steps = 0
            try it.seekToFirst()
            while it.isValid && steps < 10_000 { try it.next(); steps += 1 }
            try it.seekToLast()
            while it.isValid && steps < 20_000 { try it.prev(); steps += 1 }
            try target.withUnsafeBytes { try it.seek($0); try it.seekForPrev($0) }
            #expect(steps < 20_000)
        } catch {
            #expect(isCorruption(error))
        }
    }
}

@Test func codecCompressesCompressibleBlocksAndRoundTrips() throws {
    let raw = [UInt8]((0..<8192).map { UInt8($0 % 7) })
    var stored: [UInt8] = []
    let size = BlockCodec.encode(raw, compression: .lz4, into: &stored)
    #expect(stored.count == size + 5)
    #expect(stored[size] == SegmentCompression.lz4.rawValue)
    #expect(size * 8 <= raw.count * 7)
    let decoded = try stored.withUnsafeBytes { try BlockCodec.decodeToArray($0, file: "t", offset: 0) }
    #expect(decoded == raw)

    var plain: [UInt8] = []
    let plainSize = BlockCodec.encode(raw, compression: .none, into: &plain)
    #expect(plainSize == raw.count && plain[plainSize] == 0)
    #expect(try plain.withUnsafeBytes { try BlockCodec.decodeToArray($0, file: "t", offset: 0) } == raw)
}

@Test func codecStoresIncompressibleBlocksRaw() throws {
    var rng = SystemRandomNumberGenerator()
    let raw = rng.bytes(4096)
    var stored: [UInt8] = []
    let size = BlockCodec.encode(raw, compression: .lz4, into: &stored)
    #expect(size == raw.count)
    #expect(stored[size] == 0)
    #expect(Array(stored[0..<size]) == raw)
    #expect(try stored.withUnsafeBytes { try BlockCodec.decodeToArray($0, file: "t", offset: 0) } == raw)
}

/// The stored size LZ4 would give `raw` (`varint(rawLength) ‖ compressed`).
private func lz4StoredSize(_ raw: [UInt8]) -> Int {
    let bound = Int(LZ4_compressBound(Int32(raw.count)))
    var out = [CChar](repeating: 0, count: bound)
    let n = raw.withUnsafeBytes { src in
        out.withUnsafeMutableBufferPointer { dst in
            LZ4_compress_default(src.baseAddress!.assumingMemoryBound(to: CChar.self), dst.baseAddress!, Int32(raw.count), Int32(bound))
        }
    }
    return varintLength(UInt64(raw.count)) + Int(n)
}

@Test func codecUsesLZ4OnlyWhenItSavesAnEighth() throws {
    var rng = SystemRandomNumberGenerator()
    var compressedSeen = false
    var rawSeen = false
    // Random bytes with a growing share of zeros: LZ4's saving sweeps across the 12.5% line.
    for zeros in stride(from: 0, through: 1200, by: 25) {
        var raw = rng.bytes(4096)
        for i in 0..<zeros { raw[i * 3] = 0; raw[i * 3 + 1] = 0; raw[i * 3 + 2] = 0 }
        var stored: [UInt8] = []
        let size = BlockCodec.encode(raw, compression: .lz4, into: &stored)
        let worthIt = lz4StoredSize(raw) * 8 <= raw.count * 7
        #expect((stored[size] == 1) == worthIt)
        if worthIt { compressedSeen = true } else { rawSeen = true }
        #expect(try stored.withUnsafeBytes { try BlockCodec.decodeToArray($0, file: "t", offset: 0) } == raw)
    }
    #expect(compressedSeen && rawSeen)
}

/// Replaces the trailer of `stored` with `kind` and a correct CRC for it.
private func reseal(_ payload: [UInt8], kind: UInt8) -> [UInt8] {
    var out = payload
    out.append(kind)
    out.appendFixed32(CRC32C.mask(CRC32C.checksum(out)))
    return out
}

@Test func codecRejectsBadChecksumsKindsAndLengths() throws {
    let raw = [UInt8]((0..<4096).map { UInt8($0 % 13) })
    var stored: [UInt8] = []
    let size = BlockCodec.encode(raw, compression: .lz4, into: &stored)
    for i in 0..<stored.count {
        var bad = stored
        bad[i] ^= 0x20
        #expect(throws: LSMError.self) { try bad.withUnsafeBytes { try BlockCodec.decodeToArray($0, file: "t", offset: 0) } }
    }
    let payload = Array(stored[0..<size])
    #expect(throws: LSMError.self) { try reseal(payload, kind: 2).withUnsafeBytes { try BlockCodec.decodeToArray($0, file: "t", offset: 0) } }
    // A raw length far beyond what the payload can expand to is refused before allocating.
    var huge: [UInt8] = []
    huge.appendVarint(UInt64(1) << 40)
    huge.append(contentsOf: payload.dropFirst(varintLength(UInt64(raw.count))))
    #expect(throws: LSMError.self) { try reseal(huge, kind: 1).withUnsafeBytes { try BlockCodec.decodeToArray($0, file: "t", offset: 0) } }
    // A raw length that disagrees with the LZ4 stream.
    var wrong: [UInt8] = []
    wrong.appendVarint(UInt64(raw.count - 1))
    wrong.append(contentsOf: payload.dropFirst(varintLength(UInt64(raw.count))))
    #expect(throws: LSMError.self) { try reseal(wrong, kind: 1).withUnsafeBytes { try BlockCodec.decodeToArray($0, file: "t", offset: 0) } }
    #expect(throws: LSMError.self) { try [UInt8]([1, 2, 3]).withUnsafeBytes { try BlockCodec.decodeToArray($0, file: "t", offset: 0) } }
}
