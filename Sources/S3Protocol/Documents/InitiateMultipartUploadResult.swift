/// The reply to `POST /key?uploads`: the upload's id, needed by every later call.
public struct InitiateMultipartUploadResult: Sendable, Equatable {
    public var uploadID: String

    public init(uploadID: String) {
        self.uploadID = uploadID
    }

    /// Decodes an `<InitiateMultipartUploadResult>` document. Throws `XMLError` for
    /// malformed XML and `S3DocumentError` for another root or an empty `UploadId`.
    public static func decode(_ bytes: [UInt8]) throws -> InitiateMultipartUploadResult {
        try decode(XMLReader.parse(bytes))
    }

    public static func decode(_ root: XMLElement) throws(S3DocumentError) -> InitiateMultipartUploadResult {
        try root.expectRoot("InitiateMultipartUploadResult")
        let id = try root.requiredText("UploadId")
        guard !id.isEmpty else { throw .invalidValue(element: "UploadId", value: id) }
        return InitiateMultipartUploadResult(uploadID: id)
    }
}
