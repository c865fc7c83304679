/// The keys a request is signed with. Both keys empty means anonymous: requests
/// go out unsigned (a public bucket, or a local test server without checks).
public struct S3Credentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// A temporary session's token, sent and signed as `x-amz-security-token`.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// True when there is nothing to sign with.
    public var isAnonymous: Bool { accessKeyID.isEmpty && secretAccessKey.isEmpty }
}
