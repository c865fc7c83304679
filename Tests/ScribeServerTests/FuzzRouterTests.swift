@testable import FuzzServerSupport
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// The `FuzzRouter` harness: its decoding, its invariant check, and its seeds and past
/// findings replayed through the real router.
@Suite struct FuzzRouterTests {
    static func bytes(_ method: UInt8, _ text: String) -> [UInt8] { [method] + Array(text.utf8) }

    @Test func inputsDecodeToMethodTargetHeadersAndBody() async throws {
        let request = try #require(FuzzRouter.request(Self.bytes(9, "/ba tch?a=\u{7F}1\r\nX-A:  1\r\nno colon\r\nbad name: x\r\n\r\nbody\nmore")))
        #expect(request.method == .post)
        #expect(request.uri.description == "/batch?a=1")
        #expect(request.headers[HTTPField.Name("X-A")!] == "1")
        #expect(request.headers.count == 1)
        let body = try await request.body.collect(upTo: 100)
        #expect(String(buffer: body) == "body\nmore")
        #expect(FuzzRouter.request([]) == nil)
        #expect(try #require(FuzzRouter.request([0])).uri.path == "/")
        let text = try #require(FuzzRouter.request(Array("kv?limit=2".utf8)))
        #expect(text.method == .get)
        #expect(text.uri.description == "/kv?limit=2")
        #expect(try #require(FuzzRouter.request([3] + Array("/kv/a".utf8))).method == .delete)
    }

    @Test func theCheckAcceptsOnlyTheAPIsAnswers() {
        let json: HTTPFields = [.contentType: "application/json"]
        let error = Array(#"{"error":{"code":"bad_query","message":"m"}}"#.utf8)
        #expect(FuzzRouter.problems(status: 400, headers: json, body: error).isEmpty)
        #expect(FuzzRouter.problems(status: 503, headers: json, body: error).isEmpty)
        #expect(FuzzRouter.problems(status: 200, headers: json, body: Array(#"{"a":1}"#.utf8)).isEmpty)
        #expect(FuzzRouter.problems(status: 200, headers: [:], body: [0xFF]).isEmpty)
        #expect(!FuzzRouter.problems(status: 500, headers: json, body: error).isEmpty)
        #expect(!FuzzRouter.problems(status: 502, headers: json, body: error).isEmpty)
        #expect(!FuzzRouter.problems(status: 600, headers: json, body: error).isEmpty)
        #expect(!FuzzRouter.problems(status: 400, headers: [:], body: error).isEmpty)
        #expect(!FuzzRouter.problems(status: 404, headers: json, body: Array("Not Found".utf8)).isEmpty)
        #expect(!FuzzRouter.problems(status: 400, headers: json, body: Array(#"{"error":{"code":"","message":"m"}}"#.utf8)).isEmpty)
        #expect(!FuzzRouter.problems(status: 400, headers: json, body: Array(#"{"error":{"code":"c"}}"#.utf8)).isEmpty)
        #expect(!FuzzRouter.problems(status: 400, headers: json, body: error + Array(#"{"#.utf8)).isEmpty)
        #expect(!FuzzRouter.problems(status: 200, headers: json, body: Array("{".utf8)).isEmpty)
    }

    /// The seeds, then inputs the fuzzer found from an empty corpus while the listing
    /// converted its `limit` (a UInt64) to Int: `GET /kv?limit=N` above Int.max trapped.
    @Test func seedsAndPastFindingsKeepTheInvariants() async {
        let found: [[UInt8]] = [
            Array("/kv?limit=9223372036854775808".utf8),
            Array("/kv?limit=18446744073709551615\nContent-Type: 9223372036854775808\n".utf8),
            Array("/kv?limit=18446744073709551615\nContent-Length: local\n".utf8),
        ]
        for input in FuzzRouter.seeds() + found {
            let problems = await FuzzRouter.findings(input)
            #expect(problems.isEmpty, "\(String(decoding: input, as: UTF8.self)): \(problems)")
        }
    }

    @Test func theMutatorEditsTheRequestAndReachesEveryBoundOnEveryQueryName() throws {
        var targets = Set<String>()
        for seed in UInt32(0)..<4000 {
            let mutated = FuzzRouter.mutate(Self.bytes(1, "/kv?prefix=a\nX-A: 1\n\nbody"), seed: seed)
            let request = try #require(FuzzRouter.request(mutated))
            targets.insert(request.uri.description)
            if mutated.first == 1 { #expect(mutated.suffix(4) == Array("body".utf8)) }
        }
        for name in FuzzRouter.queryNames {
            for bound in ["9223372036854775808", "18446744073709551615", "-1"] {
                #expect(targets.contains("/kv?prefix=a&\(name)=\(bound)"), "\(name)=\(bound)")
            }
        }
        #expect(targets.contains("/kv?prefix=9223372036854775808"))
        #expect(targets.contains("/kv/k/versions?prefix=a"))
        #expect(FuzzRouter.mutate([], seed: 7).count < 64)
    }
}
