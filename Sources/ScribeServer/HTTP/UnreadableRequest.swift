import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// A request the HTTP parser could not read: a malformed request line, header or chunk
/// framing, a head over the node's limit, or a connection that ended before the request
/// did. Always the client's doing, so it is answered 400 `bad_request` (431
/// `head_too_large` for the head over the limit), never 500; the answer closes the
/// connection, since the parser cannot find where the next request starts.
///
/// `UnreadableRequestHandler` answers those found in a request's head itself and hands
/// those found in its body to the route reading it, wrapped in this type, so that
/// `ErrorMappingMiddleware` answers them.
struct UnreadableRequest: Error, CustomStringConvertible {
    let answer: APIError

    /// What to answer for `error`; nil when `error` is not about the bytes the client sent
    /// (an I/O error, for example). `headLimit` is the node's limit on the request head, for
    /// the 431's message.
    init?(_ error: any Error, headLimit: Int?) {
        switch error {
        case let ByteToMessageDecoderError.dataReceivedInErrorState(underlying, _):
            self.init(underlying, headLimit: headLimit)
        case let error as HTTPParserError:
            self.init(parserError: error, headLimit: headLimit)
        case let error as HTTP1TypeConversionError:
            self.init(answer: Self.badRequest("the request head is not valid HTTP: \(error)"))
        default:
            return nil
        }
    }

    init(parserError error: HTTPParserError, headLimit: Int?) {
        switch error {
        case .headerOverflow:
            let limit = headLimit.map { "this node's limit of \($0) bytes" } ?? "this node's limit"
            self.init(answer: APIError(
                .requestHeaderFieldsTooLarge, code: "head_too_large",
                "the request's target, header names and values (or its trailers) pass \(limit); that limit holds "
                    + "any one key of up to storage.max_key_size bytes percent-encoded (docs/api.md)",
                headers: [.connection: "close"]))
        case .invalidEOFState:
            self.init(answer: Self.badRequest("the connection ended before the request did"))
        default:
            self.init(answer: Self.badRequest("the request is not valid HTTP/1.1: \(error)"))
        }
    }

    private init(answer: APIError) {
        self.answer = answer
    }

    private static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, code: "bad_request", message, headers: [.connection: "close"])
    }

    var description: String { answer.description }
}
