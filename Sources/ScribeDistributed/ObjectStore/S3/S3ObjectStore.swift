import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import S3Protocol
import ScribeBytes
import ScribeCrypto

/// Objects in an S3 bucket (AWS or any S3-compatible service), under an optional
/// key prefix. Requests are signed with Signature Version 4 (unsigned when both
/// keys are empty) and always carry the real SHA-256 of their payload. The store
/// owns one `HTTPClient` whose connection pool every call shares: call
/// `shutdown()` once done with it. See docs/s3.md for the requests byte by byte.
public final class S3ObjectStore: ObjectStore {
    public let settings: S3ObjectStoreSettings
    public let location: String
    let transport: S3Transport
    let logger: Logger

    /// A store for `settings`, sleeping its retry back-off on `clock`. Throws `.io`
    /// when the endpoint URL or bucket cannot be addressed. Nothing is sent until
    /// the first call.
    public init(
        settings: S3ObjectStoreSettings, clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "scribe.s3")
    ) throws {
        let endpoint: S3Endpoint
        do {
            endpoint = try S3Endpoint(url: settings.endpoint, bucket: settings.bucket, pathStyle: settings.pathStyle)
        } catch {
            throw ObjectStoreError.io("S3 settings: \(error)")
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        let timeout = TimeAmount(settings.requestTimeout)
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: min(timeout, TimeAmount(settings.connectTimeout)), read: timeout)
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, 2 * settings.partConcurrency))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let credentials = S3Credentials(
            accessKeyID: settings.accessKeyID, secretAccessKey: settings.secretAccessKey,
            sessionToken: settings.sessionToken)
        self.settings = settings
        self.logger = logger
        let prefix = settings.normalizedPrefix
        self.location = prefix.isEmpty ? "s3://\(settings.bucket)" : "s3://\(settings.bucket)/\(prefix)"
        self.transport = S3Transport(
            client: client, endpoint: endpoint, signer: SigV4Signer(credentials: credentials, region: settings.region),
            retry: S3RetryPolicy(
                maxAttempts: settings.maxAttempts, baseBackoff: settings.baseBackoff, maxBackoff: settings.maxBackoff,
                clock: clock),
            timeout: settings.requestTimeout, logger: logger)
    }

    /// Closes the pooled connections. Call once, after the last call completed.
    public func shutdown() async throws {
        try await transport.client.shutdown()
    }

    @discardableResult
    public func put(_ key: String, bytes: [UInt8], ifAbsent: Bool) async throws -> ObjectInfo {
        try ObjectKey.validate(key)
        let md5 = MD5.hash(bytes)
        try await putObject(key, body: bytes, sha256: Hex.encode(SHA256.hash(bytes)), md5: md5, ifAbsent: ifAbsent)
        return ObjectInfo(key: key, size: UInt64(bytes.count), etag: S3ETag.singlePart(md5: md5))
    }

    public func get(_ key: String) async throws -> [UInt8] {
        try ObjectKey.validate(key)
        let response = try await transport.send(.init(
            method: .GET, objectKey: settings.objectKey(key), maxResponseBytes: Int.max))
        guard response.isSuccess else { throw notFoundOrServiceError(response, key: key) }
        return response.body
    }

    public func get(_ key: String, range: Range<UInt64>) async throws -> [UInt8] {
        try ObjectKey.validate(key)
        guard !range.isEmpty else {
            guard try await head(key) != nil else { throw ObjectStoreError.notFound(key: key) }
            return []
        }
        let response = try await transport.send(.init(
            method: .GET, objectKey: settings.objectKey(key),
            headers: [S3Request.Header("range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")],
            maxResponseBytes: Int(clamping: range.count) + 1 << 16))
        switch response.status {
        case 206:
            guard response.body.count <= range.count else {
                throw ObjectStoreError.invalidResponse("range GET of \(key) returned \(response.body.count) bytes for \(range.count)")
            }
            return response.body
        case 200:
            // A server that ignores Range sends the whole object.
            let lower = Int(clamping: range.lowerBound)
            guard lower < response.body.count else { return [] }
            return Array(response.body[lower..<min(response.body.count, Int(clamping: range.upperBound))])
        case 416:
            // The range starts at or past the end (an empty object has no satisfiable range).
            return []
        default:
            throw notFoundOrServiceError(response, key: key)
        }
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        try ObjectKey.validate(key)
        let response = try await transport.send(.init(method: .HEAD, objectKey: settings.objectKey(key)))
        if response.status == 404 { return nil }
        guard response.isSuccess else { throw S3ErrorMapping.serviceError(response, key: key) }
        guard let size = response.header("content-length").flatMap(UInt64.init) else {
            throw ObjectStoreError.invalidResponse("HEAD \(key) has no Content-Length")
        }
        return ObjectInfo(key: key, size: size, etag: response.header("etag").map(S3ETag.unquoted))
    }

    public func list(prefix: String, startAfter: String?) async throws -> [ObjectInfo] {
        try ObjectKey.validatePrefix(prefix)
        let storePrefix = settings.normalizedPrefix
        let fullPrefix = storePrefix.isEmpty ? prefix : storePrefix + "/" + prefix
        var objects: [ObjectInfo] = []
        var token: String?
        repeat {
            var query = [S3Request.QueryItem("list-type", "2"), S3Request.QueryItem("max-keys", "\(settings.listPageSize)")]
            if !fullPrefix.isEmpty { query.append(S3Request.QueryItem("prefix", fullPrefix)) }
            if let token {
                query.append(S3Request.QueryItem("continuation-token", token))
            } else if let startAfter {
                query.append(S3Request.QueryItem("start-after", settings.objectKey(startAfter)))
            }
            let response = try await transport.send(.init(method: .GET, objectKey: nil, query: query, maxResponseBytes: 64 << 20))
            guard response.isSuccess else { throw S3ErrorMapping.serviceError(response, key: nil) }
            let page: ListObjectsV2Result
            do {
                page = try ListObjectsV2Result.decode(response.body)
            } catch {
                throw ObjectStoreError.invalidResponse("ListObjectsV2 of \(location): \(error)")
            }
            for object in page.objects where object.key.hasPrefix(fullPrefix) {
                objects.append(ObjectInfo(key: settings.storeKey(object.key), size: object.size, etag: object.etag))
            }
            token = page.isTruncated ? page.nextContinuationToken : nil
        } while token != nil
        return objects
    }

    public func delete(_ key: String) async throws {
        try ObjectKey.validate(key)
        let response = try await transport.send(.init(method: .DELETE, objectKey: settings.objectKey(key)))
        guard response.isSuccess || (response.status == 404 && S3ErrorMapping.code(response) != "NoSuchBucket") else {
            throw S3ErrorMapping.serviceError(response, key: key)
        }
    }

    /// A failed GET as `.notFound` (404 for a missing key) or `.service` (anything
    /// else, a missing bucket included).
    func notFoundOrServiceError(_ response: S3Response, key: String) -> ObjectStoreError {
        if response.status == 404 && S3ErrorMapping.code(response) != "NoSuchBucket" { return .notFound(key: key) }
        return S3ErrorMapping.serviceError(response, key: key)
    }

    /// One PUT of a whole object (`If-None-Match: *` when `ifAbsent`). A 412 that
    /// follows a retried attempt may be the answer to our own lost first attempt:
    /// then the stored object is checked, and taken as ours when its size and MD5
    /// tag match the body.
    func putObject(_ key: String, body: [UInt8], sha256: String, md5: [UInt8], ifAbsent: Bool) async throws {
        var headers = [S3Request.Header("content-type", "application/octet-stream")]
        if ifAbsent { headers.append(S3Request.Header("if-none-match", "*")) }
        let response = try await transport.send(.init(
            method: .PUT, objectKey: settings.objectKey(key), headers: headers, body: body, payloadSHA256: sha256))
        if response.isSuccess { return }
        if response.status == 412 && ifAbsent {
            if response.attempts > 1, let stored = try await head(key), stored.size == UInt64(body.count),
               stored.etag == S3ETag.singlePart(md5: md5) {
                return
            }
            throw ObjectStoreError.alreadyExists(key: key)
        }
        throw S3ErrorMapping.serviceError(response, key: key)
    }
}
