import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ScribeVerifier
import Testing
@testable import ScribeServer

@Suite struct OperationRouteTests {
    @Test func healthAndClusterRoutesDescribeOneNode() async throws {
        try await withRouter { client, _ in
            try await client.execute(uri: "/health", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.json["status"]?.stringValue == "ok")
            }
            try await client.execute(uri: "/cluster/info", method: .get) { r in
                #expect(r.json["nodeId"]?.stringValue == "test-node")
                #expect(r.json["members"]?.integerValue == 1)
            }
            try await client.execute(uri: "/cluster/nodes", method: .get) { r in
                #expect(r.json["nodes"]?.arrayValue?.first?["address"]?.stringValue == "127.0.0.1:8080")
            }
            try await client.execute(uri: "/cluster/leader/info", method: .get) { r in
                #expect(r.json["leader"]?["id"]?.stringValue == "test-node")
            }
        }
    }

    @Test func verifyIsPendingUntilAFlushThenReturnsAVerifiedLatestProof() async throws {
        try await withRouter { client, _ in
            try await client.execute(uri: "/kv/doc", method: .put, body: ByteBuffer(string: "payload"))
            try await client.execute(uri: "/verify/doc", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.json["claim"]?.stringValue == "pending")
                #expect(r.json["verified"] == .bool(false))
            }
            try await client.execute(uri: "/admin/flush", method: .post) { r in
                #expect(r.status == .ok)
                #expect(r.json["manifestVersion"]?.integerValue != nil)
            }
            try await client.execute(uri: "/verify/doc", method: .get) { r in
                #expect(r.json["claim"]?.stringValue == "latest")
                #expect(r.json["verified"] == .bool(true))
                guard case .object(var members) = r.json else { return }
                members.removeAll { $0.key == "verified" }
                let proof = try ProofJSON.decode(.object(members))
                try ProofVerifier.verify(proof, expecting: ProofExpectation(key: Array("doc".utf8), value: Array("payload".utf8)))
            }
            try await client.execute(uri: "/verify/missing", method: .get) { r in
                #expect(r.json["claim"]?.stringValue == "absence")
                #expect(r.json["verified"] == .bool(true))
            }
        }
    }
}
