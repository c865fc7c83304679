import ScribeCrypto

/// One S3 request as it is signed and sent: the method, the `Host` header, the
/// decoded object path, query parameters and the headers to sign. The signer adds
/// `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` and `Authorization`.
public struct S3Request: Sendable, Equatable {
    /// One query parameter, unencoded (`list-type` = `2`; `uploads` = ``).
    public struct QueryItem: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String = "") {
            self.name = name
            self.value = value
        }
    }

    /// One header; names are compared case-insensitively.
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var method: String
    /// The `Host` header: host name, plus `:port` when not the scheme's default.
    public var host: String
    /// The absolute path, unencoded (`/bucket/segments/1.sst`, `/` for the root).
    public var path: String
    public var query: [QueryItem]
    /// Headers besides the ones the signer adds, all of them signed.
    public var headers: [Header]
    /// Lowercase hex SHA-256 of the body (`SHA256.emptyHex` when empty).
    public var payloadSHA256: String

    public init(method: String, host: String, path: String, query: [QueryItem] = [], headers: [Header] = [],
                payloadSHA256: String = SHA256.emptyHex) {
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadSHA256 = payloadSHA256
    }

    /// The encoded path, as signed and as sent.
    public var canonicalURI: String {
        S3URIEncoding.path(path.isEmpty ? "/" : path)
    }

    /// The query, encoded and sorted by name then value (`lifecycle` → `lifecycle=`),
    /// as signed and as sent.
    public var canonicalQueryString: String {
        query.map { (S3URIEncoding.queryComponent($0.name), S3URIEncoding.queryComponent($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The path and query to put after the endpoint's scheme and host.
    public var pathAndQuery: String {
        let query = canonicalQueryString
        return query.isEmpty ? canonicalURI : canonicalURI + "?" + query
    }
}
