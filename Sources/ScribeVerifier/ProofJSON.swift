/// The JSON form of `scribe-proof-v1` (docs/proofs.md, "JSON"): `parse` reads untrusted
/// bytes strictly (unknown, missing or mistyped fields, uppercase or odd-length hex and
/// hashes that are not 32 bytes are errors naming their path); `write` produces the
/// canonical form, in which absent optional parts are omitted.
public enum ProofJSON {
    /// The largest proof document `parse` accepts.
    public static let maxBytes = 4 << 20

    /// Parses a proof document.
    public static func parse(_ bytes: [UInt8]) throws -> Proof {
        try decode(JSONParser.parse(bytes, maxDepth: 16, maxBytes: maxBytes))
    }

    /// The proof as JSON text: compact (no whitespace), or pretty with 2-space indentation.
    public static func write(_ proof: Proof, pretty: Bool) -> String {
        JSONWriter.write(encode(proof), pretty: pretty)
    }
}
