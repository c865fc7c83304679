import Foundation
import ScribeTestSupport
import ScribeVerifier
import Testing
@testable import LSMEngine

/// A valid proof with any single byte or field changed must not verify.
@Suite struct ProofMutationTests {
    /// A store whose newest versions are spread over level 1 and a level-0 segment that
    /// covers the same keys, so latest-proofs carry probes of other segments.
    static func layeredStore(_ dir: TemporaryDirectory) throws -> LSMStore {
        var options = smallStoreOptions()
        options.automaticCompaction = false
        options.targetSegmentSize = 8 << 10
        let store = try LSMStore.open(at: dir.path, options: options)
        for round in 0..<2 {
            for i in 0..<300 { try store.put([UInt8]("key\(1000 + i)"), [UInt8]("r\(round)-\(i)"), options: .buffered) }
            try store.flush()
        }
        try store.compact()
        for i in stride(from: 1, to: 300, by: 2) {
            try store.put([UInt8]("key\(1000 + i)"), [UInt8]("r2-\(i)"), options: .buffered)
        }
        try store.flush()
        return store
    }

    /// Replaces the byte at each offset: a hex digit or decimal digit by another of its
    /// kind (so the document still parses), anything else by a flipped low bit.
    static func mutations(of json: [UInt8]) -> [[UInt8]] {
        let hexDigits = Array("0123456789abcdef".utf8)
        return json.indices.map { offset in
            var copy = json
            let byte = json[offset]
            if let at = hexDigits.firstIndex(of: byte) {
                copy[offset] = hexDigits[(at + 1) % hexDigits.count]
            } else {
                copy[offset] = byte ^ 0x01
            }
            return copy
        }
    }

    func expectEveryByteMutationFails(_ proof: Proof, _ expectation: ProofExpectation) throws {
        try ProofVerifier.verify(proof, expecting: expectation)
        let json = Array(ProofJSON.write(proof, pretty: false).utf8)
        var accepted: [Int] = []
        for (offset, mutated) in Self.mutations(of: json).enumerated() {
            if let parsed = try? ProofJSON.parse(mutated), (try? ProofVerifier.verify(parsed, expecting: expectation)) != nil {
                accepted.append(offset)
            }
        }
        #expect(accepted.isEmpty, "mutations accepted at offsets \(accepted.prefix(10)) of \(json.count)")
    }

    @Test func everyByteOfALatestProofMatters() throws {
        let dir = try TemporaryDirectory("mutate-latest")
        let store = try Self.layeredStore(dir)
        let key = [UInt8]("key1100")
        let proof = try store.prove(key)
        guard case .latest(let latest) = proof else {
            Issue.record("expected a latest proof")
            return
        }
        #expect(latest.segments.contains { $0.probe != nil }, "the proof should probe another segment")
        try expectEveryByteMutationFails(proof, ProofExpectation(
            key: key, value: [UInt8]("r1-100"), digest: store.versions.current.digest, claim: .latest))
        try store.close()
    }

    @Test func everyByteOfAnAbsenceAndAnInclusionProofMatters() throws {
        let dir = try TemporaryDirectory("mutate-absence")
        let store = try Self.layeredStore(dir)
        let digest = store.versions.current.digest
        let missing = [UInt8]("key1100x")
        try expectEveryByteMutationFails(
            try store.prove(missing), ProofExpectation(key: missing, digest: digest, claim: .absence))
        let key = [UInt8]("key1101")
        let old = try #require(try store.versions(of: key).last)
        try expectEveryByteMutationFails(
            try store.prove(key, sequence: old.sequence),
            ProofExpectation(key: key, value: old.value, digest: digest, claim: .inclusion))
        try store.close()
    }

    @Test func everyByteOfAConsistencyProofMatters() throws {
        let dir = try TemporaryDirectory("mutate-consistency")
        let store = try Self.layeredStore(dir)
        let history = store.versions.history
        let proof = try store.proveConsistency(fromVersion: 2)
        try expectEveryByteMutationFails(
            proof, ProofExpectation(digest: history[history.count - 1].digest, fromDigest: history[1].digest))
        try store.close()
    }

    @Test func droppingOrReorderingAnyPartFails() throws {
        let dir = try TemporaryDirectory("mutate-fields")
        let store = try Self.layeredStore(dir)
        let key = [UInt8]("key1100")
        guard case .latest(let valid) = try store.prove(key) else {
            Issue.record("expected a latest proof")
            return
        }
        let expectation = ProofExpectation(key: key, digest: store.versions.current.digest)
        var variants: [(String, LatestProof)] = []
        for i in valid.segments.indices {
            var p = valid
            p.segments.remove(at: i)
            variants.append(("without segment \(i)", p))
            if var probe = p.segments.indices.contains(i) ? valid.segments[i].probe : nil {
                probe.before = nil
                var q = valid
                q.segments[i].probe = probe
                variants.append(("probe \(i) without before", q))
            }
        }
        if valid.segments.count > 1 {
            var p = valid
            p.segments.swapAt(0, 1)
            variants.append(("segments swapped", p))
        }
        var p = valid
        p.previous = nil
        variants.append(("without previous", p))
        p = valid
        p.inclusion.leaf.position.blockPath.removeLast()
        variants.append(("block path shortened", p))
        p = valid
        p.inclusion.leaf.position.segmentPath.append([UInt8](repeating: 7, count: 32))
        variants.append(("segment path lengthened", p))
        p = valid
        p.inclusion.recordPosition.index ^= 1
        variants.append(("record index changed", p))
        p = valid
        p.inclusion.leaf.position.entryCount += 1
        variants.append(("block entry count + 1", p))
        p = valid
        p.inclusion.segment.blockCount += 1
        variants.append(("segment block count + 1", p))
        for (name, variant) in variants {
            #expect(throws: ProofVerificationError.self, Comment(rawValue: name)) {
                try ProofVerifier.verify(.latest(variant), expecting: expectation)
            }
        }
        let asInclusion = Proof.inclusion(InclusionProof(key: key, inclusion: valid.inclusion, manifest: valid.manifest))
        #expect(throws: ProofVerificationError.self) {
            try ProofVerifier.verify(asInclusion, expecting: ProofExpectation(claim: .latest))
        }
        try store.close()
    }
}
