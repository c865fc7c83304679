import HTTPTypes
import Hummingbird
import NIOCore

/// Reading what a request carries, with the API's errors for each way it can be wrong.
struct RequestReading {
    let settings: APISettings

    /// The key in the path parameter `name`, percent-decoded; 400 when it is empty,
    /// badly escaped or longer than the configured limit.
    func key(_ context: ScribeRequestContext, parameter name: String = "key") throws -> [UInt8] {
        guard let raw = context.parameters.get(name) else { throw APIError.badRequest("bad_key", "the path has no key") }
        return try checkedKey(PercentEncoding.decode(raw[...]), source: "the path")
    }

    /// `bytes` as a key, or 400 naming where it came from.
    func checkedKey(_ bytes: [UInt8]?, source: String) throws -> [UInt8] {
        guard let bytes else { throw APIError.badRequest("bad_key", "\(source): a % is not followed by two hex digits") }
        guard !bytes.isEmpty else { throw APIError.badRequest("bad_key", "\(source): the key is empty") }
        guard bytes.count <= settings.maxKeySize else {
            throw APIError.badRequest("bad_key", "\(source): the key is \(bytes.count) bytes; the limit is \(settings.maxKeySize)")
        }
        return bytes
    }

    /// The whole body, counted as it streams in: 413 as soon as it passes `limit`,
    /// so an oversized upload is never buffered. A body the parser cannot read (bad chunk
    /// framing, the connection ending early) throws `UnreadableRequest` (400); so does a
    /// stream that ends short of its `Content-Length`.
    func body(_ request: Request, limit: Int) async throws -> [UInt8] {
        let contentLength = request.headers[.contentLength].map { Array($0.utf8) }
        let declared = try number(contentLength, named: "Content-Length", in: 0...Int.max, code: "bad_header")
        if let declared, declared > limit { throw APIError.tooLarge(limit) }
        var bytes: [UInt8] = []
        for try await buffer in request.body {
            guard bytes.count + buffer.readableBytes <= limit else { throw APIError.tooLarge(limit) }
            buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
        }
        if let declared, bytes.count < declared {
            throw APIError(
                .badRequest, code: "bad_request",
                "the body ended after \(bytes.count) of the \(declared) bytes its Content-Length declares",
                headers: [.connection: "close"])
        }
        return bytes
    }

    /// The request's `X-Scribe-Durability` (`local`, `buffered`, `replicated`, or
    /// `synced` for `local`; any letter case), else the node's default. 400 for another
    /// value, and for `replicated` on a node without an object store.
    func durability(_ request: Request) throws -> Durability {
        guard let text = request.headers[HTTPField.Name.scribeDurability] else { return settings.defaultDurability }
        guard let durability = Durability(rawValue: text.lowercased()) else {
            throw APIError.badRequest(
                "bad_header",
                "X-Scribe-Durability must be one of \(Durability.acceptedNames.joined(separator: ", ")) "
                    + "(synced is local), not \(text)")
        }
        if durability == .replicated, !settings.replicationAvailable { throw APIError.replicationNotConfigured }
        return durability
    }

    /// The decoded query items; 400 on a bad escape.
    func query(_ request: Request) throws -> [String: [UInt8]] {
        guard let items = PercentEncoding.queryItems(request.uri.query) else {
            throw APIError.badRequest("bad_query", "the query string has a % not followed by two hex digits")
        }
        return items
    }

    /// The integer query item `name` when `range` holds it, or nil when absent; 400
    /// `bad_query` otherwise (see `number`).
    func integer<T: FixedWidthInteger>(_ items: [String: [UInt8]], _ name: String, in range: ClosedRange<T>) throws -> T? {
        try number(items[name], named: name, in: range, code: "bad_query")
    }

    /// Every number a request carries (query items, headers) is read here: `text` as a
    /// decimal integer of ASCII digits alone (no sign, space, fraction or exponent) that
    /// `range` holds, or nil when `text` is nil; otherwise 400 `code` naming `name` and
    /// the range. The digits accumulate with overflow checks, so no input can trap.
    func number<T: FixedWidthInteger>(
        _ text: [UInt8]?, named name: String, in range: ClosedRange<T>, code: String
    ) throws -> T? {
        guard let text else { return nil }
        var value: T? = text.isEmpty ? nil : 0
        for byte in text {
            guard let sum = value, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                value = nil
                break
            }
            let (times10, overflow) = sum.multipliedReportingOverflow(by: 10)
            let (next, carry) = times10.addingReportingOverflow(T(truncatingIfNeeded: byte &- UInt8(ascii: "0")))
            value = overflow || carry ? nil : next
        }
        guard let value, range.contains(value) else {
            throw APIError.badRequest(code, "\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}

extension HTTPField.Name {
    /// `X-Scribe-Durability`: `local` (alias `synced`), `buffered` or `replicated`, per request.
    static let scribeDurability = HTTPField.Name("X-Scribe-Durability")!
    /// `X-Scribe-Sequence`: the sequence number of the version returned or written.
    static let scribeSequence = HTTPField.Name("X-Scribe-Sequence")!
    /// `X-Scribe-Value-SHA256`: SHA-256 of the returned value, lowercase hex.
    static let scribeValueHash = HTTPField.Name("X-Scribe-Value-SHA256")!
    /// `X-Scribe-Kind`: `put` or `delete`.
    static let scribeKind = HTTPField.Name("X-Scribe-Kind")!
}
