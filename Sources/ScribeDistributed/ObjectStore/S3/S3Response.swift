import NIOHTTP1

/// What came back for one S3 request after any retries: status, headers, the
/// whole body, and how many attempts it took.
struct S3Response: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]
    let attempts: Int

    var isSuccess: Bool { (200..<300).contains(status) }

    /// The first value of header `name`.
    func header(_ name: String) -> String? {
        headers.first(name: name)
    }
}
