import Hummingbird
import NIOCore
import ScribeVerifier

/// JSON responses built from `ScribeVerifier.JSONValue` (compact, UTF-8).
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(
            status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: JSONWriter.write(value, pretty: false))))
    }

    /// A byte string for JSON: the UTF-8 text when the bytes are valid UTF-8, else null.
    static func text(_ bytes: [UInt8]) -> JSONValue {
        String(validating: bytes, as: UTF8.self).map(JSONValue.string) ?? .null
    }
}
