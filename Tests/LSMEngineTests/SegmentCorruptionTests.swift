import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine

private func isCorruption(_ error: any Error) -> Bool {
    if case LSMError.corruption = error { return true }
    return false
}

private func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

private func writeBytes(_ bytes: [UInt8], _ path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A small multi-block segment with LZ4-compressed and raw blocks; returns its path.
private func smallSegment(in dir: String, compression: SegmentCompression = .lz4) throws -> String {
    let entries = SegmentFixture.entries(userKeys: 16, seed: 3)
    let meta = try SegmentFixture.write(entries, to: dir, options: SegmentFixture.options(blockSize: 300, compression: compression))
    return "\(dir)/\(meta.id.fileName)"
}

/// Opens `path` and reads every entry both ways; returns whether all of it
/// succeeded. Any failure must be `.corruption`.
@discardableResult
private func openAndIterate(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    do {
        let reader = try SegmentReader.open(path: path, fileSystem: posix)
        let it = reader.makeIterator()
        try it.seekToFirst()
        while it.isValid { try it.next() }
        try it.seekToLast()
        while it.isValid { try it.prev() }
        _ = try Array("user-000003".utf8).withUnsafeBytes { try reader.get(userKey: $0, atSequence: .max) }
        return true
    } catch {
        #expect(isCorruption(error), "\(error)", sourceLocation: sourceLocation)
        return false
    }
}

/// Expects `SegmentVerifier.verify` to throw `.corruption` for `path`.
private func expectVerifyFails(_ path: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try SegmentVerifier.verify(path: path, fileSystem: posix)
        Issue.record("verify accepted \(what)", sourceLocation: sourceLocation)
    } catch {
        #expect(isCorruption(error), "\(error)", sourceLocation: sourceLocation)
    }
}

@Test func flippingAnyByteIsDetected() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let path = try smallSegment(in: dir)
    let original = try readBytes(path)
    let reader = try SegmentReader.open(path: path, fileSystem: posix)
    #expect(reader.blockCount >= 3)
    #expect(original.count < 8192)
    for offset in 0..<original.count {
        for mask: UInt8 in [0x01, 0xA5] {
            var bytes = original
            bytes[offset] ^= mask
            try writeBytes(bytes, path)
            openAndIterate(path)
            expectVerifyFails(path, "a flip of byte \(offset) by \(mask)")
        }
    }
    try writeBytes(original, path)
    #expect(openAndIterate(path))
    _ = try SegmentVerifier.verify(path: path, fileSystem: posix)
}

@Test func truncationAtAnyLengthIsDetected() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let path = try smallSegment(in: dir)
    let original = try readBytes(path)
    for length in 0..<original.count {
        try writeBytes(Array(original[0..<length]), path)
        #expect(!openAndIterate(path), "truncated to \(length) bytes")
        expectVerifyFails(path, "truncation to \(length) bytes")
    }
    try writeBytes(original + [0, 1, 2, 3], path)
    #expect(!openAndIterate(path))
}

@Test func randomFilesAreRejected() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    var rng = SeededGenerator(seed: 11)
    let path = "\(dir)/random.sst"
    for size in [0, 1, 63, 64, 65, 200, 5000] {
        try writeBytes(rng.bytes(size), path)
        #expect(!openAndIterate(path))
    }
    // A valid footer magic alone is not enough.
    var fake = [UInt8](repeating: 0, count: 120)
    fake.replaceSubrange(112..<120, with: withUnsafeBytes(of: SegmentFooter.magic.littleEndian) { Array($0) })
    try writeBytes(fake, path)
    #expect(!openAndIterate(path))
}

/// Rewrites the raw (kind 0) block at `handle` in `bytes` with `mutate` and
/// recomputes its CRC, so only the parser's own checks can catch the change.
private func reseal(_ bytes: inout [UInt8], _ handle: BlockHandle, _ mutate: (inout [UInt8]) -> Void) {
    let start = Int(handle.offset), end = start + Int(handle.size)
    precondition(bytes[end] == 0, "reseal needs an uncompressed block")
    var raw = Array(bytes[start..<end])
    mutate(&raw)
    precondition(raw.count == end - start)
    bytes.replaceSubrange(start..<end, with: raw)
    let crc = CRC32C.mask(CRC32C.checksum(bytes[start...end]))
    bytes.replaceSubrange((end + 1)..<(end + 5), with: [UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8((crc >> 16) & 0xFF), UInt8(crc >> 24)])
}

