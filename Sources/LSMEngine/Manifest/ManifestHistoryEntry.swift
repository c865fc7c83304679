/// What the store keeps of each manifest version it has recorded: enough to answer
/// "which digest did version n have" and to prove that one version extends another
/// (the headers of the versions between them).
public struct ManifestHistoryEntry: Sendable, Equatable {
    public let version: UInt64
    public let digest: [UInt8]
    /// The digest of the version before (digest(0) for version 1).
    public let previousDigest: [UInt8]
    /// The 52-byte header the digest hashes (docs/formats.md).
    public let header: [UInt8]

    init(_ v: Version) {
        version = v.versionNumber
        digest = v.digest
        previousDigest = v.previousDigest
        header = v.header
    }
}
