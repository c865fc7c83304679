import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine
import ScribeBytes
import ScribeCrypto

/// Temp directories, entry sets and writers shared by the segment test files.
enum SegmentFixture {
    struct Entry {
        var key: InternalKey
        var value: [UInt8]
    }

    static func makeDirectory() -> String {
        var template = Array("/tmp/segment-test-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        return String(cString: path!)
    }

    static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `userKeys` user keys with 1 to 4 versions each, unique sequences, some
    /// tombstones, sorted in internal-key order; about 2.5 entries per user key.
    static func entries(userKeys: Int, seed: UInt64 = 42) -> [Entry] {
        var rng = SeededGenerator(seed: seed)
        var sequences = Array(1...UInt64(userKeys * 4))
        sequences.shuffle(using: &rng)
        var next = 0
        var out: [Entry] = []
        for i in 0..<userKeys {
            let userKey = Array(String(format: "user-%06d", i * 3).utf8)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let sequence = sequences[next] + 10
                next += 1
                let kind: ValueKind = Int.random(in: 0..<10, using: &rng) == 0 ? .delete : .put
                let value: [UInt8] = kind == .delete ? [] : Array("value of \(i) at \(sequence) ".utf8)
                    + (0..<Int.random(in: 0..<120, using: &rng)).map { _ in UInt8.random(in: 0...3, using: &rng) }
                out.append(Entry(key: InternalKey(userKey: userKey, sequence: sequence, kind: kind), value: value))
            }
        }
        out.sort { $0.key < $1.key }
        return out
    }

    static func options(blockSize: Int = 4096, compression: SegmentCompression = .lz4, bloom: Int = 10) -> SegmentWriterOptions {
        SegmentWriterOptions(blockSize: blockSize, compression: compression, bloomBitsPerKey: bloom, level: 2, creationTime: 1_700_000_000_000)
    }

    static func write(_ entries: [Entry], to directory: String, options: SegmentWriterOptions = options()) throws -> SegmentMetadata {
        let writer = try SegmentWriter(directory: directory, options: options, fileSystem: posix)
        for e in entries { try writer.add(key: e.key.encoded, value: e.value) }
        return try writer.finish()
    }
}


private func collect(_ it: SegmentIterator, backward: Bool) throws -> [(key: [UInt8], value: [UInt8])] {
    var out: [(key: [UInt8], value: [UInt8])] = []
    if backward { try it.seekToLast() } else { try it.seekToFirst() }
    while it.isValid {
        out.append((Array(it.key), Array(it.value)))
        if backward { try it.prev() } else { try it.next() }
    }
    return out
}

@Test func segmentRoundTripsTenThousandVersionedEntries() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let entries = SegmentFixture.entries(userKeys: 4200)
    #expect(entries.count >= 10_000)
    let meta = try SegmentFixture.write(entries, to: dir)
    #expect(meta.entryCount == UInt64(entries.count))
    #expect(meta.smallestKey == entries.first?.key && meta.largestKey == entries.last?.key)
    #expect(meta.level == 2)
    let reader = try SegmentReader.open(path: "\(dir)/\(meta.id.fileName)", fileSystem: posix)
    #expect(reader.metadata == meta)
    #expect(reader.blockCount > 10)

    let forward = try collect(reader.makeIterator(), backward: false)
    #expect(forward.map(\.key) == entries.map(\.key.encoded))
    #expect(forward.map(\.value) == entries.map(\.value))
    let backward = try collect(reader.makeIterator(), backward: true)
    #expect(backward.map(\.key) == entries.reversed().map(\.key.encoded))
    #expect(backward.map(\.value) == entries.reversed().map(\.value))
}

