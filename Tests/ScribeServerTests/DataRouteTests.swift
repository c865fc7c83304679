import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ScribeVerifier
import Testing
@testable import ScribeServer
import ScribeBytes

@Suite struct DataRouteTests {
    @Test func putThenGetReturnsTheBytesWithSequenceAndHash() async throws {
        try await withRouter { client, _ in
            try await client.execute(uri: "/kv/greeting", method: .put, body: ByteBuffer(string: "hello")) { r in
                #expect(r.status == .ok)
                #expect(r.json["sequence"]?.integerValue == 1)
                #expect(r.json["durability"]?.stringValue == "local")
                #expect(r.headers[HTTPField.Name("X-Scribe-Sequence")!] == "1")
            }
            try await client.execute(uri: "/kv/greeting", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text == "hello")
                #expect(r.headers[.contentType] == "application/octet-stream")
                #expect(r.headers[HTTPField.Name("X-Scribe-Value-SHA256")!] == Hex.encode(PortableSHA256.hash(Array("hello".utf8))))
            }
        }
    }

    @Test func missingAndDeletedKeysAreNotFoundWithTheirCodes() async throws {
        try await withRouter { client, _ in
            try await client.execute(uri: "/kv/none", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.errorCode == "not_found")
            }
            try await client.execute(uri: "/kv/k", method: .put, body: ByteBuffer(string: "v"))
            try await client.execute(uri: "/kv/k", method: .delete) { r in
                #expect(r.status == .ok)
                #expect(r.json["sequence"]?.integerValue == 2)
            }
            try await client.execute(uri: "/kv/k", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.errorCode == "deleted")
            }
            try await client.execute(uri: "/kv/k?version=1", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text == "v")
            }
            try await client.execute(uri: "/kv/k/versions", method: .get) { r in
                let versions = try #require(r.json["versions"]?.arrayValue)
                #expect(versions.map { $0["sequence"]?.integerValue } == [2, 1])
                #expect(versions.map { $0["kind"]?.stringValue } == ["delete", "put"])
            }
        }
    }

    @Test func keysArePercentDecodedBytes() async throws {
        try await withRouter { client, _ in
            try await client.execute(uri: "/kv/a%2Fb%00%FF", method: .put, body: ByteBuffer(string: "x"))
            try await client.execute(uri: "/kv/a%2Fb%00%FF", method: .get) { r in #expect(r.text == "x") }
            try await client.execute(uri: "/kv/a%2Fb%00%FF/versions", method: .get) { r in
                #expect(r.json["keyHex"]?.stringValue == "612f6200ff")
                #expect(r.json["key"] == .null)
            }
            try await client.execute(uri: "/kv/bad%zz", method: .get) { r in
                #expect(r.status == .badRequest)
                #expect(r.errorCode == "bad_key")
            }
        }
    }

    @Test func bodiesOverTheLimitAreRefusedWith413() async throws {
        try await withRouter(settings: APISettings(maxValueSize: 10)) { client, _ in
            try await client.execute(uri: "/kv/big", method: .put, body: ByteBuffer(string: String(repeating: "x", count: 11))) { r in
                #expect(r.status == .contentTooLarge)
                #expect(r.errorCode == "value_too_large")
            }
            try await client.execute(uri: "/kv/big", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/kv/ok", method: .put, body: ByteBuffer(string: "0123456789")) { r in
                #expect(r.status == .ok)
            }
        }
    }

    @Test func durabilityHeaderIsValidated() async throws {
        try await withRouter { client, _ in
            try await client.execute(
                uri: "/kv/k", method: .put, headers: [HTTPField.Name("X-Scribe-Durability")!: "buffered"],
                body: ByteBuffer(string: "v")
            ) { r in #expect(r.json["durability"]?.stringValue == "buffered") }
            try await client.execute(
                uri: "/kv/k", method: .put, headers: [HTTPField.Name("X-Scribe-Durability")!: "sometimes"],
                body: ByteBuffer(string: "v")
            ) { r in
                #expect(r.status == .badRequest)
                #expect(r.errorCode == "bad_header")
            }
        }
    }

    @Test func listingPagesThroughPrefixesWithACursor() async throws {
        try await withRouter { client, _ in
            for key in ["a1", "a2", "a3", "b1"] {
                try await client.execute(uri: "/kv/\(key)", method: .put, body: ByteBuffer(string: key))
            }
            let cursor = try await client.execute(uri: "/kv?prefix=a&limit=2", method: .get) { r -> String in
                let entries = try #require(r.json["entries"]?.arrayValue)
                #expect(entries.map { $0["key"]?.stringValue } == ["a1", "a2"])
                return try #require(r.json["cursor"]?.stringValue)
            }
            try await client.execute(uri: "/kv?prefix=a&limit=2&cursor=\(cursor)", method: .get) { r in
                let entries = try #require(r.json["entries"]?.arrayValue)
                #expect(entries.map { $0["key"]?.stringValue } == ["a3"])
                #expect(r.json["cursor"] == .null)
            }
            try await client.execute(uri: "/kv?start=a2&end=b1", method: .get) { r in
                #expect(r.json["entries"]?.arrayValue?.count == 2)
            }
            try await client.execute(uri: "/kv?limit=0", method: .get) { r in #expect(r.status == .badRequest) }
        }
    }

    @Test func batchesApplyAtomicallyInEveryEncoding() async throws {
        try await withRouter { client, _ in
            let body = """
                {"operations":[{"op":"put","key":"x","value":"1"},{"op":"put","key":"79","value":"0001","encoding":"hex"},
                {"op":"put","key":"eg==","value":"AA==","encoding":"base64"},{"op":"delete","key":"x"}]}
                """
            try await client.execute(uri: "/batch", method: .post, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .ok)
                #expect(r.json["sequence"]?.integerValue == 4)
                #expect(r.json["count"]?.integerValue == 4)
            }
            try await client.execute(uri: "/kv/y", method: .get) { r in #expect(Array(buffer: r.body) == [0, 1]) }
            try await client.execute(uri: "/kv/z", method: .get) { r in #expect(Array(buffer: r.body) == [0]) }
            try await client.execute(uri: "/kv/x", method: .get) { r in #expect(r.errorCode == "deleted") }
            for bad in ["{", "[]", "{\"operations\":[]}", "{\"operations\":[{\"op\":\"nop\",\"key\":\"a\"}]}",
                        "{\"operations\":[{\"op\":\"put\",\"key\":\"\",\"value\":\"a\"}]}",
                        "{\"operations\":[{\"op\":\"put\",\"key\":\"a\"}]}", "{\"operations\":[],\"extra\":1}"] {
                try await client.execute(uri: "/batch", method: .post, body: ByteBuffer(string: bad)) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                }
            }
        }
    }

    @Test func seedFormsWorkAndOperationalNamesAreReserved() async throws {
        try await withRouter { client, _ in
            try await client.execute(uri: "/my-key", method: .put, body: ByteBuffer(string: "raw")) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/my-key", method: .get) { r in #expect(r.text == "raw") }
            try await client.execute(uri: "/put", method: .post, body: ByteBuffer(string: #"{"key":"user:alice","value":"Alice"}"#)) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(uri: "/put", method: .put, body: ByteBuffer(string: #"{"key":"user:bob","value":"Bob"}"#))
            try await client.execute(uri: "/get/user:alice", method: .get) { r in #expect(r.text == "Alice") }
            try await client.execute(uri: "/get/user:bob", method: .get) { r in #expect(r.text == "Bob") }
            try await client.execute(uri: "/kv", method: .put, body: ByteBuffer(string: "x")) { r in
                #expect(r.status.code >= 400)
                #expect(r.errorCode != nil)
            }
            try await client.execute(uri: "/verify", method: .put, body: ByteBuffer(string: "x")) { r in
                #expect(r.status == .badRequest)
                #expect(r.errorCode == "reserved_key")
            }
            try await client.execute(uri: "/metrics", method: .put, body: ByteBuffer(string: "x")) { r in
                #expect(r.status == .badRequest)
                #expect(r.errorCode == "reserved_key")
            }
        }
    }

    @Test func unknownRoutesAndMethodsGiveJSONErrors() async throws {
        try await withRouter { client, _ in
            try await client.execute(uri: "/no/such/route", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.errorCode == "route_not_found")
            }
            for (uri, method, allow) in [("/kv/a/versions", HTTPRequest.Method.post, "GET"), ("/kv/a", .patch, "GET, PUT, DELETE"),
                                         ("/health", .delete, "GET"), ("/somekey", .delete, "GET, PUT"), ("/admin/flush", .get, "POST")] {
                try await client.execute(uri: uri, method: method) { r in
                    #expect(r.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(r.errorCode == "method_not_allowed")
                    #expect(r.headers[.allow] == allow)
                }
            }
        }
    }

    @Test func everyAllowedMethodReachesARoute() async throws {
        try await withRouter { client, _ in
            for route in AllowedMethods.routes {
                let path = "/" + route.pattern.map { $0.hasPrefix("{") ? "somekey" : $0 }.joined(separator: "/")
                for method in route.methods {
                    try await client.execute(uri: path, method: method, body: ByteBuffer(string: "{}")) { r in
                        #expect(r.errorCode != "route_not_found" && r.errorCode != "method_not_allowed", "\(method) \(path)")
                    }
                }
            }
        }
    }
}
