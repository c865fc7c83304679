import Hummingbird
import HummingbirdTesting
import ScribeVerifier
import Testing
@testable import ScribeServer
import ScribeBytes

@Suite struct SecurityAuthTests {
    typealias F = SecurityFixture

    @Test func storeIdentifiesKeysByTheirDigestOnly() {
        #expect(F.store.identify(bearer: F.readKey) == ClientIdentity(name: "reader", role: .read))
        #expect(F.store.identify(bearer: F.writeKey) == ClientIdentity(name: "writer", role: .readWrite))
        #expect(F.store.identify(bearer: F.adminKey) == ClientIdentity(name: "operator", role: .admin))
        #expect(F.store.identify(bearer: F.readKey + "x") == nil)
        #expect(F.store.identify(bearer: "") == nil)
        let digest = APIKeyStore.digest(of: F.readKey)
        #expect(F.store.identify(bearer: String(decoding: digest, as: UTF8.self)) == nil)
        #expect(APIKeyStore(keys: []).identify(bearer: F.readKey) == nil)
    }

    @Test func digestIsSHA256OfTheKeyBytes() {
        let digest = Hex.encode(APIKeyStore.digest(of: "abc"))
        #expect(digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func constantTimeComparisonComparesWholeArrays() {
        #expect(APIKeyStore.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!APIKeyStore.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!APIKeyStore.constantTimeEqual([0, 2, 3], [1, 2, 3]))
        #expect(!APIKeyStore.constantTimeEqual([1, 2], [1, 2, 3]))
    }

    @Test(arguments: [
        (HTTPRequest.Method.get, "/health", nil),
        (.head, "/health", nil),
        (.post, "/health", .readWrite),
        (.get, "/health/x", .read),
        (.get, "/kv/a", .read),
        (.get, "/kv", .read),
        (.head, "/kv/a", .read),
        (.get, "/kv/a/versions", .read),
        (.get, "/get/a", .read),
        (.get, "/verify/a", .read),
        (.get, "/somekey", .read),
        (.put, "/kv/a", .readWrite),
        (.delete, "/kv/a", .readWrite),
        (.post, "/batch", .readWrite),
        (.post, "/put", .readWrite),
        (.put, "/somekey", .readWrite),
        (.get, "/metrics", .admin),
        (.get, "/metrics/prometheus", .admin),
        (.get, "/cluster/info", .admin),
        (.post, "/cluster/leave", .admin),
        (.post, "/admin/flush", .admin),
        (.post, "//admin//flush", .admin),
        (.post, "/ADMIN/flush", .admin),
        (.post, "/%61dmin/flush", .admin),
        (.get, "/metricsfoo", .read),
    ] as [(HTTPRequest.Method, String, Role?)])
    func policyGivesEachRouteItsRole(method: HTTPRequest.Method, path: String, role: Role?) {
        #expect(AuthMiddleware.requiredRole(method: method, path: path) == role)
    }

    @Test func missingKeyIs401WithBearerChallenge() async throws {
        try await Application(router: F.router()).test(.router) { client in
            try await client.execute(uri: "/kv/a", method: .get) { (response: TestResponse) async throws in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect(try F.errorCode(response.body) == "unauthorized")
            }
        }
    }

    @Test(arguments: ["Bearer wrong-key", "Bearer ", "Basic \(SecurityFixture.adminKey)", SecurityFixture.adminKey, "Bearer"])
    func wrongOrMalformedKeyIs401(header: String) async throws {
        try await Application(router: F.router()).test(.router) { client in
            try await client.execute(uri: "/kv/a", method: .get, headers: [.authorization: header]) { (response: TestResponse) async throws in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect(try F.errorCode(response.body) == "unauthorized")
            }
        }
    }