@Test func parserChecksCatchResealedDamage() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let path = try smallSegment(in: dir, compression: .none)
    let original = try readBytes(path)
    let reader = try SegmentReader.open(path: path, fileSystem: posix)
    let footer = reader.footer
    let propertiesBytes = try SegmentProperties.decode(
        Array(original[Int(footer.properties.offset)..<Int(footer.properties.offset + footer.properties.size)]),
        file: path, offset: 0)

    func attempt(_ what: String, opens: Bool, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = original
        change(&bytes)
        try writeBytes(bytes, path)
        #expect(openAndIterate(path) == opens, "\(what)")
        expectVerifyFails(path, what)
    }

    try attempt("footer version 2", opens: false) { bytes in
        let f = bytes.count - 64
        bytes[f + 48] = 2
        let crc = CRC32C.mask(CRC32C.checksum(bytes[f..<(f + 52)]))
        bytes.replaceSubrange((f + 52)..<(f + 56), with: withUnsafeBytes(of: crc.littleEndian) { Array($0) })
    }
    try attempt("footer handles swapped", opens: false) { bytes in
        let f = bytes.count - 64
        let footerBytes = SegmentFooter(index: footer.filter, filter: footer.index, blockRoots: footer.blockRoots,
                                        properties: footer.properties).encode()
        bytes.replaceSubrange(f..<bytes.count, with: footerBytes)
    }
    try attempt("properties version 2", opens: false) { reseal(&$0, footer.properties) { $0[0] = 2 } }
    try attempt("properties root changed", opens: false) { reseal(&$0, footer.properties) { $0[$0.count - 1] ^= 1 } }
    try attempt("properties entry count changed", opens: false) { bytes in
        let idLength = 1 + propertiesBytes.id.rawValue.utf8.count
        reseal(&bytes, footer.properties) { $0[4 + idLength + 4] ^= 1 }
    }
    try attempt("block root changed", opens: false) { reseal(&$0, footer.blockRoots) { $0[5] ^= 1 } }
    try attempt("block entry count zero", opens: false) { reseal(&$0, footer.blockRoots) { $0[0...3] = [0, 0, 0, 0] } }
    try attempt("block entry count moved between blocks", opens: false) { bytes in
        reseal(&bytes, footer.blockRoots) { $0[0] &+= 1; $0[BlockCommitment.encodedSize] &-= 1 }
    }
    try attempt("data block value changed", opens: true) { reseal(&$0, reader.blockHandles[1]) { $0[20] ^= 1 } }
    try attempt("index handle size changed", opens: false) { bytes in
        reseal(&bytes, footer.index) { raw in
            // The first entry: shared 0, key length, value length 2+, key, then varint offset 0, varint size.
            let keyLength = Int(raw[1])
            raw[3 + keyLength + 1] ^= 1
        }
    }
    try attempt("filter probe count zero", opens: false) { reseal(&$0, footer.filter) { $0[$0.count - 1] = 0 } }
    try attempt("filter bits cleared", opens: true) { reseal(&$0, footer.filter) { raw in
        for i in 0..<(raw.count - 1) { raw[i] = 0 }
    } }
    try writeBytes(original, path)
    _ = try SegmentVerifier.verify(path: path, fileSystem: posix)
}

@Test func fileNameMustMatchTheSegmentID() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let path = try smallSegment(in: dir)
    let renamed = "\(dir)/L0-1-2-00.sst"
    try posix.rename(path, to: renamed)
    #expect(!openAndIterate(renamed))
    let neutral = "\(dir)/download.part"
    try posix.rename(renamed, to: neutral)
    #expect(openAndIterate(neutral))
    expectVerifyFails(neutral, "a file not named by its id")
}
