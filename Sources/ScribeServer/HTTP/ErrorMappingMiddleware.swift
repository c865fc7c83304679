import HTTPTypes
import Hummingbird
import LSMEngine
import NIOHTTP1
import ScribeDistributed

/// Turns every error a handler or the router throws into the API's JSON error shape:
/// engine errors by kind (bad key 400, value too large 413, closed 503, read-only 503, bytes
/// held in an unreachable object store 503, a full disk 507, corruption and other I/O 500), the durable tier's (object
/// store unavailable 503, closed 503, corrupt 500), Hummingbird's own with their status —
/// an unknown route 404, or 405 with `Allow` when the path exists under other methods
/// (`AllowedMethods`) — and a body the HTTP parser could not read 400 (`UnreadableRequest`).
/// Runs outermost, so no error escapes as plain text.
struct ErrorMappingMiddleware: RouterMiddleware {
    typealias Context = ScribeRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as LSMError {
            throw Self.map(error)
        } catch let error as DurableTierError {
            throw APIError.map(error)
        } catch let error as HTTPError {
            if error.status == .notFound {
                let allowed = AllowedMethods.allowed(path: request.uri.path)
                let segments = request.uri.path.split(separator: "/")
                if segments.count == 1, let name = segments.first, DataRoutes.reservedNames.contains(String(name)),
                   request.method == .get || request.method == .put, !allowed.contains(request.method) {
                    throw DataRoutes.reserved(String(name))
                }
                if !allowed.isEmpty && !allowed.contains(request.method) {
                    throw APIError(
                        .methodNotAllowed, code: "method_not_allowed",
                        "\(request.method.rawValue) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))",
                        headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")])
                }
            }
            throw APIError(error.status, code: Self.code(error.status), error.body ?? error.status.reasonPhrase)
        } catch let error as UnreadableRequest {
            throw error.answer
        } catch let error as HTTPParserError {
            throw UnreadableRequest(parserError: error, headLimit: nil).answer
        } catch {
            context.logger.error("request failed: \(error)")
            throw APIError(.internalServerError, code: "internal", "the request failed: \(error)")
        }
    }

    static func map(_ error: LSMError) -> APIError {
        switch error {
        case .invalidKeySize: APIError.badRequest("bad_key", "\(error)")
        case .valueTooLarge: APIError(.contentTooLarge, code: "value_too_large", "\(error)")
        case .invalidArgument: APIError.badRequest("bad_request", "\(error)")
        case .closed, .locked: APIError.unavailable("\(error)")
        case .unavailable: APIError.objectStoreUnavailable("\(error)")
        case .readOnly: APIError(.serviceUnavailable, code: "storage_read_only", "\(error)")
        case .io where error.isOutOfSpace:
            APIError(.init(code: 507, reasonPhrase: "Insufficient Storage"), code: "insufficient_storage", "\(error); writes resume once space is freed")
        case .corruption, .io: APIError(.internalServerError, code: "storage_error", "\(error)")
        }
    }

    static func code(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "route_not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "value_too_large"
        case .badRequest: "bad_request"
        default: "http_\(status.code)"
        }
    }
}
