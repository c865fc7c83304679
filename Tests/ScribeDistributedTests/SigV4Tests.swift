import S3Protocol
import Testing
import ScribeBytes
import ScribeCrypto

/// The signer against the examples of AWS's S3 documentation ("Signature
/// Calculations for the Authorization Header: Transferring Payload in a Single
/// Chunk"): the same credentials, time and requests give the published signatures.
@Suite struct SigV4Tests {
    static let signer = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                   secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    /// 2013-05-24T00:00:00Z.
    static let time = AMZTimestamp(secondsSince1970: 1_369_353_600)
    static let host = "examplebucket.s3.amazonaws.com"

    static func authorization(_ request: S3Request) -> String? {
        signer.headers(for: request, at: time).first { $0.name == "Authorization" }?.value
    }

    @Test func getObjectWithRangeMatchesTheAWSExample() {
        let request = S3Request(method: "GET", host: Self.host, path: "/test.txt",
                                headers: [S3Request.Header("Range", "bytes=0-9")])
        #expect(Self.authorization(request) == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            + "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func putObjectWithAnEncodedKeyMatchesTheAWSExample() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let request = S3Request(
            method: "PUT", host: Self.host, path: "/test$file.text",
            headers: [S3Request.Header("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                      S3Request.Header("x-amz-storage-class", "REDUCED_REDUNDANCY")],
            payloadSHA256: Hex.encode(SHA256.hash(body)))
        #expect(request.payloadSHA256 == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        #expect(request.canonicalURI == "/test%24file.text")
        let headers = Self.signer.headers(for: request, at: Self.time).filter { $0.name != "Authorization" }
        let canonical = Self.signer.canonicalRequest(request, headers: headers)
        #expect(canonical == """
            PUT
            /test%24file.text

            date:Fri, 24 May 2013 00:00:00 GMT
            host:examplebucket.s3.amazonaws.com
            x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
            x-amz-date:20130524T000000Z
            x-amz-storage-class:REDUCED_REDUNDANCY

            date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class
            44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
            """)
        #expect(Self.signer.stringToSign(canonicalRequest: canonical, at: Self.time) == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d
            """)
        #expect(Self.authorization(request)?.hasSuffix(
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd") == true)
    }

