import ScribeVerifier
import ScribeBytes

/// One line of the audit log: who did what to which key, and how it ended.
///
/// Written as one compact JSON object (see `jsonLine`) with every field always present,
/// `null` when unknown, in this order:
///
/// | field | value |
/// |---|---|
/// | `time` | RFC 3339 UTC with milliseconds, e.g. `2025-03-01T12:34:56.789Z` |
/// | `action` | `write`, `delete`, `batch`, `auth_failure`, `forbidden`, `rate_limited`, `admin` |
/// | `method`, `path` | the request line's method and path (as sent, percent-encoding kept) |
/// | `key` | the key as a string when its bytes are valid UTF-8, else `null` |
/// | `keyHex` | the key's bytes in lowercase hex (always exact), `null` without a key |
/// | `client` | the API key's name (`anonymous` without authentication), `null` when unauthenticated |
/// | `remote` | the peer's IP address |
/// | `outcome` | `ok` (status < 400), `denied` (401, 403, 429) or `error` |
/// | `status` | the HTTP status code |
/// | `detail` | the error message for failures, else `null` |
public struct AuditEvent: Sendable, Equatable {
    /// What kind of request an event records.
    public enum Action: String, Sendable, CaseIterable {
        case write
        case delete
        case batch
        case authFailure = "auth_failure"
        case forbidden
        case rateLimited = "rate_limited"
        case admin
    }

    /// How the request ended.
    public enum Outcome: String, Sendable, CaseIterable {
        case ok
        case denied
        case error

        /// The outcome an HTTP status means.
        public init(status: Int) {
            switch status {
            case 401, 403, 429: self = .denied
            case ..<400: self = .ok
            default: self = .error
            }
        }
    }

    /// Milliseconds since the Unix epoch.
    public var timeMilliseconds: UInt64
    public var action: Action
    public var method: String
    public var path: String
    /// The key's raw bytes, when the request names one key.
    public var key: [UInt8]?
    public var client: String?
    public var remoteAddress: String
    public var outcome: Outcome
    public var status: Int
    public var detail: String?

    public init(
        timeMilliseconds: UInt64, action: Action, method: String, path: String, key: [UInt8]?, client: String?,
        remoteAddress: String, status: Int, detail: String?
    ) {
        self.timeMilliseconds = timeMilliseconds
        self.action = action
        self.method = method
        self.path = path
        self.key = key
        self.client = client
        self.remoteAddress = remoteAddress
        self.outcome = Outcome(status: status)
        self.status = status
        self.detail = detail
    }

    /// The event as one line of compact JSON, without the trailing newline. Strings are
    /// escaped by `JSONWriter`, so no field can break the line or forge another one.
    public var jsonLine: String {
        let text = key.flatMap { String(validating: $0, as: UTF8.self) }
        let members: [(key: String, value: JSONValue)] = [
            ("time", .string(UTCTimestamp.format(milliseconds: timeMilliseconds))),
            ("action", .string(action.rawValue)),
            ("method", .string(method)),
            ("path", .string(path)),
            ("key", text.map { .string($0) } ?? .null),
            ("keyHex", key.map { .string(Hex.encode($0)) } ?? .null),
            ("client", client.map { .string($0) } ?? .null),
            ("remote", .string(remoteAddress)),
            ("outcome", .string(outcome.rawValue)),
            ("status", .integer(UInt64(clamping: status))),
            ("detail", detail.map { .string($0) } ?? .null),
        ]
        return JSONWriter.write(.object(members), pretty: false)
    }
}
