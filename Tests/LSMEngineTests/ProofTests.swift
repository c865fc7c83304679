import Foundation
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
        let dir = TemporaryDirectory("prove-basic")
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
        let dir = TemporaryDirectory("prove-pending")
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
        let dir = TemporaryDirectory("prove-empty")
        let store = try LSMStore.open(at: dir.path, options: options())
        try verified(try store.prove([UInt8]("k")), key: [UInt8]("k"), digest: store.versions.current.digest, claim: .absence)
        try store.close()
    }
}