    @Test func schemeNameIsCaseInsensitiveAndSpacesAreTolerated() async throws {
        try await Application(router: F.router()).test(.router) { client in
            let header = "bearer   \(F.readKey) "
            try await client.execute(uri: "/whoami", method: .get, headers: [.authorization: header]) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "reader read")
            }
        }
    }

    /// Every role against every kind of route: reads, writes, operations.
    @Test(arguments: [
        (SecurityFixture.readKey, HTTPRequest.Method.get, "/kv/a", HTTPResponse.Status.ok),
        (SecurityFixture.readKey, .get, "/somekey", .ok),
        (SecurityFixture.readKey, .put, "/kv/a", .forbidden),
        (SecurityFixture.readKey, .delete, "/kv/a", .forbidden),
        (SecurityFixture.readKey, .post, "/batch", .forbidden),
        (SecurityFixture.readKey, .get, "/metrics", .forbidden),
        (SecurityFixture.readKey, .post, "/admin/flush", .forbidden),
        (SecurityFixture.writeKey, .get, "/kv/a", .ok),
        (SecurityFixture.writeKey, .put, "/kv/a", .noContent),
        (SecurityFixture.writeKey, .delete, "/kv/a", .noContent),
        (SecurityFixture.writeKey, .post, "/batch", .noContent),
        (SecurityFixture.writeKey, .get, "/metrics", .forbidden),
        (SecurityFixture.writeKey, .post, "/admin/flush", .forbidden),
        (SecurityFixture.writeKey, .post, "//admin//flush", .forbidden),
        (SecurityFixture.adminKey, .get, "/kv/a", .ok),
        (SecurityFixture.adminKey, .put, "/kv/a", .noContent),
        (SecurityFixture.adminKey, .post, "/batch", .noContent),
        (SecurityFixture.adminKey, .get, "/metrics", .ok),
        (SecurityFixture.adminKey, .post, "/admin/flush", .ok),
    ] as [(String, HTTPRequest.Method, String, HTTPResponse.Status)])
    func eachRoleReachesOnlyItsRoutes(key: String, method: HTTPRequest.Method, path: String, status: HTTPResponse.Status)
        async throws
    {
        try await Application(router: F.router()).test(.router) { client in
            try await client.execute(uri: path, method: method, headers: F.bearer(key)) { (response: TestResponse) async throws in
                #expect(response.status == status)
                if status == .forbidden {
                    #expect(try F.errorCode(response.body) == "forbidden")
                    let needed = AuthMiddleware.requiredRole(method: method, path: path)?.rawValue ?? "?"
                    #expect(try F.errorMessage(response.body).contains("needs the \(needed) role"))
                }
            }
        }
    }

    @Test func healthIsOpenWithoutOrWithABadKey() async throws {
        try await Application(router: F.router()).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/health", method: .get, headers: F.bearer("nonsense")) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func unknownRoutesStillNeedAKey() async throws {
        try await Application(router: F.router()).test(.router) { client in
            try await client.execute(uri: "/no/such/route", method: .get) { (response: TestResponse) async throws in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/no/such/route", method: .get, headers: F.bearer(F.readKey)) { (response: TestResponse) async throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func routeLevelRequireDeniesALowerRoleAndNamesTheRole() async throws {
        try await Application(router: F.router()).test(.router) { client in
            try await client.execute(uri: "/kv/a/versions", method: .get, headers: F.bearer(F.writeKey)) { (response: TestResponse) async throws in
                #expect(response.status == .forbidden)
                #expect(try F.errorCode(response.body) == "forbidden")
                #expect(try F.errorMessage(response.body).contains("admin"))
            }
            try await client.execute(uri: "/kv/a/versions", method: .get, headers: F.bearer(F.adminKey)) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func identityReachesTheRoute() async throws {
        try await Application(router: F.router()).test(.router) { client in
            try await client.execute(uri: "/whoami", method: .get, headers: F.bearer(F.writeKey)) { (response: TestResponse) async throws in
                #expect(String(buffer: response.body) == "writer read-write")
            }
        }
    }

    @Test func disabledModeMakesEveryRequestAnonymousAdmin() async throws {
        let auth = AuthMiddleware.disabled
        #expect(!auth.isEnabled)
        try await Application(router: F.router(auth: auth)).test(.router) { client in
            for (method, path) in [(HTTPRequest.Method.put, "/kv/a"), (.post, "/admin/flush"), (.get, "/metrics")] {
                try await client.execute(uri: path, method: method) { (response: TestResponse) async throws in
                    #expect(response.status.code < 300)
                }
            }
            try await client.execute(uri: "/whoami", method: .get, headers: F.bearer("anything")) { (response: TestResponse) async throws in
                #expect(String(buffer: response.body) == "anonymous admin")
            }
        }
    }

    @Test func percentDecodingDecodesOrRejects() {
        #expect(PercentEncoding.decode("a%2Fb%ff") == [0x61, 0x2f, 0x62, 0xff])
        #expect(PercentEncoding.decode("plain") == Array("plain".utf8))
        #expect(PercentEncoding.decode("bad%2") == nil)
        #expect(PercentEncoding.decode("bad%zz") == nil)
    }
}