@Test func segmentGetAndVersionsFollowSequences() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let entries = SegmentFixture.entries(userKeys: 4000)
    let meta = try SegmentFixture.write(entries, to: dir)
    let reader = try SegmentReader.open(path: "\(dir)/\(meta.id.fileName)", fileSystem: posix)
    let byUser = Dictionary(grouping: entries, by: \.key.userKey)
    var rng = SeededGenerator(seed: 7)
    for i in stride(from: 0, to: 4000, by: 13) {
        let userKey = Array(String(format: "user-%06d", i * 3).utf8)
        let history = byUser[userKey] ?? []
        let versions = try userKey.withUnsafeBytes { try reader.versions(of: $0) }
        #expect(versions.map(\.sequence) == history.map(\.key.sequence))
        #expect(versions.map(\.value) == history.map(\.value))
        #expect(versions.map(\.kind) == history.map(\.key.kind))
        for sequence in [0, 5, maxSequenceNumber, UInt64.max] + (0..<4).map({ _ in UInt64.random(in: 0...20_000, using: &rng) }) {
            let expected = history.first { $0.key.sequence <= sequence }
            let got = try userKey.withUnsafeBytes { try reader.get(userKey: $0, atSequence: sequence) }
            #expect(got?.sequence == expected?.key.sequence)
            #expect(got?.kind == expected?.key.kind)
            #expect(got?.value == expected?.value)
        }
        // A user key between two present ones is absent.
        let absent = Array(String(format: "user-%06d", i * 3 + 1).utf8)
        #expect(try absent.withUnsafeBytes { try reader.get(userKey: $0, atSequence: .max) } == nil)
        #expect(try absent.withUnsafeBytes { try reader.versions(of: $0) }.isEmpty)
    }
    #expect(entries.contains { $0.key.kind == .delete })
    let tombstone = try #require(entries.first { $0.key.kind == .delete })
    let got = try tombstone.key.userKey.withUnsafeBytes { try reader.get(userKey: $0, atSequence: tombstone.key.sequence) }
    #expect(got?.kind == .delete && got?.value == [] && got?.sequence == tombstone.key.sequence)
}

@Test func segmentSeekLandsOnTheLowerBoundOfAnyKey() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let entries = SegmentFixture.entries(userKeys: 2000)
    let meta = try SegmentFixture.write(entries, to: dir, options: SegmentFixture.options(blockSize: 1024))
    let reader = try SegmentReader.open(path: "\(dir)/\(meta.id.fileName)", fileSystem: posix)
    let keys = entries.map(\.key)
    let it = reader.makeIterator()
    var rng = SeededGenerator(seed: 9)
    for _ in 0..<3000 {
        let target = InternalKey(
            userKey: Array(String(format: "user-%06d", Int.random(in: -5...6010, using: &rng)).utf8),
            sequence: UInt64.random(in: 0...9000, using: &rng), kind: .put)
        let lower = keys.firstIndex { !($0 < target) }
        try target.encoded.withUnsafeBytes { try it.seek($0) }
        if let lower {
            #expect(it.isValid && Array(it.key) == keys[lower].encoded)
            #expect(Array(it.value) == entries[lower].value)
        } else {
            #expect(!it.isValid)
        }
        let upper = keys.lastIndex { !(target < $0) }
        try target.encoded.withUnsafeBytes { try it.seekForPrev($0) }
        if let upper {
            #expect(it.isValid && Array(it.key) == keys[upper].encoded)
            if upper > 0 {
                try it.prev()
                #expect(Array(it.key) == keys[upper - 1].encoded)
                try it.next()
            }
            try it.next()
            #expect(it.isValid == (upper + 1 < keys.count))
            if upper + 1 < keys.count { #expect(Array(it.key) == keys[upper + 1].encoded) }
        } else {
            #expect(!it.isValid)
        }
    }
}

