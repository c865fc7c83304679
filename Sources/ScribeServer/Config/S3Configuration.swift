import Foundation

/// `[storage.s3]`: an S3-compatible object store for segments. Present when any
/// `storage.s3` key is set; then `endpoint` and `bucket` are required.
public struct S3Configuration: Sendable, Equatable, CustomStringConvertible {
    /// `http://` or `https://` URL of the service.
    public var endpoint: String
    /// Bucket name: 3 to 63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit.
    public var bucket: String
    public var region = "us-east-1"
    /// Empty together with `secretAccessKey` for anonymous access.
    public var accessKeyID = ""
    public var secretAccessKey = ""
    /// The session token of temporary credentials, or empty.
    public var sessionToken = ""
    /// Where the credentials came from (`config.toml:5:1`, `environment variable
    /// AWS_ACCESS_KEY_ID`, …), or `none (anonymous)`: logged at start, never the secret.
    public var credentialsSource = "none (anonymous)"
    /// Address buckets as `endpoint/bucket` (MinIO) rather than `bucket.endpoint`.
    public var pathStyle = false
    /// Prefix of every object name this node writes.
    public var prefix = ""
    /// Longest wait for one request (each attempt).
    public var requestTimeout: Duration = .seconds(30)
    /// Attempts per request, the first included.
    public var maxAttempts = 5

    public init(endpoint: String, bucket: String) {
        self.endpoint = endpoint
        self.bucket = bucket
    }

    /// Describes the configuration with the secret key and session token redacted.
    public var description: String {
        "S3Configuration(endpoint: \(endpoint), bucket: \(bucket), region: \(region), accessKeyID: \(accessKeyID), "
            + "secretAccessKey: \(secretAccessKey.isEmpty ? "" : "<redacted>"), "
            + "sessionToken: \(sessionToken.isEmpty ? "" : "<redacted>"), credentialsSource: \(credentialsSource), "
            + "pathStyle: \(pathStyle), prefix: \(prefix), requestTimeout: \(DurationSyntax.format(requestTimeout)), "
            + "maxAttempts: \(maxAttempts))"
    }

    /// Nil when no layer sets a `storage.s3` key.
    init?(reading settings: SettingReader) throws {
        let names = ConfigurationCatalog.keys.map(\.name).filter { $0.hasPrefix("storage.s3.") }
        guard names.contains(where: settings.isSet) else { return nil }
        endpoint = try settings.string("storage.s3.endpoint")
        bucket = try settings.string("storage.s3.bucket")
        region = try settings.string("storage.s3.region")
        accessKeyID = try settings.string("storage.s3.access_key_id")
        secretAccessKey = try settings.string("storage.s3.secret_access_key")
        sessionToken = try settings.string("storage.s3.session_token")
        pathStyle = try settings.boolean("storage.s3.path_style")
        prefix = try settings.string("storage.s3.prefix")
        requestTimeout = try settings.duration("storage.s3.request_timeout")
        maxAttempts = try settings.integer("storage.s3.max_attempts")
        let url = URL(string: endpoint)
        guard let scheme = url?.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url?.host, !host.isEmpty
        else {
            throw settings.conflict(
                "storage.s3.endpoint", "must be an http:// or https:// URL with a host (S3 is enabled because a "
                    + "storage.s3 key is set)")
        }
        guard Self.isValidBucketName(bucket) else {
            throw settings.conflict(
                "storage.s3.bucket",
                "must be 3 to 63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit")
        }
        guard !region.isEmpty else { throw settings.conflict("storage.s3.region", "must not be empty") }
        guard accessKeyID.isEmpty == secretAccessKey.isEmpty else {
            let (missing, given) =
                accessKeyID.isEmpty
                ? ("storage.s3.access_key_id", "storage.s3.secret_access_key")
                : ("storage.s3.secret_access_key", "storage.s3.access_key_id")
            throw settings.conflict(
                missing, "access_key_id and secret_access_key must be set together (\(given) is set by "
                    + "\(settings.origin(given)))")
        }
        guard sessionToken.isEmpty || !accessKeyID.isEmpty else {
            throw settings.conflict(
                "storage.s3.session_token", "a session token needs access_key_id and secret_access_key")
        }
        if !accessKeyID.isEmpty { credentialsSource = "\(settings.origin("storage.s3.access_key_id"))" }
    }

    private static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard (3...63).contains(bytes.count), let first = bytes.first, let last = bytes.last,
            isLowerAlphanumeric(first), isLowerAlphanumeric(last)
        else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }
}
