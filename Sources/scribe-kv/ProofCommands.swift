import ArgumentParser
import LSMEngine
import ScribeVerifier
import ScribeBytes

struct ProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print the scribe-proof-v1 JSON for a key (docs/proofs.md).",
        discussion: """
            Without --sequence: a latest-proof of the key's newest version, or an absence proof when \
            the key has none. With --sequence: an inclusion proof of that version. A version still in \
            the memtable has no proof yet: the answer is a "pending" document and exit code 2; run \
            `scribe-kv flush` and ask again.
            """)
    @OptionGroup var store: StoreArguments
    @Argument(help: "The key.") var key: String
    @Option(help: "Prove this version (by sequence number) instead of the newest.") var sequence: UInt64?
    @Flag(help: "One line without whitespace instead of indented JSON.") var compact = false

    func run() throws {
        let db = try store.open(readOnly: true)
        defer { try? db.close() }
        let k = try store.bytes(key, what: "key")
        let proof: Proof
        do {
            proof = try sequence.map { try db.prove(k, sequence: $0) } ?? db.prove(k)
        } catch let LSMError.invalidArgument(reason) {
            throw CommandFailure("cannot prove: \(reason)")
        }
        Output.line(ProofJSON.write(proof, pretty: !compact))
        if case .pending(let notice) = proof {
            Output.error("pending: \(notice.message)")
            throw ExitCode(2)
        }
    }
}

struct ProveConsistencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove-consistency",
        abstract: "Print a proof that manifest version --to extends version --from.")
    @OptionGroup var store: StoreArguments
    @Option(help: "The earlier manifest version (0 is the empty start of the chain).") var from: UInt64
    @Option(help: "The later manifest version (default: the current one).") var to: UInt64?
    @Flag(help: "One line without whitespace instead of indented JSON.") var compact = false

    func run() throws {
        let db = try store.open(readOnly: true)
        defer { try? db.close() }
        do {
            Output.line(ProofJSON.write(try db.proveConsistency(fromVersion: from, toVersion: to), pretty: !compact))
        } catch let LSMError.invalidArgument(reason) {
            throw CommandFailure("cannot prove consistency: \(reason)")
        }
    }
}

struct VerifyProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-proof",
        abstract: "Check a proof file with nothing but SHA-256; exit 1 when it does not verify.",
        discussion: """
            Pin what you already trust: --digest (the manifest digest, for example the one stored on \
            chain), --value-file (the value you hold), --key. Without --digest the proof is only checked \
            against the digest it carries. The store is not opened; --db is accepted for symmetry.
            """)
    @Option(help: "Ignored: verification needs only the proof.") var db: String?
    @Flag(help: "--key is hex.") var hex = false
    @Argument(help: "The proof JSON file.") var file: String
    @Option(name: .customLong("value-file"), help: "A file holding the value the proof should commit.") var valueFile: String?
    @Option(help: "The manifest digest to pin (64 lowercase hex digits).") var digest: String?
    @Option(name: .customLong("from-digest"), help: "For consistency proofs: the earlier digest to pin.") var fromDigest: String?
    @Option(help: "The key the proof must be about.") var key: String?

    func run() throws {
        let document = try InputFile.read(file, limit: ProofJSON.maxBytes, what: "proof file")
        var expectation = ProofExpectation()
        expectation.value = try valueFile.map { try InputFile.read($0, limit: 1 << 30, what: "value file") }
        expectation.digest = try digest.map { try hash($0, option: "--digest") }
        expectation.fromDigest = try fromDigest.map { try hash($0, option: "--from-digest") }
        if let key {
            guard let bytes = hex ? Hex.decodeIgnoringCase(key) : Array(key.utf8) else { throw CommandFailure("--key is not valid hex") }
            expectation.key = bytes
        }
        let proof: Proof
        do {
            proof = try ProofJSON.parse(document)
        } catch {
            throw CommandFailure("\(file) is not a scribe-proof-v1 document: \(error)")
        }
        let result: VerifiedClaim
        do {
            result = try ProofVerifier.verify(proof, expecting: expectation)
        } catch {
            throw CommandFailure("proof does not verify: \(error)")
        }
        Output.line(describe(result))
        if result.entry?.kind == .put && expectation.value == nil {
            Output.line("note: the value itself was not checked; pass --value-file to check it")
        }
        if expectation.digest == nil {
            Output.line("note: checked against the digest the proof carries; pass --digest to pin a trusted one")
        }
    }

    private func describe(_ r: VerifiedClaim) -> String {
        let anchor = "manifest version \(r.manifestVersion) digest \(Hex.encode(r.digest))"
        let key = Hex.encode(r.key)
        switch r.claim {
        case .latest, .inclusion:
            let e = r.entry
            let what = r.claim == .latest ? "the newest version" : "a version"
            return "verified: \(what) of key \(key) is sequence \(e?.sequence ?? 0) (\(e?.kind.rawValue ?? "")), "
                + "value SHA-256 \(Hex.encode(e?.valueHash ?? [])), in \(anchor)"
        case .absence:
            return "verified: key \(key) has no version in \(anchor)"
        case .consistency:
            return "verified: \(anchor) extends the earlier digest"
        case .pending:
            return "pending"
        }
    }

    private func hash(_ text: String, option: String) throws -> [UInt8] {
        guard let bytes = Hex.decode(text), bytes.count == 32 else {
            throw CommandFailure("\(option) must be 64 lowercase hex digits")
        }
        return bytes
    }
}
