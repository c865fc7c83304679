import Foundation
import ScribeServer
import Testing

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
        let directory = NSTemporaryDirectory() + "scribe-node-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/node.log"
        let node = try NodeProcess(["--port", "0", "--data-dir", directory + "/data", "--log-format", "json"], log: log)
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
}
