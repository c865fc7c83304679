import NIOHTTP1
import S3Protocol

/// Turns an S3 answer that is not a success into `ObjectStoreError.service`,
/// from its XML error document when it has one (HEAD answers and some proxies'
/// answers have none: the HTTP reason phrase stands in for code and message).
enum S3ErrorMapping {
    static func serviceError(_ response: S3Response, key: String?) -> ObjectStoreError {
        let reason = HTTPResponseStatus(statusCode: response.status).reasonPhrase
        guard let document = try? S3ErrorDocument.decode(response.body) else {
            return .service(status: response.status, code: reason.replacingSpaces(), message: reason, key: key,
                            requestID: response.header("x-amz-request-id"))
        }
        return .service(status: response.status, code: document.code, message: document.message, key: key,
                        requestID: document.requestID ?? response.header("x-amz-request-id"))
    }

    /// The error code of the answer's XML error document, if it has one.
    static func code(_ response: S3Response) -> String? {
        try? S3ErrorDocument.decode(response.body).code
    }
}

extension String {
    /// `Not Found` → `NotFound`.
    fileprivate func replacingSpaces() -> String {
        split(separator: " ").joined()
    }
}
