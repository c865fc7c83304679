import Foundation
import ScribeVerifier
import Testing
import ScribeBytes

/// One file of `Vectors/` (format in Vectors/README.md), read strictly.
struct TestVector: CustomTestStringConvertible, Sendable {
    enum Result: Sendable {
        /// Verification must succeed and establish `proves`.
        case valid(proves: JSONValue)
        /// Decoding or verification must fail with a message containing `error`.
        case invalid(error: String)
    }

    let name: String
    let description: String
    let expect: ProofExpectation
    let proof: JSONValue
    let result: Result

    var testDescription: String { name }

    /// The file names (without `.json`) of every vector in the test bundle, sorted.
    static let names: [String] = {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Vectors"),
              let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// Reads `Vectors/<name>.json`; throws for a file that does not follow the format.
    init(named name: String) throws {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors"))
        let top = try JSONObjectReader(JSONParser.parse(Array(try Data(contentsOf: url)), maxDepth: 32), path: "")
        try top.rejectUnknownKeys(allowed: ["description", "expect", "proof", "result", "error", "proves"])
        let expect = try top.object("expect")
        try expect.rejectUnknownKeys(allowed: ["key", "value", "digest", "fromDigest", "claim"])
        func hex(_ key: String) throws -> [UInt8]? {
            guard expect.has(key) else { return nil }
            let text = try expect.string(key)
            let bytes: [UInt8] = try #require(Hex.decode(text), "expect.\(key) is not lowercase hex")
            return bytes
        }
        var claim: ProofClaim?
        if expect.has("claim") {
            let text = try expect.string("claim")
            let known: ProofClaim = try #require(ProofClaim(rawValue: text), "expect.claim \(text) is not a claim")
            claim = known
        }
        self.name = name
        description = try top.string("description")
        self.expect = ProofExpectation(
            key: try hex("key"), value: try hex("value"), digest: try hex("digest"), fromDigest: try hex("fromDigest"),
            claim: claim)
        proof = try top.value("proof")
        switch try top.string("result") {
        case "valid":
            #expect(!top.has("error"), "\(name): a valid vector has no error")
            result = .valid(proves: try top.value("proves"))
        case "invalid":
            #expect(!top.has("proves"), "\(name): an invalid vector proves nothing")
            result = .invalid(error: try top.string("error"))
        case let other:
            throw ProofDecodingError(path: "result", message: "expected \"valid\" or \"invalid\", found \"\(other)\"")
        }
    }

    /// The vector's `proves` object for what the verifier established.
    static func proves(_ claim: VerifiedClaim) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("claim", .string(claim.claim.rawValue))]
        if let entry = claim.entry {
            members += [("sequence", .integer(entry.sequence)), ("kind", .string(entry.kind.rawValue))]
        }
        members += [("manifestVersion", .integer(claim.manifestVersion)), ("digest", .string(Hex.encode(claim.digest)))]
        return .object(members)
    }
}

/// The committed, language-neutral proof vectors: each verifies, or fails, as it says.
@Suite struct VectorTests {
    @Test func theVectorFolderHoldsValidAndInvalidVectors() throws {
        let vectors = try TestVector.names.map(TestVector.init(named:))
        #expect(vectors.count >= 20)
        #expect(vectors.contains { if case .valid = $0.result { true } else { false } })
        #expect(vectors.contains { if case .invalid = $0.result { true } else { false } })
    }

    @Test(arguments: TestVector.names) func vectorVerifiesAsItSays(name: String) throws {
        let vector = try TestVector(named: name)
        switch vector.result {
        case .valid(let proves):
            let proof = try ProofJSON.decode(vector.proof)
            let claim = try ProofVerifier.verify(proof, expecting: vector.expect)
            #expect(TestVector.proves(claim) == proves)
            #expect(ProofJSON.encode(proof) == vector.proof, "a valid vector's proof is in canonical form")
        case .invalid(let expected):
            #expect(!expected.isEmpty)
            do {
                try ProofVerifier.verify(try ProofJSON.decode(vector.proof), expecting: vector.expect)
                Issue.record("\(name) verified, but should fail with \"\(expected)\"")
            } catch {
                #expect(String(describing: error).contains(expected), "\(name) failed with: \(error)")
            }
        }
    }
}
