import Foundation
import ScribeTestSupport
import ScribeVerifier
import Testing
@testable import LSMEngine

/// Proofs built by the store and checked by the dependency-free verifier.
@Suite struct ProofTests {
    func options(_ policy: HistoryPolicy = .retainAll) -> StoreOptions {
        var options = smallStoreOptions()
        options.historyPolicy = policy
        options.automaticCompaction = false
        options.targetSegmentSize = 8 << 10
        return options
    }

    /// Verifies `proof` pinned to the store's current digest and, through JSON, again.
    @discardableResult
    func verified(
        _ proof: Proof, key: [UInt8], value: [UInt8]? = nil, digest: [UInt8], claim: ProofClaim
    ) throws -> VerifiedClaim {
        let expectation = ProofExpectation(key: key, value: value, digest: digest, claim: claim)
        let result = try ProofVerifier.verify(proof, expecting: expectation)
        let json = ProofJSON.write(proof, pretty: false)
        #expect(try ProofJSON.parse(Array(json.utf8)) == proof)
        #expect(try ProofJSON.parse(Array(ProofJSON.write(proof, pretty: true).utf8)) == proof)
        return result
    }

    @Test func flushedKeysHaveLatestProofsAndGapsHaveAbsenceProofs() throws {
        let dir = try TemporaryDirectory("prove-basic")
        let store = try LSMStore.open(at: dir.path, options: options())
        for i in stride(from: 0, to: 400, by: 2) {
            try store.put([UInt8]("key\(1000 + i)"), [UInt8]("value\(i)"), options: .buffered)
        }
        try store.flush()
        let digest = store.versions.current.digest
        for i in stride(from: 0, to: 400, by: 2) {
            let key = [UInt8]("key\(1000 + i)")
            let proof = try store.prove(key)
            let result = try verified(proof, key: key, value: [UInt8]("value\(i)"), digest: digest, claim: .latest)
            #expect(result.entry?.sequence == UInt64(i / 2 + 1))
        }
        for key in ["a", "key1001", "key1399", "zzz"].map({ [UInt8]($0) }) {
            try verified(try store.prove(key), key: key, digest: digest, claim: .absence)
        }
        try store.close()
    }

    @Test func memtableOnlyKeysArePendingUntilFlushed() throws {
        let dir = try TemporaryDirectory("prove-pending")
        let store = try LSMStore.open(at: dir.path, options: options())
        let sequence = try store.put([UInt8]("k"), [UInt8]("v"))
        guard case .pending(let notice) = try store.prove([UInt8]("k")) else {
            Issue.record("expected a pending answer")
            return
        }
        #expect(notice.sequence == sequence)
        #expect(notice.message.contains("flush"))
        #expect(throws: ProofVerificationError.self) { try ProofVerifier.verify(.pending(notice)) }
        try store.flush()
        try verified(
            try store.prove([UInt8]("k")), key: [UInt8]("k"), value: [UInt8]("v"),
            digest: store.versions.current.digest, claim: .latest)
        try store.close()
    }

    @Test func emptyStoreProvesAbsence() throws {
        let dir = try TemporaryDirectory("prove-empty")
        let store = try LSMStore.open(at: dir.path, options: options())
        try verified(try store.prove([UInt8]("k")), key: [UInt8]("k"), digest: store.versions.current.digest, claim: .absence)
        try store.close()
    }

    /// Writes `rounds` versions of 200 keys (some rounds delete every seventh key),
    /// flushing after each round: several overlapping level-0 segments.
    func fill(_ store: LSMStore, rounds: Int, from firstRound: Int = 0) throws {
        for round in firstRound..<(firstRound + rounds) {
            for i in 0..<200 {
                let key = [UInt8]("key\(1000 + i * 3)")
                if round % 2 == 1 && i % 7 == 0 {
                    try store.delete(key, options: .buffered)
                } else {
                    try store.put(key, [UInt8]("r\(round)-v\(i)"), options: .buffered)
                }
            }
            try store.flush()
        }
    }

    /// Checks every key (and the gaps around it) against the store's own reads.
    func checkEveryKey(_ store: LSMStore) throws {
        let digest = store.versions.current.digest
        for i in 0..<200 {
            let key = [UInt8]("key\(1000 + i * 3)")
            let newest = try #require(try store.lookup(key))
            let result = try verified(
                try store.prove(key), key: key, value: newest.isDeleted ? nil : newest.value, digest: digest,
                claim: .latest)
            #expect(result.entry?.sequence == newest.sequence)
            #expect(result.entry?.kind == (newest.isDeleted ? .delete : .put))
            let gap = [UInt8]("key\(1000 + i * 3 + 1)")
            try verified(try store.prove(gap), key: gap, digest: digest, claim: .absence)
        }
    }

    @Test func latestProofsHoldOverOverlappingLevelZeroAndAfterCompaction() throws {
        let dir = try TemporaryDirectory("prove-levels")
        let store = try LSMStore.open(at: dir.path, options: options())
        try fill(store, rounds: 4)
        #expect(store.stats().levels[0].segments == 4)
        try checkEveryKey(store)
        try store.compact()
        #expect(store.stats().levels[0].segments == 0)
        #expect(store.stats().levels[1].segments > 1)
        try checkEveryKey(store)
        try fill(store, rounds: 2, from: 4)
        try checkEveryKey(store)
        try store.close()
    }

