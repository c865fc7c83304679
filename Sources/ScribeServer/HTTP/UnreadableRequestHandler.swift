import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers what the HTTP parser cannot read with the API's JSON errors (`UnreadableRequest`),
/// placed in each connection's pipeline between the HTTP codec and Hummingbird.
///
/// - An error in a request's head (a bad request line or header, a head over the limit):
///   Hummingbird would answer an empty 400. This handler answers it itself — 400
///   `bad_request` or 431 `head_too_large`, JSON, `Connection: close` — once every earlier
///   request on the connection has its response, then closes its side of the connection.
///   It logs at debug.
/// - An error in a request's body (bad chunk framing, the connection ending early): passed
///   on as `UnreadableRequest`, so the route reading the body throws it and
///   `ErrorMappingMiddleware` answers 400 (Hummingbird would otherwise log and answer it as an
///   internal error, or add a second, empty 400 after a route that did not read the body).
///
/// After either, nothing more is read from the connection.
final class UnreadableRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let headLimit: Int
    private let logger: Logger
    /// Between a request's head and its end.
    private var readingBody = false
    /// Requests passed on whose response has not ended yet.
    private var unanswered = 0
    /// Set once the parser failed: nothing more is passed on.
    private var failed = false
    /// The answer to an unreadable head, written once `unanswered` is 0.
    private var pendingAnswer: APIError?

    init(headLimit: Int, logger: Logger) {
        self.headLimit = headLimit
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        switch unwrapInboundIn(data) {
        case .head:
            readingBody = true
            unanswered += 1
        case .body:
            break
        case .end:
            readingBody = false
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            if unanswered == 0 { writePendingAnswer(context) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let unreadable = UnreadableRequest(error, headLimit: headLimit) else {
            context.fireErrorCaught(error)
            return
        }
        guard !failed else { return }
        failed = true
        if readingBody {
            context.fireErrorCaught(unreadable)
            return
        }
        logger.debug(
            "unreadable request",
            metadata: [
                "status": .stringConvertible(unreadable.answer.status.code), "error": .string("\(error)"),
                "client": .string(context.channel.remoteAddress?.ipAddress ?? "unknown"),
            ])
        pendingAnswer = unreadable.answer
        if unanswered == 0 { writePendingAnswer(context) }
    }

    private func writePendingAnswer(_ context: ChannelHandlerContext) {
        guard let answer = pendingAnswer else { return }
        pendingAnswer = nil
        let body = answer.body
        var fields = answer.headers
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(body.readableBytes)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        // Only the output is closed: the client reads the answer and closes (or the idle
        // timeout does), rather than a close with its unread bytes resetting the connection
        // before it has read the answer.
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(mode: .output).assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        }
    }
}