    @Test func getBucketLifecycleSignsAValuelessParameterAsNameEquals() {
        let request = S3Request(method: "GET", host: Self.host, path: "/", query: [S3Request.QueryItem("lifecycle")])
        #expect(request.canonicalQueryString == "lifecycle=")
        #expect(Self.authorization(request)?.hasSuffix(
            "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543") == true)
    }

    @Test func listObjectsSortsTheQuery() {
        let request = S3Request(method: "GET", host: Self.host, path: "/",
                                query: [S3Request.QueryItem("prefix", "J"), S3Request.QueryItem("max-keys", "2")])
        #expect(request.canonicalQueryString == "max-keys=2&prefix=J")
        #expect(Self.authorization(request)?.hasSuffix(
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
    }

    @Test func everyRequestCarriesHostDateAndPayloadHash() {
        let request = S3Request(method: "DELETE", host: "127.0.0.1:9000", path: "/bucket/a")
        let names = Self.signer.headers(for: request, at: Self.time).map(\.name)
        #expect(names == ["host", "x-amz-content-sha256", "x-amz-date", "Authorization"])
        let value = Self.signer.headers(for: request, at: Self.time).first { $0.name == "x-amz-content-sha256" }?.value
        #expect(value == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.encode(SHA256.hash([])) == SHA256.emptyHex)
    }

    @Test func aSessionTokenIsSentAndSigned() {
        let signer = SigV4Signer(
            credentials: S3Credentials(accessKeyID: "AK", secretAccessKey: "SK", sessionToken: "token/+="),
            region: "eu-west-1")
        let request = S3Request(method: "GET", host: Self.host, path: "/a")
        let headers = signer.headers(for: request, at: Self.time)
        #expect(headers.contains(S3Request.Header("x-amz-security-token", "token/+=")))
        let authorization = headers.first { $0.name == "Authorization" }?.value ?? ""
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(authorization.contains("Credential=AK/20130524/eu-west-1/s3/aws4_request,"))
    }

    @Test func anonymousCredentialsSendNoAuthorization() {
        let signer = SigV4Signer(credentials: S3Credentials(accessKeyID: "", secretAccessKey: ""), region: "us-east-1")
        let headers = signer.headers(for: S3Request(method: "GET", host: Self.host, path: "/a"), at: Self.time)
        #expect(!headers.contains { $0.name == "Authorization" })
        #expect(headers.contains { $0.name == "x-amz-content-sha256" })
    }

    @Test func headerValuesAreTrimmedAndRepeatedNamesJoined() {
        let request = S3Request(method: "GET", host: Self.host, path: "/",
                                headers: [S3Request.Header("X-Amz-Meta-A", "  one   two  "),
                                          S3Request.Header("x-amz-meta-a", "three")])
        let headers = Self.signer.headers(for: request, at: Self.time).filter { $0.name != "Authorization" }
        #expect(Self.signer.canonicalRequest(request, headers: headers).contains("\nx-amz-meta-a:one two,three\n"))
    }

    @Test func uriEncodingFollowsTheAWSRules() {
        #expect(S3URIEncoding.path("/a b/c+d~e_f.g-h/$é") == "/a%20b/c%2Bd~e_f.g-h/%24%C3%A9")
        #expect(S3URIEncoding.queryComponent("a/b=c&d") == "a%2Fb%3Dc%26d")
        let request = S3Request(method: "GET", host: "h", path: "/b",
                                query: [S3Request.QueryItem("b", "2"), S3Request.QueryItem("a", "x y"),
                                        S3Request.QueryItem("a", "w")])
        #expect(request.canonicalQueryString == "a=w&a=x%20y&b=2")
        #expect(request.pathAndQuery == "/b?a=w&a=x%20y&b=2")
    }

    @Test func timestampsAreUTCCalendarDates() {
        #expect(AMZTimestamp(secondsSince1970: 0).dateTime == "19700101T000000Z")
        #expect(AMZTimestamp(secondsSince1970: 951_782_400).dateTime == "20000229T000000Z")
        #expect(AMZTimestamp(secondsSince1970: 4_102_444_799).dateTime == "20991231T235959Z")
        #expect(AMZTimestamp(secondsSince1970: 1_700_000_000).date == "20231114")
    }

    @Test func endpointsAddressPathAndVirtualHostStyle() throws {
        let path = try S3Endpoint(url: "http://127.0.0.1:9000/", bucket: "b", pathStyle: true)
        #expect(path.hostHeader == "127.0.0.1:9000")
        #expect(path.objectPath("p/k") == "/b/p/k")
        #expect(path.bucketPath == "/b")
        let virtual = try S3Endpoint(url: "https://s3.eu-west-1.amazonaws.com", bucket: "b", pathStyle: false)
        #expect(virtual.hostHeader == "b.s3.eu-west-1.amazonaws.com")
        #expect(virtual.objectPath("k") == "/k")
        let request = S3Request(method: "GET", host: virtual.hostHeader, path: virtual.bucketPath,
                                query: [S3Request.QueryItem("list-type", "2")])
        #expect(virtual.url(for: request) == "https://b.s3.eu-west-1.amazonaws.com/?list-type=2")
        #expect(try S3Endpoint(url: "https://h:443", bucket: "b", pathStyle: true).hostHeader == "h")
        for bad in ["ftp://h", "h:9000", "http://", "http://h:0", "http://h:x", "http://h/path", "http://u@h"] {
            #expect(throws: S3EndpointError.self) { try S3Endpoint(url: bad, bucket: "b", pathStyle: true) }
        }
        #expect(throws: S3EndpointError.self) { try S3Endpoint(url: "http://h", bucket: "", pathStyle: true) }
    }
}