@Test func segmentRootEqualsIndependentMerkleComputation() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let entries = SegmentFixture.entries(userKeys: 1500)
    let meta = try SegmentFixture.write(entries, to: dir, options: SegmentFixture.options(blockSize: 2048))
    let reader = try SegmentReader.open(path: "\(dir)/\(meta.id.fileName)", fileSystem: posix)
    #expect(reader.blockCount > 3)

    var leaves: [[UInt8]] = []
    for (i, e) in entries.enumerated() {
        let next = i + 1 < entries.count ? entries[i + 1].key.userKey : []
        let leaf = e.key.userKey.withUnsafeBytes { k in
            next.withUnsafeBytes { n in
                EntryLeaf.hash(userKey: k, trailer: (e.key.sequence << 8) | UInt64(e.key.kind.rawValue),
                               valueHash: SHA256.hash(e.value), nextUserKey: n)
            }
        }
        leaves.append(leaf)
    }
    var blocks: [BlockCommitment] = []
    var start = 0
    for b in 0..<reader.blockCount {
        let it = try reader.readDataBlock(b).makeIterator()
        var n = 0
        try it.seekToFirst()
        while it.isValid { n += 1; try it.next() }
        blocks.append(BlockCommitment(entryCount: UInt32(n), root: MerkleTree.root(of: Array(leaves[start..<(start + n)]))))
        start += n
    }
    #expect(start == entries.count)
    #expect(blocks == reader.blocks)
    let blockLeaves = blocks.map { block -> [UInt8] in
        var input: [UInt8] = []
        input.appendFixed32(block.entryCount)
        input.append(contentsOf: block.root)
        return MerkleTree.leafHash(input)
    }
    #expect(MerkleTree.root(of: blockLeaves) == meta.root)
    #expect(meta.blockCount == UInt32(blocks.count))
    #expect(meta.root.count == 32)
}

@Test func segmentFileIsNamedByItsIDAndTheTempFileIsGone() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let meta = try SegmentFixture.write(SegmentFixture.entries(userKeys: 300), to: dir)
    #expect(try posix.listDirectory(dir) == [meta.id.fileName])
    #expect(meta.id == SegmentID(level: 2, smallestSequence: meta.smallestSequence, largestSequence: meta.largestSequence, root: meta.root))
    #expect(meta.id.rawValue.hasPrefix("L2-\(meta.smallestSequence)-\(meta.largestSequence)-"))
    #expect(meta.fileSize == (try posix.fileSize("\(dir)/\(meta.id.fileName)")))
    let reader = try SegmentReader.open(path: "\(dir)/\(meta.id.fileName)", fileSystem: posix)
    #expect(reader.properties.id == meta.id)
    #expect(reader.properties.creationTime == 1_700_000_000_000)
}

@Test func verifierAcceptsWellFormedSegments() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    for (i, options) in [SegmentFixture.options(), SegmentFixture.options(blockSize: 200, compression: .none, bloom: 0),
                         SegmentFixture.options(blockSize: 1 << 16, bloom: 3)].enumerated() {
        let meta = try SegmentFixture.write(SegmentFixture.entries(userKeys: 500, seed: UInt64(i)), to: dir, options: options)
        #expect(try SegmentVerifier.verify(path: "\(dir)/\(meta.id.fileName)", fileSystem: posix) == meta)
    }
}

@Test func segmentWithoutFilterOrCompressionStillAnswers() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let entries = SegmentFixture.entries(userKeys: 200)
    let meta = try SegmentFixture.write(entries, to: dir, options: SegmentFixture.options(compression: .none, bloom: 0))
    let reader = try SegmentReader.open(path: "\(dir)/\(meta.id.fileName)", fileSystem: posix)
    #expect(reader.properties.compression == .none)
    #expect([UInt8]("nope".utf8).withUnsafeBytes { reader.mayContain(userKey: $0) })
    let last = try #require(entries.last)
    let got = try last.key.userKey.withUnsafeBytes { try reader.versions(of: $0) }
    #expect(got.first?.sequence == entries.filter { $0.key.userKey == last.key.userKey }.first?.key.sequence)
}

