/// Why an object store call failed. `isRetryable` tells the durable tier whether
/// to keep the work in its backlog and try again later.
public enum ObjectStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No object under the key.
    case notFound(key: String)
    /// `ifAbsent` was set and the key already holds an object.
    case alreadyExists(key: String)
    /// The stored object differs from what was uploaded (size or checksum).
    case verificationFailed(key: String, reason: String)
    /// The service answered with an error document (S3 `<Error><Code>…`), after any retries.
    case service(status: Int, code: String, message: String, key: String?, requestID: String?)
    /// The service could not be reached or did not answer in time, after every retry.
    case unavailable(String)
    /// The service answered with something that is not a valid reply.
    case invalidResponse(String)
    /// A local file could not be read or written.
    case io(String)

    /// True for failures that may pass: unreachable service, 5xx, 429 and 503 "slow down".
    public var isRetryable: Bool {
        switch self {
        case .unavailable: return true
        case let .service(status, _, _, _, _): return status >= 500 || status == 429
        case .notFound, .alreadyExists, .verificationFailed, .invalidResponse, .io: return false
        }
    }

    public var description: String {
        switch self {
        case let .notFound(key): return "object \(key) not found"
        case let .alreadyExists(key): return "object \(key) already exists"
        case let .verificationFailed(key, reason): return "object \(key) failed verification: \(reason)"
        case let .service(status, code, message, key, requestID):
            return "object store error \(status) \(code): \(message)" + (key.map { " (key \($0))" } ?? "")
                + (requestID.map { " [request \($0)]" } ?? "")
        case let .unavailable(reason): return "object store unavailable: \(reason)"
        case let .invalidResponse(reason): return "invalid object store response: \(reason)"
        case let .io(reason): return "object store I/O error: \(reason)"
        }
    }
}
