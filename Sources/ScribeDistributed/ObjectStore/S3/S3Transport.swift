import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import S3Protocol

#if canImport(Glibc)
import Glibc
#endif
import ScribeBytes
import ScribeCrypto

/// Sends signed S3 requests through one shared `HTTPClient` (its connection pool
/// is shared by every call of the store), with a per-attempt timeout that covers
/// the body, and retries under `S3RetryPolicy`. Requests are signed again on every
/// attempt (a fresh `x-amz-date`).
struct S3Transport: Sendable {
    let client: HTTPClient
    let endpoint: S3Endpoint
    let signer: SigV4Signer
    let retry: S3RetryPolicy
    let timeout: Duration
    let logger: Logger

    /// One request: method, full object key (nil for the bucket), query, extra
    /// headers to sign, and body.
    struct Call: Sendable {
        var method: HTTPMethod
        var objectKey: String?
        var query: [S3Request.QueryItem] = []
        var headers: [S3Request.Header] = []
        var body: [UInt8] = []
        /// Precomputed SHA-256 hex of `body`, when the caller already has it.
        var payloadSHA256: String?
        /// The most body bytes accepted in the answer.
        var maxResponseBytes = 1 << 20
    }

    /// Sends `call`, retrying retryable statuses and transport failures. Returns the
    /// last answer whatever its status; throws `.unavailable` when every attempt
    /// failed in transport (refused, reset, timed out), and `CancellationError`
    /// when the calling task is cancelled.
    func send(_ call: Call) async throws -> S3Response {
        let request = S3Request(
            method: call.method.rawValue, host: endpoint.hostHeader,
            path: call.objectKey.map(endpoint.objectPath) ?? endpoint.bucketPath, query: call.query,
            headers: call.headers,
            payloadSHA256: call.payloadSHA256 ?? Hex.encode(SHA256.hash(call.body)))
        let body = call.body.isEmpty ? nil : ByteBuffer(bytes: call.body)
        var lastFailure = ""
        for attempt in 1...retry.maxAttempts {
            if attempt > 1 {
                let delay = retry.delay(beforeRetry: attempt - 1)
                logger.debug("retrying S3 request", metadata: [
                    "method": "\(request.method)", "path": "\(request.path)", "attempt": "\(attempt)",
                    "delay": "\(delay)", "reason": "\(lastFailure)",
                ])
                try await retry.sleep(delay)
            }
            try Task.checkCancellation()
            do {
                let response = try await attemptWithTimeout(request, body: body, call: call, attempt: attempt)
                guard S3RetryPolicy.isRetryable(status: response.status), attempt < retry.maxAttempts else {
                    return response
                }
                lastFailure = "HTTP \(response.status)"
            } catch let error as ObjectStoreError {
                throw error
            } catch let error as S3TransportFailure {
                lastFailure = error.description
            } catch {
                if Task.isCancelled { throw CancellationError() }
                lastFailure = "\(error)"
            }
        }
        throw ObjectStoreError.unavailable(
            "\(request.method) \(endpoint.url(for: request)): \(lastFailure) (after \(retry.maxAttempts) attempts)")
    }

    /// One attempt, abandoned (and its connection closed) after `timeout`.
    private func attemptWithTimeout(
        _ request: S3Request, body: ByteBuffer?, call: Call, attempt: Int
    ) async throws -> S3Response {
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: S3Response.self) { group in
            group.addTask { try await self.exchange(request, body: body, call: call, attempt: attempt) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw S3TransportFailure(description: "no complete answer within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else {
                throw S3TransportFailure(description: "no answer")
            }
            return first
        }
    }

    /// Signs and sends `request` and reads the whole answer.
    private func exchange(_ request: S3Request, body: ByteBuffer?, call: Call, attempt: Int) async throws -> S3Response {
        var outgoing = HTTPClientRequest(url: endpoint.url(for: request))
        outgoing.method = call.method
        for header in signer.headers(for: request, at: AMZTimestamp(secondsSince1970: Self.now())) {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if let body { outgoing.body = .bytes(body) }
        let response = try await client.execute(outgoing, timeout: TimeAmount(timeout), logger: logger)
        var bytes: [UInt8] = []
        if let length = response.headers.first(name: "content-length").flatMap(Int.init), length <= call.maxResponseBytes {
            bytes.reserveCapacity(length)
        }
        for try await chunk in response.body {
            guard bytes.count + chunk.readableBytes <= call.maxResponseBytes else {
                throw ObjectStoreError.invalidResponse("answer to \(request.method) \(request.path) exceeds \(call.maxResponseBytes) bytes")
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return S3Response(status: Int(response.status.code), headers: response.headers, body: bytes, attempts: attempt)
    }

    /// Seconds since the Unix epoch, from the real-time clock.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec)
    }
}

/// A transport-level failure of one attempt (timeout), retried like connection errors.
struct S3TransportFailure: Error, CustomStringConvertible {
    let description: String
}

extension TimeAmount {
    /// `duration` in NIO's nanosecond count, at least one nanosecond.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(max(1, seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue
            &+ attoseconds / 1_000_000_000))
    }
}
