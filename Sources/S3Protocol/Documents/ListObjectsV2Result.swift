/// One page of a ListObjectsV2 reply (`<ListBucketResult>`).
public struct ListObjectsV2Result: Sendable, Equatable {
    /// One `<Contents>` entry.
    public struct Object: Sendable, Equatable {
        /// The full key, bucket prefix included.
        public var key: String
        public var size: UInt64
        /// The entity tag without quotes, when the reply has one.
        public var etag: String?

        public init(key: String, size: UInt64, etag: String? = nil) {
            self.key = key
            self.size = size
            self.etag = etag
        }
    }

    public var objects: [Object]
    /// True when more keys follow: ask again with `nextContinuationToken`.
    public var isTruncated: Bool
    public var nextContinuationToken: String?

    public init(objects: [Object], isTruncated: Bool, nextContinuationToken: String? = nil) {
        self.objects = objects
        self.isTruncated = isTruncated
        self.nextContinuationToken = nextContinuationToken
    }

    /// Decodes a `<ListBucketResult>` document. Throws `XMLError` for malformed XML
    /// and `S3DocumentError` for another root, a `Contents` without `Key` or `Size`,
    /// a size that is not a decimal number, or a truncated page without a token.
    public static func decode(_ bytes: [UInt8]) throws -> ListObjectsV2Result {
        try decode(XMLReader.parse(bytes))
    }

    public static func decode(_ root: XMLElement) throws(S3DocumentError) -> ListObjectsV2Result {
        try root.expectRoot("ListBucketResult")
        var objects: [Object] = []
        for entry in root.children(named: "Contents") {
            let sizeText = try entry.requiredText("Size")
            guard let size = UInt64(sizeText) else { throw .invalidValue(element: "Size", value: sizeText) }
            objects.append(Object(key: try entry.requiredText("Key"), size: size,
                                  etag: entry.child("ETag").map { S3ETag.unquoted($0.text) }))
        }
        let truncated = try root.boolean("IsTruncated") ?? false
        let token = root.child("NextContinuationToken")?.text
        if truncated && (token ?? "").isEmpty { throw .missingElement("NextContinuationToken") }
        return ListObjectsV2Result(objects: objects, isTruncated: truncated, nextContinuationToken: token)
    }
}
