import LSMEngine
import ScribeVerifier

/// libFuzzer target: the input is a proof document, untrusted JSON as `scribe-kv
/// verify-proof` reads it. `JSONParser` reads it as plain JSON and `ProofJSON` as a
/// proof; whatever parses is verified (either outcome is fine). Invariants: JSON that
/// parses, written compact or pretty by `JSONWriter`, parses back to an equal value; a
/// proof that parses, written compact or pretty by `ProofJSON`, parses back to an equal
/// proof; a proof that verifies verifies again pinned to its own key, digest and claim.
public enum FuzzProof {
    public static func run(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes) else { return }
        for pretty in [false, true] {
            let again = try? JSONParser.parse(Array(JSONWriter.write(value, pretty: pretty).utf8))
            FuzzSupport.check(again == value, "JSON written \(pretty ? "pretty" : "compact") does not parse back equal")
        }
        guard let proof = try? ProofJSON.parse(bytes) else { return }
        for pretty in [false, true] {
            let again = try? ProofJSON.parse(Array(ProofJSON.write(proof, pretty: pretty).utf8))
            FuzzSupport.check(again == proof, "proof written \(pretty ? "pretty" : "compact") does not parse back equal")
        }
        guard let claim = try? ProofVerifier.verify(proof) else { return }
        let pinned = ProofExpectation(
            key: claim.claim == .consistency ? nil : claim.key, digest: claim.digest, claim: claim.claim)
        let again = try? ProofVerifier.verify(proof, expecting: pinned)
        FuzzSupport.check(again == claim, "a verified proof fails pinned to its own key, digest and claim")
    }

    /// Compact JSON of proofs from a small store (retaining every version): several
    /// level-0 segments compacted into level 1, then one more level-0 segment whose key
    /// range covers level-1 keys, and an unflushed write. Latest proofs of a level-1 key
    /// under that level-0 segment, of a level-0 put and of a level-0 delete; absence
    /// proofs inside and outside the key range; an inclusion proof of an older version;
    /// the pending answer for the unflushed key; a consistency proof over every version.
    public static func seeds() throws -> [[UInt8]] {
        let directory = "\(FuzzSupport.scratch)/seed-proofs"
        FuzzSupport.removeDirectory(directory)
        defer { FuzzSupport.removeDirectory(directory) }
        var options = StoreOptions()
        options.blockSize = 256
        options.targetSegmentSize = 4 << 10
        options.automaticCompaction = false
        options.historyPolicy = .retainAll
        let store = try LSMStore.open(at: directory, options: options)
        func key(_ i: Int) -> [UInt8] { Array("key-\(1000 + i)".utf8) }
        var firstSequence: SequenceNumber = 0
        for round in 0..<3 {
            for i in 0..<120 {
                let sequence = try store.put(key(i), Array("value-\(round)-\(i)".utf8), options: .buffered)
                if round == 0 && i == 10 { firstSequence = sequence }
            }
            try store.flush()
        }
        try store.compact()
        _ = try store.put(key(10), Array("newest".utf8), options: .buffered)
        _ = try store.delete(key(15), options: .buffered)
        _ = try store.put(key(30), Array("newest".utf8), options: .buffered)
        try store.flush()
        _ = try store.put(Array("pending-key".utf8), Array("unflushed".utf8), options: .buffered)
        let proofs = [
            try store.prove(key(20)), try store.prove(key(10)), try store.prove(key(15)),
            try store.prove(Array("key-1020a".utf8)), try store.prove(Array("zzz".utf8)),
            try store.prove(key(10), sequence: firstSequence), try store.prove(Array("pending-key".utf8)),
            try store.proveConsistency(fromVersion: 0),
        ]
        try store.close()
        return proofs.map { Array(ProofJSON.write($0, pretty: false).utf8) }
    }
}
