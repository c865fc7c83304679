/// An S3 error reply: `<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId></Error>`,
/// sometimes with the `Key` or `Resource` concerned.
public struct S3ErrorDocument: Sendable, Equatable {
    public var code: String
    public var message: String
    public var requestID: String?
    public var key: String?
    public var resource: String?

    public init(code: String, message: String, requestID: String? = nil, key: String? = nil, resource: String? = nil) {
        self.code = code
        self.message = message
        self.requestID = requestID
        self.key = key
        self.resource = resource
    }

    /// Decodes an `<Error>` document. Throws `XMLError` for malformed XML and
    /// `S3DocumentError` for another root or a missing `Code`.
    public static func decode(_ bytes: [UInt8]) throws -> S3ErrorDocument {
        try decode(XMLReader.parse(bytes))
    }

    /// Decodes a parsed `<Error>` element (`Message` may be absent: then empty).
    public static func decode(_ root: XMLElement) throws(S3DocumentError) -> S3ErrorDocument {
        try root.expectRoot("Error")
        return S3ErrorDocument(
            code: try root.requiredText("Code"), message: root.child("Message")?.text ?? "",
            requestID: root.child("RequestId")?.text, key: root.child("Key")?.text,
            resource: root.child("Resource")?.text)
    }
}
