/// What a proof established once `ProofVerifier` accepted it.
public struct VerifiedClaim: Sendable, Equatable {
    public var claim: ProofClaim
    /// The proof's key (empty for a consistency proof).
    public var key: [UInt8]
    /// The proven version, for latest and inclusion proofs.
    public var entry: ProofEntry?
    /// The manifest version and digest the claim holds in (for consistency: the later one).
    public var manifestVersion: UInt64
    public var digest: [UInt8]
    /// Every write up to this sequence is covered (latest and absence proofs).
    public var lastSequence: UInt64?

    public init(
        claim: ProofClaim, key: [UInt8], entry: ProofEntry?, manifestVersion: UInt64, digest: [UInt8],
        lastSequence: UInt64?
    ) {
        self.claim = claim
        self.key = key
        self.entry = entry
        self.manifestVersion = manifestVersion
        self.digest = digest
        self.lastSequence = lastSequence
    }
}

/// What the caller already knows and wants the proof to match. Every field is optional;
/// a verifier that pins nothing only learns that the proof is self-consistent.
public struct ProofExpectation: Sendable, Equatable {
    /// The key the caller asked about.
    public var key: [UInt8]?
    /// The value the caller holds: the proven entry must be a put of exactly these bytes.
    public var value: [UInt8]?
    /// The manifest digest the caller trusts (for example, the one stored on chain).
    public var digest: [UInt8]?
    /// For consistency proofs: the earlier digest the caller trusts.
    public var fromDigest: [UInt8]?
    /// The claim the caller needs.
    public var claim: ProofClaim?

    public init(
        key: [UInt8]? = nil, value: [UInt8]? = nil, digest: [UInt8]? = nil, fromDigest: [UInt8]? = nil,
        claim: ProofClaim? = nil
    ) {
        self.key = key
        self.value = value
        self.digest = digest
        self.fromDigest = fromDigest
        self.claim = claim
    }
}
