public import Hummingbird
import NIOCore
import ScribeVerifier

/// Every error the API returns: a status and a JSON body
/// `{"error": {"code": "...", "message": "..."}}`, plus any extra headers
/// (`Retry-After` for 429, `WWW-Authenticate` for 401).
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    /// A stable, machine-readable code, e.g. `not_found`, `value_too_large`.
    public let code: String
    public let message: String
    public let headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    /// The JSON body `{"error": {"code": "...", "message": "..."}}`.
    var body: ByteBuffer {
        let body = JSONValue.object([
            ("error", .object([("code", .string(code)), ("message", .string(message))])),
        ])
        return ByteBuffer(string: JSONWriter.write(body, pretty: false))
    }

    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code: code, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message) }
    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "value_too_large", "the body exceeds the configured limit of \(limit) bytes")
    }
    static func unavailable(_ message: String) -> APIError { APIError(.serviceUnavailable, code: "unavailable", message) }
}
