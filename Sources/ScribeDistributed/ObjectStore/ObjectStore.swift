/// Immutable objects under string keys: the durable tier's only view of object
/// storage. Two implementations: `LocalDirectoryObjectStore` (a directory on local
/// disk) and `S3ObjectStore` (any S3-compatible service).
///
/// Keys are relative (`segments/<id>.sst`, `wal/...`, `manifest/...`): each store
/// adds its own root (directory or bucket prefix). Keys use `[A-Za-z0-9._/-]` only.
/// Every method is safe to call concurrently.
public protocol ObjectStore: Sendable {
    /// Where the objects live, for logs and errors (`s3://bucket/prefix`, `file:///dir`).
    var location: String { get }

    /// Stores `bytes` under `key`. With `ifAbsent` an existing object is never
    /// replaced: the call throws `.alreadyExists` instead (S3: `If-None-Match: *`).
    @discardableResult
    func put(_ key: String, bytes: [UInt8], ifAbsent: Bool) async throws -> ObjectInfo

    /// Uploads the file at `path` under `key` (S3: multipart above the store's
    /// threshold), then verifies the stored object's size and checksum against the
    /// file, throwing `.verificationFailed` when they differ. `ifAbsent` as in `put`.
    @discardableResult
    func putFile(_ key: String, path: String, ifAbsent: Bool) async throws -> ObjectInfo

    /// The whole object. Throws `.notFound` when there is none.
    func get(_ key: String) async throws -> [UInt8]

    /// Bytes `range` of the object (S3: `Range: bytes=a-b`). A range running past
    /// the end returns the bytes that exist. Throws `.notFound` when there is none.
    func get(_ key: String, range: Range<UInt64>) async throws -> [UInt8]

    /// Size and checksum of the object, or nil when there is none.
    func head(_ key: String) async throws -> ObjectInfo?

    /// Every object whose key starts with `prefix` and sorts after `startAfter`,
    /// in key order (all pages: S3 continuation tokens are followed).
    func list(prefix: String, startAfter: String?) async throws -> [ObjectInfo]

    /// Removes the object; removing an absent object succeeds.
    func delete(_ key: String) async throws
}
