import Foundation
import S3Protocol
import ScribeTestSupport
import Testing
import ScribeBytes
import ScribeCrypto

/// The signer against botocore's `S3SigV4Auth`, run in python3 on the same
/// request (URL as we send it, headers, body, credentials, time): both must
/// produce the same signed header list and signature.
@Suite struct SigV4BotocoreTests {
    /// One case: what we sign, and what botocore is given.
    struct Case {
        var endpoint: S3Endpoint
        var method: String
        var key: String?
        var query: [S3Request.QueryItem] = []
        var headers: [S3Request.Header] = []
        var body: [UInt8] = []
        var sessionToken: String?
    }

    static let script = """
        import sys, json, datetime
        from unittest import mock
        from botocore.auth import S3SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        spec = json.loads(sys.argv[1])
        request = AWSRequest(method=spec["method"], url=spec["url"], headers=spec["headers"],
                             data=bytes.fromhex(spec["body"]))
        credentials = Credentials(spec["key"], spec["secret"], spec.get("token"))
        fixed = datetime.datetime(2024, 2, 29, 13, 14, 15)
        with mock.patch("botocore.auth.get_current_datetime", return_value=fixed):
            S3SigV4Auth(credentials, "s3", spec["region"]).add_auth(request)
        print(request.headers["Authorization"])
        """

    /// 2024-02-29T13:14:15Z, the time the script fixes.
    static let time = AMZTimestamp(secondsSince1970: 1_709_212_455)

    static func compare(_ testCase: Case) throws {
        let credentials = S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret/with+chars",
                                        sessionToken: testCase.sessionToken)
        let signer = SigV4Signer(credentials: credentials, region: "eu-central-1")
        let endpoint = testCase.endpoint
        let request = S3Request(
            method: testCase.method, host: endpoint.hostHeader,
            path: testCase.key.map(endpoint.objectPath) ?? endpoint.bucketPath, query: testCase.query,
            headers: testCase.headers, payloadSHA256: Hex.encode(SHA256.hash(testCase.body)))
        let ours = signer.headers(for: request, at: time).first { $0.name == "Authorization" }?.value ?? ""
        var spec: [String: Any] = [
            "method": testCase.method, "url": endpoint.url(for: request), "body": Hex.encode(testCase.body),
            "headers": Dictionary(testCase.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
            "key": credentials.accessKeyID, "secret": credentials.secretAccessKey, "region": "eu-central-1",
        ]
        if let token = testCase.sessionToken { spec["token"] = token }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        let theirs = try PythonScript.run(script, arguments: [json]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(ours.replacingOccurrences(of: ",", with: ", ") == theirs, "for \(testCase.method) \(endpoint.url(for: request))")
    }

    @Test func virtualHostStyleRangeGet() throws {
        try Self.compare(Case(
            endpoint: try S3Endpoint(url: "https://s3.eu-central-1.amazonaws.com", bucket: "my-bucket", pathStyle: false),
            method: "GET", key: "segments/000123.sst", headers: [S3Request.Header("range", "bytes=100-4195")]))
    }

    @Test func pathStyleConditionalPut() throws {
        try Self.compare(Case(
            endpoint: try S3Endpoint(url: "http://127.0.0.1:9000", bucket: "bucket", pathStyle: true),
            method: "PUT", key: "prefix/wal/7/1-20.wal",
            headers: [S3Request.Header("content-type", "application/octet-stream"), S3Request.Header("if-none-match", "*")],
            body: Array("some bytes of a WAL object".utf8)))
    }

    @Test func listWithPrefixStartAfterAndToken() throws {
        try Self.compare(Case(
            endpoint: try S3Endpoint(url: "http://localhost:4566", bucket: "bucket", pathStyle: true),
            method: "GET", key: nil,
            query: [S3Request.QueryItem("list-type", "2"), S3Request.QueryItem("prefix", "p/segments/"),
                    S3Request.QueryItem("continuation-token", "1/abc+def=="), S3Request.QueryItem("max-keys", "7")]))
    }

    @Test func sessionTokenAndMultipartQueries() throws {
        let endpoint = try S3Endpoint(url: "https://s3.eu-central-1.amazonaws.com", bucket: "b", pathStyle: false)
        try Self.compare(Case(endpoint: endpoint, method: "POST", key: "k", query: [S3Request.QueryItem("uploads")],
                              sessionToken: "FwoGZXIvYXdzEXAMPLE/token+="))
        try Self.compare(Case(endpoint: endpoint, method: "PUT", key: "k",
                              query: [S3Request.QueryItem("partNumber", "3"), S3Request.QueryItem("uploadId", "a/b+c")],
                              body: [UInt8](repeating: 0x5a, count: 1000), sessionToken: "t"))
    }
}
