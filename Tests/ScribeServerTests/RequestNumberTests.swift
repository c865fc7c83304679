import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ScribeTestSupport
import ScribeVerifier
import Testing
@testable import ScribeServer

/// Numbers taken from a request (query items, headers) are range-checked and refused
/// with the API's JSON error; none can trap the node (`GET /kv?limit=9223372036854775808`
/// once converted a UInt64 above Int.max to Int and killed it).
@Suite struct RequestNumberTests {
    static let reading = RequestReading(settings: APISettings())

    static func parse<T: FixedWidthInteger>(_ text: String, in range: ClosedRange<T>) -> T? {
        try? reading.number(Array(text.utf8), named: "n", in: range, code: "bad_query")
    }

    @Test func numbersAreDigitsAloneWithinTheirRange() throws {
        #expect(Self.parse("9223372036854775807", in: 0...Int.max) == Int.max)
        #expect(Self.parse("0009223372036854775807", in: 0...Int.max) == Int.max)
        #expect(Self.parse("9223372036854775808", in: 0...Int.max) == nil)
        #expect(Self.parse("18446744073709551615", in: 0...UInt64.max) == UInt64.max)
        #expect(Self.parse("18446744073709551616", in: 0...UInt64.max) == nil)
        #expect(Self.parse("99999999999999999999999999", in: 0...UInt64.max) == nil)
        #expect(Self.parse("255", in: UInt8.min...UInt8.max) == 255)
        #expect(Self.parse("256", in: UInt8.min...UInt8.max) == nil)
        #expect(Self.parse("1000", in: 1...1000) == 1000)
        #expect(Self.parse("1001", in: 1...1000) == nil)
        #expect(Self.parse("0", in: 1...1000) == nil)
        for garbage in ["", "-1", "+1", " 1", "1 ", "1e3", "0x10", "1.0", "１", "abc"] {
            #expect(Self.parse(garbage, in: Int.min...Int.max) == nil, "\(garbage) is not a number")
        }
        #expect(try Self.reading.number(nil, named: "n", in: 0...Int.max, code: "bad_query") == nil)
        do {
            _ = try Self.reading.number(Array("-1".utf8), named: "limit", in: 1...1000, code: "bad_query")
            Issue.record("-1 was accepted")
        } catch let error as APIError {
            #expect(error.status == .badRequest)
            #expect(error.code == "bad_query")
            #expect(error.message == "limit must be a whole number in 1...1000")
        }
    }

    @Test func listingLimitsOutOfRangeAre400AndTheRouterKeepsServing() async throws {
        try await withRouter { client, _ in
            try await client.execute(uri: "/kv/a", method: .put, body: ByteBuffer(string: "1"))
            try await client.execute(uri: "/kv/b", method: .put, body: ByteBuffer(string: "2"))
            for limit in ["9223372036854775808", "18446744073709551615", "18446744073709551616", "-1", "0", "1001",
                          "abc", "", "%2B1", "1e3"] {
                try await client.execute(uri: "/kv?limit=\(limit)", method: .get) { r in
                    #expect(r.status == .badRequest, "limit=\(limit)")
                    #expect(r.errorCode == "bad_query", "limit=\(limit)")
                    #expect(r.headers[.contentType] == "application/json")
                }
            }
            try await client.execute(uri: "/kv?limit=1", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.json["entries"]?.arrayValue?.count == 1)
            }
            try await client.execute(uri: "/kv?limit=1000", method: .get) { r in
                #expect(r.json["entries"]?.arrayValue?.count == 2)
            }
        }
    }

    @Test func versionsOutOfRangeAre400() async throws {
        try await withRouter { client, _ in
            try await client.execute(uri: "/kv/k", method: .put, body: ByteBuffer(string: "v"))
            for version in ["18446744073709551616", "99999999999999999999999", "-1", "abc", "", "0x1", "1.5"] {
                for uri in ["/kv/k?version=\(version)", "/get/k?version=\(version)", "/k?version=\(version)"] {
                    try await client.execute(uri: uri, method: .get) { r in
                        #expect(r.status == .badRequest, "\(uri)")
                        #expect(r.errorCode == "bad_query", "\(uri)")
                    }
                }
            }
            try await client.execute(uri: "/kv/k?version=18446744073709551615", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text == "v")
            }
            try await client.execute(uri: "/kv/k?version=0", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.errorCode == "not_found")
            }
        }
    }

    @Test func contentLengthsThatAreNotNumbersAre400AndHugeOnes413() async throws {
        try await withRouter(settings: APISettings(maxValueSize: 10)) { client, _ in
            for declared in ["abc", "-1", "99999999999999999999", "9223372036854775808", "1, 1"] {
                try await client.execute(uri: "/kv/k", method: .put, headers: [.contentLength: declared]) { r in
                    #expect(r.status == .badRequest, "Content-Length: \(declared)")
                    #expect(r.errorCode == "bad_header", "Content-Length: \(declared)")
                }
            }
            try await client.execute(uri: "/kv/k", method: .put, headers: [.contentLength: "9223372036854775807"]) { r in
                #expect(r.status == .contentTooLarge)
                #expect(r.errorCode == "value_too_large")
            }
            try await client.execute(uri: "/batch", method: .post, headers: [.contentLength: "-5"]) { r in
                #expect(r.errorCode == "bad_header")
            }
            try await client.execute(uri: "/kv/k", method: .get) { r in #expect(r.status == .notFound) }
        }
    }

    @Test func theRealNodeAnswers400ToAHugeLimitAndKeepsServing() throws {
        let directory = try TemporaryDirectory("node-limit")
        let node = try NodeProcess(["--port", "0", "--data-dir", directory.file("data")])
        defer { if node.process.isRunning { node.kill() } }
        let put = try node.request("PUT", "/kv/greeting", body: Array("hello".utf8))
        #expect(put.status == 200)
        let huge = try node.request("GET", "/kv?limit=9223372036854775808")
        #expect(huge.status == 400)
        let error = try JSONParser.parse(huge.body)
        #expect(error["error"]?["code"]?.stringValue == "bad_query")
        #expect(error["error"]?["message"]?.stringValue?.contains("limit") == true)
        let listed = try node.request("GET", "/kv?limit=10")
        #expect(listed.status == 200)
        #expect(String(decoding: listed.body, as: UTF8.self).contains("\"greeting\""))
        #expect(try node.request("GET", "/kv/greeting").body == Array("hello".utf8))
        #expect(node.process.isRunning)
        #expect(node.terminate() == 0)
    }
}
