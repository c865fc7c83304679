import ScribeBytes
import ScribeCrypto

/// AWS Signature Version 4 in the `Authorization` header, for S3: the canonical
/// request, the string to sign, the derived signing key and the signature. The
/// payload is always signed (its real SHA-256 in `x-amz-content-sha256`), never
/// `UNSIGNED-PAYLOAD`. Pure: the time comes in as an argument.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"

    public let credentials: S3Credentials
    public let region: String
    public let service: String

    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Every header to send with `request` at `time`: its own headers, `host`,
    /// `x-amz-content-sha256`, `x-amz-date`, `x-amz-security-token` when there is a
    /// session token, and `Authorization` (not for anonymous credentials, whose
    /// requests go out with the same headers but unsigned).
    public func headers(for request: S3Request, at time: AMZTimestamp) -> [S3Request.Header] {
        var headers = request.headers
        headers.append(S3Request.Header("host", request.host))
        headers.append(S3Request.Header("x-amz-content-sha256", request.payloadSHA256))
        headers.append(S3Request.Header("x-amz-date", time.dateTime))
        if let token = credentials.sessionToken, !token.isEmpty {
            headers.append(S3Request.Header("x-amz-security-token", token))
        }
        guard !credentials.isAnonymous else { return headers }
        let canonical = Self.canonicalHeaders(headers)
        let signature = self.signature(request: request, canonical: canonical, at: time)
        headers.append(S3Request.Header(
            "Authorization",
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(time)),"
                + "SignedHeaders=\(canonical.names),Signature=\(signature)"))
        return headers
    }

    /// The canonical request of `request` with `headers` (every header to sign,
    /// including the ones `headers(for:at:)` adds).
    public func canonicalRequest(_ request: S3Request, headers: [S3Request.Header]) -> String {
        canonicalRequest(request, canonical: Self.canonicalHeaders(headers))
    }

    /// The string to sign for a canonical request at `time`.
    public func stringToSign(canonicalRequest: String, at time: AMZTimestamp) -> String {
        [Self.algorithm, time.dateTime, scope(time), SHA256.hex(canonicalRequest)].joined(separator: "\n")
    }

    /// The signing key for `time`'s date: HMAC chain over date, region, service and
    /// `aws4_request`, starting from `AWS4` + the secret key.
    public func signingKey(at time: AMZTimestamp) -> [UInt8] {
        var key = HMACSHA256.authenticate(Array(time.date.utf8), key: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [region, service, "aws4_request"] {
            key = HMACSHA256.authenticate(Array(part.utf8), key: key)
        }
        return key
    }

    /// The credential scope: `date/region/service/aws4_request`.
    public func scope(_ time: AMZTimestamp) -> String {
        "\(time.date)/\(region)/\(service)/aws4_request"
    }

    private func signature(request: S3Request, canonical: CanonicalHeaders, at time: AMZTimestamp) -> String {
        let text = stringToSign(canonicalRequest: canonicalRequest(request, canonical: canonical), at: time)
        return Hex.encode(HMACSHA256.authenticate(Array(text.utf8), key: signingKey(at: time)))
    }

    private func canonicalRequest(_ request: S3Request, canonical: CanonicalHeaders) -> String {
        [request.method, request.canonicalURI, request.canonicalQueryString, canonical.block, canonical.names,
         request.payloadSHA256].joined(separator: "\n")
    }

    /// Signed headers in canonical form: `name:value\n` lines sorted by lowercase
    /// name (values trimmed, inner runs of spaces collapsed, repeated names joined
    /// with commas) and the `;`-separated list of names.
    struct CanonicalHeaders {
        var block: String
        var names: String
    }

    static func canonicalHeaders(_ headers: [S3Request.Header]) -> CanonicalHeaders {
        var merged: [String: [String]] = [:]
        for header in headers {
            merged[header.name.lowercased(), default: []].append(canonicalValue(header.value))
        }
        let names = merged.keys.sorted()
        let block = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        return CanonicalHeaders(block: block, names: names.joined(separator: ";"))
    }

    /// `value` trimmed of spaces and tabs, with inner runs of them collapsed to one space.
    static func canonicalValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