@Test func segmentHoldsAFiveMiBValue() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    var rng = SeededGenerator(seed: 5)
    let big = rng.bytes(5 << 20)
    let entries = [
        SegmentFixture.Entry(key: InternalKey(userKey: Array("a".utf8), sequence: 1, kind: .put), value: Array("small".utf8)),
        SegmentFixture.Entry(key: InternalKey(userKey: Array("big".utf8), sequence: 3, kind: .put), value: big),
        SegmentFixture.Entry(key: InternalKey(userKey: Array("big".utf8), sequence: 2, kind: .delete), value: []),
        SegmentFixture.Entry(key: InternalKey(userKey: Array("c".utf8), sequence: 4, kind: .put), value: [UInt8](repeating: 7, count: 1 << 20)),
    ]
    let meta = try SegmentFixture.write(entries, to: dir)
    let path = "\(dir)/\(meta.id.fileName)"
    let reader = try SegmentReader.open(path: path, fileSystem: posix)
    let got = try Array("big".utf8).withUnsafeBytes { try reader.get(userKey: $0, atSequence: 10) }
    #expect(got?.value == big && got?.kind == .put)
    let older = try Array("big".utf8).withUnsafeBytes { try reader.get(userKey: $0, atSequence: 2) }
    #expect(older?.kind == .delete)
    #expect(try collect(reader.makeIterator(), backward: true).map(\.value) == entries.reversed().map(\.value))
    #expect(meta.fileSize < UInt64(5 << 20) + (1 << 19))  // the 1 MiB run of 7s compressed
    #expect(try SegmentVerifier.verify(path: path, fileSystem: posix) == meta)
}

@Test func writerRejectsMisuseAndCleansUp() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let key = InternalKey(userKey: Array("k".utf8), sequence: 5, kind: .put).encoded
    let writer = try SegmentWriter(directory: dir, options: SegmentFixture.options(), fileSystem: posix)
    #expect(posix.fileExists(writer.temporaryPath) && writer.temporaryPath.hasSuffix(".sst.tmp"))
    #expect(throws: LSMError.self) { try writer.finish() }

    let second = try SegmentWriter(directory: dir, options: SegmentFixture.options(), fileSystem: posix)
    try second.add(key: key, value: [1])
    #expect(throws: LSMError.self) { try second.add(key: key, value: [2]) }
    #expect(throws: LSMError.self) { try second.add(key: InternalKey(userKey: Array("k".utf8), sequence: 6, kind: .put).encoded, value: [2]) }
    #expect(throws: LSMError.self) { try second.add(key: [1, 2, 3], value: []) }
    #expect(throws: LSMError.self) { try second.add(key: Array("z".utf8) + [9, 0, 0, 0, 0, 0, 0, 0], value: []) }
    #expect(second.entryCount == 1)
    #expect(second.estimatedFileSize > 0)
    second.abandon()
    #expect(!posix.fileExists(second.temporaryPath))
    #expect(throws: LSMError.self) { try SegmentWriter(directory: dir, options: SegmentWriterOptions(blockSize: 0, creationTime: 0), fileSystem: posix) }
    #expect(throws: LSMError.self) { try SegmentWriter(directory: "\(dir)/missing", options: SegmentFixture.options(), fileSystem: posix) }
}

@Test func dumpRendersFooterPropertiesIndexAndEntries() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let entries = SegmentFixture.entries(userKeys: 50)
    let meta = try SegmentFixture.write(entries, to: dir, options: SegmentFixture.options(blockSize: 512))
    var lines: [String] = []
    try SegmentDump.dump(path: "\(dir)/\(meta.id.fileName)") { lines.append($0) }
    #expect(lines.contains { $0.hasPrefix("footer: version=1") })
    #expect(lines.contains { $0.contains("id=\(meta.id)") })
    #expect(lines.contains { $0.hasPrefix("index 0:") })
    #expect(lines.filter { $0.hasPrefix("  key=") }.count == entries.count)
    #expect(lines.contains { $0.contains("key=\(Hex.encode(entries[0].key.userKey)) seq=\(entries[0].key.sequence)") })
}
