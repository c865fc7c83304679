import Foundation
import ScribeServer
import ScribeTestSupport
import ScribeVerifier
import Testing
import ScribeBytes

/// What a client can send that the HTTP parser cannot read, through the real binary.
@Suite struct NodeHostileInputTests {
    static let chunkedPut = "PUT /kv/hostile HTTP/1.1\r\nHost: node\r\nTransfer-Encoding: chunked\r\n\r\n"
    /// Requests whose bytes are wrong, and whether the client half-closes after sending them.
    static let malformed: [(name: String, bytes: String, halfClose: Bool)] = [
        ("a chunk size that is not hex", chunkedPut + "zz\r\nabc\r\n0\r\n\r\n", false),
        ("a chunk size past 64 bits", chunkedPut + "fffffffffffffffffffff\r\nabc\r\n0\r\n\r\n", false),
        ("a chunk without its CRLF", chunkedPut + "3\r\nabcXY0\r\n\r\n", false),
        ("a body short of its Content-Length, then a half-close",
         "PUT /kv/hostile HTTP/1.1\r\nHost: node\r\nContent-Length: 10\r\n\r\nabc", true),
        ("a chunked body ended by a half-close", chunkedPut + "3\r\nabc\r\n", true),
        ("a bad request line", "GE T /health HTTP/1.1\r\nHost: node\r\n\r\n", false),
        ("a header name with a space", "GET /health HTTP/1.1\r\nBad Header: x\r\n\r\n", false),
    ]

    @Test func malformedRequestsAreAnswered400JSONAndLoggedBelowError() throws {
        let directory = try TemporaryDirectory("node-hostile")
        let log = directory.file("node.log")
        let node = try NodeProcess(["--port", "0", "--data-dir", directory.file("data"), "--log-format", "json"], log: log)
        for request in Self.malformed {
            let answer = try RawHTTP.exchange(port: node.port, Array(request.bytes.utf8), halfClose: request.halfClose)
            #expect(answer.status == 400, "\(request.name): \(answer.status) \(answer.text)")
            #expect(answer.headers["content-type"] == "application/json", "\(request.name)")
            #expect(answer.errorCode == "bad_request", "\(request.name): \(answer.text)")
            #expect(answer.headers["connection"] == "close", "\(request.name)")
            #expect(try node.request("GET", "/health").status == 200, "the node serves after \(request.name)")
        }
        let missing = try node.request("GET", "/kv/hostile")
        #expect(missing.status == 404, "no malformed PUT was stored")
        #expect(node.terminate() == 0)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.contains("\"message\":\"stopped\"") }, "the log holds the node's lines")
        let errors = lines.filter { $0.contains("\"level\":\"error\"") }
        #expect(errors.isEmpty, "error-level lines: \(errors)")
    }

    /// A key of `storage.max_key_size` bytes none of which is unreserved, so that every one
    /// is three characters in a path: it goes in through a batch and is read back through
    /// every route that takes a key in its path.
    @Test func aMaximalKeyOfAnyBytesFitsInAPathAndALongerHeadIsAnswered431() throws {
        let settings = APISettings()
        let key = (0..<settings.maxKeySize).map { UInt8(0x80 | ($0 % 128)) }
        let value = Array("the value of a long key".utf8)
        let directory = try TemporaryDirectory("node-long-key")
        let node = try NodeProcess(["--port", "0", "--data-dir", directory.file("data")])
        let batch = #"{"operations":[{"op":"put","key":"\#(Hex.encode(key))","value":"\#(Hex.encode(value))"}],"encoding":"hex"}"#
        let written = try node.request("POST", "/batch", body: Array(batch.utf8))
        #expect(written.status == 200, "\(String(decoding: written.body, as: UTF8.self))")

        let encoded = key.map { String(format: "%%%02X", $0) }.joined()
        func get(_ path: String) throws -> RawHTTPResponse {
            try RawHTTP.exchange(port: node.port, Array("GET \(path) HTTP/1.1\r\nHost: node\r\n\r\n".utf8))
        }
        let read = try get("/kv/" + encoded)
        #expect(read.status == 200, "\(read.text.prefix(300))")
        #expect(read.body == value)
        #expect(read.headers["x-scribe-sequence"] == "1")
        let versions = try get("/kv/\(encoded)/versions")
        #expect(versions.status == 200)
        #expect(versions.text.contains(#""keyHex":"\#(Hex.encode(key))""#))
        #expect(try get("/verify/" + encoded).status == 200)

        let refused = try get("/kv/" + String(repeating: "a", count: settings.maxRequestHeadSize))
        #expect(refused.status == 431, "\(refused.text)")
        #expect(refused.headers["content-type"] == "application/json")
        #expect(refused.errorCode == "head_too_large", "\(refused.text)")
        #expect(try node.request("GET", "/health").status == 200)
        #expect(node.terminate() == 0)
    }
}
