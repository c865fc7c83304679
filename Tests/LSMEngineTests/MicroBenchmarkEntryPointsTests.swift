import Testing
@testable import LSMEngine
@testable import MicroBenchmarkFixtures
import ScribeCrypto

private typealias Entry = MicroBenchmarkEntryPoints

/// Key `i` as the workload builds it: 8 bytes big-endian, then ASCII '0' to 16 bytes.
private func workloadKey(_ i: Int) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: UInt64(i) >> UInt64(56 - 8 * $0)) } + [UInt8](repeating: UInt8(ascii: "0"), count: 8)
}

private func first8(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { readFixed64($0, at: 0) } }

@Test func workloadProbeOrderIsAPermutationOfItsKeys() {
    let workload = Entry.Workload(count: 1_000, valueSize: 10)
    let probed = Set((0..<1_000).map(workload.probeIndex))
    #expect(probed == Set(0..<1_000))
    #expect((0..<1_000).map(workload.probeIndex) != Array(0..<1_000))
    #expect(workload.probeIndex(1_000 + 7) == workload.probeIndex(7))
    #expect(workload.withKey(300) { Array($0) } == workloadKey(300))
}

@Test func memtableInsertAddsEveryKey() {
    #expect(Entry.memtableInsert(Entry.Workload(count: 500, valueSize: 100)) == 500)
}

@Test func memtableFixtureFindsEveryProbedKeyAcrossTheWrap() {
    let fixture = Entry.MemtableFixture(Entry.Workload(count: 300, valueSize: 100))
    #expect(fixture.get(probes: 0..<300) == 300)
    #expect(fixture.get(probes: 250..<1_250) == 1_000)
}

@Test func blocksBuiltInOneGoMatchTheFixtureBlock() throws {
    let workload = Entry.Workload(count: 34, valueSize: 100)
    let fixture = try Entry.BlockFixture(workload)
    #expect(Entry.buildBlocks(workload, blockSize: 1 << 20) == fixture.blockBytes)
    #expect(fixture.blockBytes > 34 * 100)
    #expect(Entry.buildBlocks(Entry.Workload(count: 1_000, valueSize: 100)) > 1_000 * 100)
}

@Test func blockFixtureSeeksLandOnTheirKeys() throws {
    let fixture = try Entry.BlockFixture(Entry.Workload(count: 34, valueSize: 100))
    #expect(try fixture.seek(probes: 0..<1_000) == 1_000)
}

@Test func bloomFixtureAnswersEveryMemberAndFewNonMembers() throws {
    let fixture = try Entry.BloomFixture(Entry.Workload(count: 20_000, valueSize: 0), bitsPerKey: 10)
    let positive = fixture.probe(probes: 0..<20_000)
    #expect(positive >= 10_000)
    #expect(positive < 10_000 + 300)
}

@Test func entryLeafHashesFoldTheSegmentWritersLeaves() {
    let workload = Entry.Workload(count: 10, valueSize: 100)
    let valueHash = SHA256.hash(workload.value)
    func leaf(_ i: Int) -> [UInt8] {
        let next = i + 1 < 10 ? workloadKey(i + 1) : []
        return workloadKey(i).withUnsafeBytes { key in
            next.withUnsafeBytes { n in
                EntryLeaf.hash(userKey: key, trailer: UInt64(i + 1) << 8 | 1, valueHash: valueHash, nextUserKey: n)
            }
        }
    }
    #expect(Entry.entryLeafHashes(workload, indices: 3..<4) == first8(leaf(3)))
    #expect(Entry.entryLeafHashes(workload, indices: 9..<10) == first8(leaf(9)))
    #expect(Entry.entryLeafHashes(workload, indices: 0..<2) == first8(leaf(0)) ^ first8(leaf(1)))
    let oneBlockRoot = MerkleTree.root(of: [BlockCommitment(entryCount: 10, root: MerkleTree.root(of: (0..<10).map(leaf))).leafHash])
    #expect(Entry.segmentMerkleRoot(workload, entriesPerBlock: 10) == first8(oneBlockRoot))
    #expect(Entry.segmentMerkleRoot(workload, entriesPerBlock: 3) != first8(oneBlockRoot))
}

@Test func crc32cMatchesTheStandardCheckValue() {
    #expect(Entry.crc32c(Array("123456789".utf8)) == 0xe306_9283)
}
