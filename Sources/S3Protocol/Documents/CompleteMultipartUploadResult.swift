/// The reply to `POST /key?uploadId=…`. S3 may answer 200 and still fail: the
/// body is then an `<Error>` document, so `decode` returns either.
public enum CompleteMultipartUploadReply: Sendable, Equatable {
    case completed(CompleteMultipartUploadResult)
    case failed(S3ErrorDocument)

    /// Decodes a `<CompleteMultipartUploadResult>` or an `<Error>`. Throws `XMLError`
    /// for malformed XML and `S3DocumentError` for another root or a missing `ETag`.
    public static func decode(_ bytes: [UInt8]) throws -> CompleteMultipartUploadReply {
        let root = try XMLReader.parse(bytes)
        if root.localName == "Error" { return .failed(try S3ErrorDocument.decode(root)) }
        return .completed(try CompleteMultipartUploadResult.decode(root))
    }
}

/// A completed multipart upload: the object's key and entity tag (`<md5>-<parts>`).
public struct CompleteMultipartUploadResult: Sendable, Equatable {
    public var key: String?
    /// Without quotes.
    public var etag: String

    public init(key: String?, etag: String) {
        self.key = key
        self.etag = etag
    }

    /// Decodes a `<CompleteMultipartUploadResult>` element; `<CompleteMultipartUploadResponse>`
    /// (moto_server's spelling) is read the same way.
    public static func decode(_ root: XMLElement) throws(S3DocumentError) -> CompleteMultipartUploadResult {
        if root.localName != "CompleteMultipartUploadResponse" { try root.expectRoot("CompleteMultipartUploadResult") }
        return CompleteMultipartUploadResult(key: root.child("Key")?.text, etag: S3ETag.unquoted(try root.requiredText("ETag")))
    }
}
