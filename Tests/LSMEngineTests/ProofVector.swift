import ScribeVerifier
import Testing
import ScribeBytes

/// One test vector of `Tests/ScribeVerifierTests/Vectors` (format in that folder's
/// README.md): a proof document, what the verifier is told to expect, and the outcome.
struct ProofVector {
    enum Outcome {
        /// Verification succeeds and establishes this claim.
        case valid(VerifiedClaim)
        /// Parsing or verification fails with a message containing this text.
        case invalid(error: String)
    }

    /// The file name without `.json`: `<nn>-<name>`.
    var name: String
    var description: String
    var expect: ProofExpectation
    /// The proof document (any JSON value for parse-failure vectors).
    var proof: JSONValue
    var outcome: Outcome

    /// A valid vector: verifies `proof` against `expect` now and records what it proves.
    static func valid(_ name: String, _ description: String, _ proof: Proof, expect: ProofExpectation) throws -> ProofVector {
        let claim = try ProofVerifier.verify(proof, expecting: expect)
        return ProofVector(
            name: name, description: description, expect: expect, proof: ProofJSON.encode(proof), outcome: .valid(claim))
    }

    /// An invalid vector: checks now that decoding or verifying `proof` fails with a
    /// message containing `error`.
    static func invalid(
        _ name: String, _ description: String, _ proof: JSONValue, expect: ProofExpectation, error: String
    ) throws -> ProofVector {
        let failure = Self.failure(proof, expect)
        try #require(failure?.contains(error) == true, "\(name): failed with \(failure ?? "no error"), not \(error)")
        return ProofVector(name: name, description: description, expect: expect, proof: proof, outcome: .invalid(error: error))
    }

    static func invalid(
        _ name: String, _ description: String, _ proof: Proof, expect: ProofExpectation, error: String
    ) throws -> ProofVector {
        try invalid(name, description, ProofJSON.encode(proof), expect: expect, error: error)
    }

    /// The message of the first decoding or verification error, nil when `proof` verifies.
    private static func failure(_ proof: JSONValue, _ expect: ProofExpectation) -> String? {
        do {
            try ProofVerifier.verify(try ProofJSON.decode(proof), expecting: expect)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    /// The vector file's JSON: members in the documented order, optional ones omitted.
    var json: JSONValue {
        var expectMembers: [(key: String, value: JSONValue)] = []
        if let key = expect.key { expectMembers.append(("key", .string(Hex.encode(key)))) }
        if let value = expect.value { expectMembers.append(("value", .string(Hex.encode(value)))) }
        if let digest = expect.digest { expectMembers.append(("digest", .string(Hex.encode(digest)))) }
        if let from = expect.fromDigest { expectMembers.append(("fromDigest", .string(Hex.encode(from)))) }
        if let claim = expect.claim { expectMembers.append(("claim", .string(claim.rawValue))) }
        var members: [(key: String, value: JSONValue)] = [
            ("description", .string(description)), ("expect", .object(expectMembers)), ("proof", proof),
        ]
        switch outcome {
        case .valid(let claim):
            var proves: [(key: String, value: JSONValue)] = [("claim", .string(claim.claim.rawValue))]
            if let entry = claim.entry {
                proves += [("sequence", .integer(entry.sequence)), ("kind", .string(entry.kind.rawValue))]
            }
            proves += [("manifestVersion", .integer(claim.manifestVersion)), ("digest", .string(Hex.encode(claim.digest)))]
            members += [("result", .string("valid")), ("proves", .object(proves))]
        case .invalid(let error):
            members += [("result", .string("invalid")), ("error", .string(error))]
        }
        return .object(members)
    }
}

extension JSONValue {
    /// A copy with the object at `path` (member names from the top) changed by `change`;
    /// records an issue when the path does not lead to an object.
    func editingObject(
        at path: [String] = [], _ change: (inout [(key: String, value: JSONValue)]) -> Void
    ) -> JSONValue {
        guard case .object(var members) = self else {
            Issue.record("no object at \(path)")
            return self
        }
        guard let name = path.first else {
            change(&members)
            return .object(members)
        }
        guard let at = members.firstIndex(where: { $0.key == name }) else {
            Issue.record("no member \(name)")
            return self
        }
        members[at].value = members[at].value.editingObject(at: Array(path.dropFirst()), change)
        return .object(members)
    }

    /// A copy with member `name` of the top-level object replaced by `value`.
    func replacing(_ name: String, with value: JSONValue) -> JSONValue {
        editingObject { members in
            guard let at = members.firstIndex(where: { $0.key == name }) else {
                Issue.record("no member \(name)")
                return
            }
            members[at].value = value
        }
    }
}
