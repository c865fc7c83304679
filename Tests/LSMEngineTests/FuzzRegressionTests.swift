import Foundation
import FuzzSupport
import LSMEngine
import ScribeTestSupport
import ScribeVerifier
import Testing

/// Replays the committed fuzzing inputs through the harnesses' own entry
/// points (`Fuzz/FuzzSupport`), so every seed stays parseable by the engine
/// and every crash found by fuzzing stays fixed. Serialized: the harnesses
/// share one scratch directory per process.
@Suite(.serialized)
struct FuzzRegressionTests {
    static let targets: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [
        ("FuzzSegment", FuzzSegment.run), ("FuzzSegmentMutation", FuzzSegmentMutation.run), ("FuzzWAL", FuzzWAL.run),
        ("FuzzManifest", FuzzManifest.run), ("FuzzBlock", FuzzBlock.run), ("FuzzProof", FuzzProof.run),
        ("FuzzS3XML", FuzzS3XML.run),
    ]

    /// `Fuzz/corpus/<target>/` in the source tree.
    static func corpus(_ target: String) throws -> [[UInt8]] {
        let directory = URL(fileURLWithPath: SourceTree.path("Fuzz/corpus/\(target)"))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.map { [UInt8](try Data(contentsOf: directory.appendingPathComponent($0))) }
    }

    /// Files under `Fixtures/fuzz/<target>/` in the test bundle (crash reproducers).
    static func fixtures(_ target: String) throws -> [[UInt8]] {
        guard let base = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/fuzz/\(target)"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: base.path)
        else { return [] }
        return try names.sorted().map { [UInt8](try Data(contentsOf: base.appendingPathComponent($0))) }
    }

    @Test func everySeedCorpusReplaysThroughItsHarness() throws {
        for target in Self.targets {
            let seeds = try Self.corpus(target.name)
            #expect(!seeds.isEmpty, "no seeds for \(target.name)")
            for seed in seeds { target.run(seed) }
        }
    }

    @Test func everyCommittedCrashInputReplaysThroughItsHarness() throws {
        var replayed = 0
        for target in Self.targets {
            for input in try Self.fixtures(target.name) {
                target.run(input)
                replayed += 1
            }
        }
        #expect(replayed > 0, "no crash inputs found in the test bundle")
    }

    @Test func seedSegmentsOpenVerifyAndRecomputeTheirRoot() throws {
        try withTemporaryDirectory { directory in
            for seed in try Self.corpus("FuzzSegment") {
                let probe = directory + "/probe.segment"
                try Data(seed).write(to: URL(fileURLWithPath: probe))
                let path = directory + "/" + (try UntrustedInput.segmentFileName(path: probe))
                try FileManager.default.moveItem(atPath: probe, toPath: path)
                let entries = try UntrustedInput.segmentEntries(path: path)
                #expect(entries.forward.count > 0)
                try UntrustedInput.verifySegment(path: path)
                let roots = try UntrustedInput.segmentRoots(path: path)
                #expect(roots.stored == roots.recomputed)
                try FileManager.default.removeItem(atPath: path)
            }
        }
    }

    @Test func seedWALAndManifestDecodeStrictly() throws {
        try withTemporaryDirectory { directory in
            for seed in try Self.corpus("FuzzWAL") {
                let path = directory + "/seed.log"
                try Data(seed).write(to: URL(fileURLWithPath: path))
                #expect(try UntrustedInput.walOperations(path: path, lenient: false) > 0)
            }
        }
        for seed in try Self.corpus("FuzzManifest") {
            let edits = try UntrustedInput.manifestEdits(seed)
            #expect(edits > 0)
            #expect(try UntrustedInput.manifestReplay(seed).versionNumber == UInt64(edits))
        }
    }

    @Test func seedBlocksParseWithEntries() throws {
        var parsed = 0
        for seed in try Self.corpus("FuzzBlock") where seed.first == 1 || seed.first == 2 {
            let entries = try UntrustedInput.blockEntries(Array(seed.dropFirst()), stored: seed.first == 2)
            #expect(!entries.forward.isEmpty)
            parsed += 1
        }
        #expect(parsed > 0)
    }

    @Test func proofSeedsParseAndVerifyExceptThePendingAnswer() throws {
        var claims: [ProofClaim] = []
        var probedLatest = 0
        for seed in try Self.corpus("FuzzProof") {
            let proof = try ProofJSON.parse(seed)
            if case .latest(let latest) = proof, latest.segments.contains(where: { $0.probe != nil }) { probedLatest += 1 }
            if case .pending = proof {
                #expect(throws: ProofVerificationError.self) { try ProofVerifier.verify(proof) }
                claims.append(.pending)
            } else {
                claims.append(try ProofVerifier.verify(proof).claim)
            }
        }
        #expect(Set(claims) == Set(ProofClaim.allCases))
        #expect(probedLatest > 0, "no latest proof of a level-1 key under a level-0 segment covering it")
    }

    @Test func mutationSeedsBuildSegmentsThatVerify() throws {
        try withTemporaryDirectory { directory in
            let path = try FuzzSupport.SegmentFixture.build(
                directory: directory,
                entries: [(Array("a".utf8), 2, true, [1]), (Array("a".utf8), 2, false, []), (Array("b".utf8), 1, false, [])],
                blockSize: 64, restartInterval: 1, compressed: true, bloomBitsPerKey: 10)
            try UntrustedInput.verifySegment(path: path)
            #expect(try UntrustedInput.segmentEntries(path: path).forward.count == 2)
            let regions = try UntrustedInput.segmentRegions(path: path)
            #expect(Set(regions.keys) == Set(UntrustedInput.SegmentRegion.allCases))
        }
    }

    @Test func resealingAnUneditedRegionReproducesItsChecksum() throws {
        try withTemporaryDirectory { directory in
            let path = try FuzzSupport.SegmentFixture.build(
                directory: directory, entries: (0..<20).map { (Array("k\($0)".utf8), UInt64($0) + 1, true, [UInt8($0)]) },
                blockSize: 64, restartInterval: 2, compressed: false, bloomBitsPerKey: 10)
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            for (kind, ranges) in try UntrustedInput.segmentRegions(path: path) {
                for range in ranges {
                    var file = original
                    let checksum = kind == .footer ? (range.lowerBound + 52)..<(range.lowerBound + 56) : range.suffix(4)
                    for i in checksum { file[i] = 0 }
                    FuzzSupport.SegmentFixture.reseal(&file, range: range, footer: kind == .footer)
                    #expect(file == original, "\(kind) \(range)")
                }
            }
        }
    }
}
