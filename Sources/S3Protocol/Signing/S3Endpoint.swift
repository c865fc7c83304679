/// Where a bucket's objects are addressed: an endpoint URL (`https://s3.eu-west-1.amazonaws.com`,
/// `http://127.0.0.1:9000`) and a bucket, in path style (`host/bucket/key`) or
/// virtual-host style (`bucket.host/key`).
public struct S3Endpoint: Sendable, Equatable {
    /// `http` or `https`.
    public let scheme: String
    /// The endpoint's host name or address, without port.
    public let hostName: String
    /// The port, when the URL names one.
    public let port: Int?
    public let bucket: String
    public let pathStyle: Bool

    /// Parses `url` (`scheme://host[:port][/]`). Throws `S3EndpointError` for another
    /// scheme, an empty host, a bad port, a path, query or user part, or an empty bucket.
    public init(url: String, bucket: String, pathStyle: Bool) throws(S3EndpointError) {
        guard !bucket.isEmpty, !bucket.contains("/") else { throw S3EndpointError("invalid bucket name \"\(bucket)\"") }
        guard let separator = url.firstRange(of: "://") else { throw S3EndpointError("\(url): no scheme") }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw S3EndpointError("\(url): scheme must be http or https") }
        var authority = url[separator.upperBound...]
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.contains(where: { "/?#@[] ".contains($0) }) else {
            throw S3EndpointError("\(url): only scheme://host[:port] is supported")
        }
        var host = authority
        var port: Int?
        if let colon = authority.lastIndex(of: ":") {
            let digits = authority[authority.index(after: colon)...]
            guard let number = Int(digits), (1...65535).contains(number), digits.allSatisfy(\.isASCII) else {
                throw S3EndpointError("\(url): invalid port")
            }
            port = number
            host = authority[..<colon]
        }
        guard !host.isEmpty else { throw S3EndpointError("\(url): no host") }
        self.scheme = scheme
        self.hostName = String(host)
        self.port = port
        self.bucket = bucket
        self.pathStyle = pathStyle
    }

    /// The `Host` header: the bucket prepended in virtual-host style; the port
    /// appended unless it is the scheme's default.
    public var hostHeader: String {
        let name = pathStyle ? hostName : "\(bucket).\(hostName)"
        guard let port, port != (scheme == "https" ? 443 : 80) else { return name }
        return "\(name):\(port)"
    }

    /// The unencoded path of the object `key` (the full key, prefix included).
    public func objectPath(_ key: String) -> String {
        pathStyle ? "/\(bucket)/\(key)" : "/\(key)"
    }

    /// The unencoded path of the bucket itself (listing, bucket operations).
    public var bucketPath: String {
        pathStyle ? "/\(bucket)" : "/"
    }

    /// The URL to send `request` to: scheme, `Host`, encoded path and sorted query.
    public func url(for request: S3Request) -> String {
        "\(scheme)://\(request.host)\(request.pathAndQuery)"
    }
}

/// An endpoint URL or bucket that `S3Endpoint` cannot address.
public struct S3EndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
