import HTTPTypes
import Hummingbird
import ScribeVerifier

/// `GET /verify/{key}`: the `scribe-proof-v1` document of docs/proofs.md for the key's
/// newest version (latest, absence, or pending), plus `"verified"` as the node's own
/// `ProofVerifier` found it. Clients should verify it themselves against a digest
/// they trust; `verified` only reports the server's check.
struct ProofRoutes {
    let service: any KVService
    let reading: RequestReading

    func add(to router: Router<ScribeRequestContext>) {
        router.get("/verify/{key}") { _, context in try await verify(context) }
    }

    private func verify(_ context: ScribeRequestContext) async throws -> Response {
        let key = try reading.key(context)
        let proof = try await service.prove(key: key)
        let verified: Bool
        if case .pending = proof {
            verified = false
        } else {
            verified = (try? ProofVerifier.verify(proof, expecting: ProofExpectation(key: key))) != nil
        }
        guard case .object(var members) = ProofJSON.encode(proof) else {
            throw APIError(.internalServerError, code: "internal", "the proof did not encode as an object")
        }
        members.append(("verified", .bool(verified)))
        return JSONResponse.make(.object(members), status: verified || proof.isPending ? .ok : .internalServerError)
    }
}

extension Proof {
    var isPending: Bool {
        if case .pending = self { return true }
        return false
    }
}
