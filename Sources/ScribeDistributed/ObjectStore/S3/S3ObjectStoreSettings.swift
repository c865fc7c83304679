/// How an `S3ObjectStore` reaches its bucket and how it uploads and retries.
public struct S3ObjectStoreSettings: Sendable, Equatable {
    /// `scheme://host[:port]`: `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000`.
    public var endpoint: String
    public var bucket: String
    /// The signing region (`us-east-1` for most S3-compatible services).
    public var region: String
    /// Both keys empty: requests go out unsigned.
    public var accessKeyID: String
    public var secretAccessKey: String
    /// A temporary session's token, sent as `x-amz-security-token`.
    public var sessionToken: String?
    /// Path-style addressing (`host/bucket/key`) instead of virtual-host style
    /// (`bucket.host/key`); needed for IP-address endpoints and most local servers.
    public var pathStyle: Bool
    /// Prepended to every key with a `/` (leading, trailing and repeated slashes are
    /// dropped); empty for the bucket's root.
    public var prefix: String
    /// Files larger than this are uploaded in parts.
    public var multipartThreshold: Int = 8 << 20
    /// Bytes per part; S3 refuses parts below 5 MiB except the last, so smaller
    /// values are raised to that.
    public var partSize: Int = 5 << 20
    /// Parts in flight at once for one upload.
    public var partConcurrency: Int = 4
    /// Time for one attempt of one request, body included.
    public var requestTimeout: Duration = .seconds(30)
    /// Time to establish a connection. The HTTP client keeps retrying a refused
    /// connection until this passes, so it also bounds how long one attempt
    /// against a down service takes.
    public var connectTimeout: Duration = .seconds(3)
    /// Attempts per request, the first included.
    public var maxAttempts: Int = 5
    /// The backoff before retry n is a random delay up to `min(maxBackoff, baseBackoff × 2ⁿ⁻¹)`.
    public var baseBackoff: Duration = .milliseconds(100)
    public var maxBackoff: Duration = .seconds(5)
    /// Keys per ListObjectsV2 page (`max-keys`; S3 answers at most 1000).
    public var listPageSize: Int = 1000

    public init(
        endpoint: String, bucket: String, region: String = "us-east-1", accessKeyID: String = "",
        secretAccessKey: String = "", sessionToken: String? = nil, pathStyle: Bool = true, prefix: String = ""
    ) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.pathStyle = pathStyle
        self.prefix = prefix
    }

    /// The smallest part S3 accepts (all but the last).
    public static let minimumPartSize = 5 << 20

    /// `partSize` raised to the S3 minimum.
    var effectivePartSize: Int { max(partSize, Self.minimumPartSize) }

    /// `prefix` without leading, trailing or repeated slashes.
    var normalizedPrefix: String {
        prefix.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// The bucket key of the store key `key`: `prefix/key`, or `key` with no prefix.
    func objectKey(_ key: String) -> String {
        let prefix = normalizedPrefix
        return prefix.isEmpty ? key : prefix + "/" + key
    }

    /// The store key of the bucket key `objectKey` (the inverse of `objectKey(_:)`).
    func storeKey(_ objectKey: String) -> String {
        let prefix = normalizedPrefix
        guard !prefix.isEmpty, objectKey.hasPrefix(prefix + "/") else { return objectKey }
        return String(objectKey.dropFirst(prefix.count + 1))
    }
}
