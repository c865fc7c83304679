import Foundation
import Hummingbird
import HummingbirdTesting
import ScribeTestSupport
import ScribeVerifier
import Testing
@testable import ScribeServer

@Suite struct SecurityAuditTests {
    typealias F = SecurityFixture

    /// Every line of the log, parsed.
    func lines(_ path: String) throws -> [JSONObjectReader] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            try JSONObjectReader(JSONParser.parse(Array(line.utf8)), path: "")
        }
    }

    @Test(arguments: [
        (UInt64(0), "1970-01-01T00:00:00.000Z"),
        (951_782_400_123, "2000-02-29T00:00:00.123Z"),
        (1_700_000_000_000, "2023-11-14T22:13:20.000Z"),
        (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func timestampsAreRFC3339UTCWithMilliseconds(milliseconds: UInt64, text: String) {
        #expect(UTCTimestamp.format(milliseconds: milliseconds) == text)
    }

    @Test func eventLineHasEveryFieldAndEscapesStrings() throws {
        let event = AuditEvent(
            timeMilliseconds: 1_700_000_000_000, action: .write, method: "PUT", path: "/kv/a%22%0A",
            key: Array("a\"\n".utf8), client: "we\"ird\nname", remoteAddress: "10.0.0.1", status: 204, detail: nil)
        let line = event.jsonLine
        #expect(!line.contains("\n"))
        let json = try JSONObjectReader(JSONParser.parse(Array(line.utf8)), path: "")
        #expect(json.members.map(\.key) == [
            "time", "action", "method", "path", "key", "keyHex", "client", "remote", "outcome", "status", "detail",
        ])
        #expect(try json.string("time") == "2023-11-14T22:13:20.000Z")
        #expect(try json.string("action") == "write")
        #expect(try json.string("key") == "a\"\n")
        #expect(try json.string("keyHex") == "61220a")
        #expect(try json.string("client") == "we\"ird\nname")
        #expect(try json.string("remote") == "10.0.0.1")
        #expect(try json.string("outcome") == "ok")
        #expect(try json.integer("status") == 204)
        #expect(json.optionalValue("detail") == .null)
    }

    @Test func keyThatIsNotUTF8IsNullWithExactHex() throws {
        let event = AuditEvent(
            timeMilliseconds: 0, action: .delete, method: "DELETE", path: "/kv/%FF", key: [0xff, 0x00], client: nil,
            remoteAddress: "unknown", status: 500, detail: "boom")
        let json = try JSONObjectReader(JSONParser.parse(Array(event.jsonLine.utf8)), path: "")
        #expect(json.optionalValue("key") == .null)
        #expect(try json.string("keyHex") == "ff00")
        #expect(json.optionalValue("client") == .null)
        #expect(try json.string("outcome") == "error")
        #expect(try json.string("detail") == "boom")
    }

    @Test(arguments: [(200, AuditEvent.Outcome.ok), (204, .ok), (401, .denied), (403, .denied), (429, .denied),
                      (400, .error), (404, .error), (503, .error)])
    func outcomeFollowsTheStatus(status: Int, outcome: AuditEvent.Outcome) {
        #expect(AuditEvent.Outcome(status: status) == outcome)
    }

    @Test func fileIsCreatedPrivateAndAppendedAcrossReopens() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/audit.log"
        let event = AuditEvent(
            timeMilliseconds: 0, action: .admin, method: "POST", path: "/admin/flush", key: nil, client: "operator",
            remoteAddress: "unknown", status: 200, detail: nil)
        let first = try AuditLog(path: path)
        first.record(event)
        try first.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try AuditLog(path: path)
        second.record(event)
        try second.flush()
        try second.close()
        #expect(try lines(path).count == 2)
        #expect(second.failedWrites == 0)
        second.record(event)
        #expect(second.failedWrites == 1)
    }

    @Test func openingAnUnwritablePathThrowsNamingIt() {
        let path = "/nonexistent-directory-\(UUID().uuidString)/audit.log"
        #expect {
            try AuditLog(path: path)
        } throws: { error in
            (error as? AuditLogError)?.description.contains(path) == true
        }
    }

    @Test func concurrentRecordsNeverInterleave() async throws {
        let directory = try TemporaryDirectory()
        let log = try AuditLog(path: directory.path + "/audit.log")
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 {
                        log.record(
                            AuditEvent(
                                timeMilliseconds: 0, action: .write, method: "PUT", path: "/kv/\(task)-\(index)",
                                key: Array(String(repeating: "k", count: index).utf8), client: "task-\(task)",
                                remoteAddress: "unknown", status: 204, detail: nil))
                    }
                }
            }
        }
        try log.close()
        let parsed = try lines(log.path)
        #expect(parsed.count == 1600)
        #expect(Set(try parsed.map { try $0.string("path") }).count == 1600)
    }

    @Test(arguments: [
        (HTTPRequest.Method.put, "/kv/a", 204, AuditEvent.Action.write),
        (.post, "/put", 200, .write),
        (.post, "/batch", 200, .batch),
        (.delete, "/kv/a", 204, .delete),
        (.post, "/admin/flush", 200, .admin),
        (.get, "/admin/status", 200, .admin),
        (.post, "/cluster/leave", 200, .admin),
        (.get, "/kv/a", 401, .authFailure),
        (.put, "/kv/a", 403, .forbidden),
        (.get, "/kv/a", 429, .rateLimited),
    ] as [(HTTPRequest.Method, String, Int, AuditEvent.Action)])
    func requestsAreClassified(method: HTTPRequest.Method, path: String, status: Int, action: AuditEvent.Action) {
        #expect(AuditMiddleware.action(method: method, path: path, status: status) == action)
    }

    @Test(arguments: [
        (HTTPRequest.Method.get, "/kv/a", 200), (.get, "/kv/a", 404), (.head, "/kv/a", 200),
        (.get, "/cluster/info", 200), (.get, "/metrics", 500),
    ] as [(HTTPRequest.Method, String, Int)])
    func readsAreNotRecorded(method: HTTPRequest.Method, path: String, status: Int) {
        #expect(AuditMiddleware.action(method: method, path: path, status: status) == nil)
    }

    @Test func middlewareRecordsWritesDenialsAndAdminCalls() async throws {
        let directory = try TemporaryDirectory()
        let log = try AuditLog(path: directory.path + "/audit.log")
        let limiter = TokenBucketLimiter(rate: 1, burst: 3, clock: ManualClock())
        let router = F.router(limiter: limiter, audit: log)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/kv/h%C3%A9llo", method: .put, headers: F.bearer(F.writeKey)) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: "/kv/a", method: .get, headers: F.bearer(F.writeKey)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/kv/%FF", method: .delete, headers: F.bearer("stolen?")) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/kv/b", method: .put, headers: F.bearer(F.readKey)) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/kv/a", method: .get, headers: F.bearer(F.writeKey)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/kv/a", method: .get, headers: F.bearer(F.writeKey)) {
                #expect($0.status == .tooManyRequests)
            }
            try await client.execute(uri: "/admin/flush", method: .post, headers: F.bearer(F.adminKey)) {
                #expect($0.status == .ok)
            }
        }
        try log.flush()
        let events = try lines(log.path)
        #expect(try events.map { try $0.string("action") } == ["write", "auth_failure", "forbidden", "rate_limited", "admin"])
        #expect(events.allSatisfy { (try? $0.string("time")) == "2023-11-14T22:13:20.123Z" })

        let write = events[0]
        #expect(try write.string("method") == "PUT")
        #expect(try write.string("path") == "/kv/h%C3%A9llo")
        #expect(try write.string("key") == "héllo")
        #expect(try write.string("keyHex") == "68c3a96c6c6f")
        #expect(try write.string("client") == "writer")
        #expect(try write.string("remote") == "unknown")
        #expect(try write.string("outcome") == "ok")
        #expect(try write.integer("status") == 204)
        #expect(write.optionalValue("detail") == .null)

        let authFailure = events[1]
        #expect(authFailure.optionalValue("client") == .null)
        #expect(authFailure.optionalValue("key") == .null)
        #expect(try authFailure.string("keyHex") == "ff")
        #expect(try authFailure.string("outcome") == "denied")
        #expect(try authFailure.integer("status") == 401)
        #expect(try authFailure.string("detail") == "the API key is not valid")

        let forbidden = events[2]
        #expect(try forbidden.string("client") == "reader")
        #expect(try forbidden.string("key") == "b")
        #expect(try forbidden.integer("status") == 403)

        let limited = events[3]
        #expect(try limited.string("client") == "writer")
        #expect(try limited.integer("status") == 429)
        #expect(try limited.string("outcome") == "denied")

        let admin = events[4]
        #expect(try admin.string("client") == "operator")
        #expect(try admin.string("path") == "/admin/flush")
        #expect(try admin.integer("status") == 200)
        try log.close()
    }
}