    @Test func oldProofsKeepVerifyingAgainstTheirDigestAndTheChainLinksThem() throws {
        let dir = try TemporaryDirectory("prove-history")
        let store = try LSMStore.open(at: dir.path, options: options())
        try fill(store, rounds: 3)
        let key = [UInt8]("key1009")
        let before = try store.prove(key)
        let oldVersion = store.versions.current.versionNumber
        let oldDigest = store.versions.current.digest
        try store.compact()
        try fill(store, rounds: 1, from: 3)
        let newDigest = store.versions.current.digest
        #expect(newDigest != oldDigest)
        try verified(before, key: key, value: [UInt8]("r2-v3"), digest: oldDigest, claim: .latest)
        #expect(throws: ProofVerificationError.self) {
            try ProofVerifier.verify(before, expecting: ProofExpectation(digest: newDigest))
        }
        try verified(try store.prove(key), key: key, value: [UInt8]("r3-v3"), digest: newDigest, claim: .latest)
        let link = try store.proveConsistency(fromVersion: oldVersion)
        let result = try ProofVerifier.verify(
            link, expecting: ProofExpectation(digest: newDigest, fromDigest: oldDigest, claim: .consistency))
        #expect(result.manifestVersion == store.versions.current.versionNumber)
        #expect(try ProofJSON.parse(Array(ProofJSON.write(link, pretty: false).utf8)) == link)
        let whole = try store.proveConsistency(fromVersion: 0)
        try ProofVerifier.verify(whole, expecting: ProofExpectation(digest: newDigest, fromDigest: [UInt8](repeating: 0, count: 32)))
        #expect(throws: LSMError.self) { try store.proveConsistency(fromVersion: 5, toVersion: 5) }
        try store.close()
    }

    @Test func everyRetainedVersionHasAnInclusionProof() throws {
        let dir = try TemporaryDirectory("prove-versions")
        let store = try LSMStore.open(at: dir.path, options: options())
        try fill(store, rounds: 4)
        try store.compact()
        let digest = store.versions.current.digest
        let key = [UInt8]("key1000")
        let all = try store.versions(of: key)
        #expect(all.count == 4)
        for version in all {
            let proof = try store.prove(key, sequence: version.sequence)
            let result = try verified(
                proof, key: key, value: version.isDeleted ? nil : version.value, digest: digest, claim: .inclusion)
            #expect(result.entry?.sequence == version.sequence)
        }
        #expect(throws: LSMError.self) { try store.prove(key, sequence: 999_999) }
        try store.close()
    }

    @Test func latestOnlyStoresProveTheSurvivingVersion() throws {
        let dir = try TemporaryDirectory("prove-latest-only")
        let store = try LSMStore.open(at: dir.path, options: options(.latestOnly))
        try fill(store, rounds: 3)
        try store.compact()
        try checkEveryKey(store)
        try store.close()
    }

    @Test func reopenedStoresProveAgainstTheRecoveredChain() throws {
        let dir = try TemporaryDirectory("prove-reopen")
        var store = try LSMStore.open(at: dir.path, options: options())
        try fill(store, rounds: 2)
        let digest = store.versions.current.digest
        try store.close()
        store = try LSMStore.open(at: dir.path, options: options())
        #expect(store.versions.current.digest == digest)
        try checkEveryKey(store)
        try store.close()
    }

    /// Random stores (writes, deletes, flushes, compactions, reopens): every key's proof
    /// agrees with what the store reads, and every retained version has an inclusion proof.
    @Test(arguments: [11, 12, 13] as [UInt64]) func randomStoresProveWhatTheyRead(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let dir = try TemporaryDirectory("prove-random")
        var options = options(seed % 2 == 0 ? .latestOnly : .retainAll)
        options.automaticCompaction = true
        options.level0CompactionTrigger = 2
        var store = try LSMStore.open(at: dir.path, options: options)
        let keys = (0..<120).map { [UInt8]("k\($0 * 7 % 120)") }
        for step in 1...1500 {
            let key = keys[Int.random(in: 0..<keys.count, using: &random)]
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<70: try store.put(key, random.bytes(Int.random(in: 0..<40, using: &random)), options: .buffered)
            case 70..<90: try store.delete(key, options: .buffered)
            case 90..<96: try store.flush()
            case 96..<99: try store.compact()
            default:
                try store.close()
                store = try LSMStore.open(at: dir.path, options: options)
            }
            if step % 300 == 0 { try checkAgainstReads(store, keys: keys, random: &random) }
        }
        try store.close()
    }

    func checkAgainstReads(_ store: LSMStore, keys: [[UInt8]], random: inout SeededGenerator) throws {
        for key in keys + [[UInt8]("k"), [UInt8]("k5x"), [UInt8]("zz")] {
            let newest = try store.lookup(key)
            let proof = try store.prove(key)
            switch proof {
            case .pending(let notice):
                #expect(notice.sequence == newest?.sequence)
            case .absence:
                #expect(newest == nil)
                try ProofVerifier.verify(proof, expecting: ProofExpectation(key: key))
            case .latest:
                let result = try ProofVerifier.verify(
                    proof, expecting: ProofExpectation(key: key, value: newest?.isDeleted == false ? newest?.value : nil))
                #expect(result.entry?.sequence == newest?.sequence)
            default:
                Issue.record("unexpected claim for a latest request")
            }
        }
        let key = keys[Int.random(in: 0..<keys.count, using: &random)]
        for version in try store.versions(of: key) {
            let proof = try store.prove(key, sequence: version.sequence)
            if case .pending = proof { continue }
            let result = try ProofVerifier.verify(proof, expecting: ProofExpectation(key: key, claim: .inclusion))
            #expect(result.entry?.sequence == version.sequence)
        }
    }
}
