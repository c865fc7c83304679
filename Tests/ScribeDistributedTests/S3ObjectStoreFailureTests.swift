import Foundation
import Logging
import ScribeDistributed
import ScribeTestSupport
import Testing

/// How `S3ObjectStore` fails: unreachable and stalled services, service errors,
/// signature checks.
@Suite(.serialized) struct S3ObjectStoreFailureTests {
    @Test func aClosedPortIsUnavailableAfterEveryAttempt() async throws {
        var settings = S3ObjectStoreSettings(endpoint: "http://127.0.0.1:\(try Loopback.freePort())", bucket: "b")
        settings.maxAttempts = 3
        settings.baseBackoff = .milliseconds(1)
        settings.maxBackoff = .milliseconds(2)
        settings.connectTimeout = .milliseconds(200)
        let store = try S3ObjectStore(settings: settings)
        do {
            _ = try await store.get("k")
            Issue.record("a closed port answered")
        } catch let error as ObjectStoreError {
            guard case .unavailable(let reason) = error else {
                Issue.record("expected .unavailable, got \(error)")
                try await store.shutdown()
                return
            }
            #expect(error.isRetryable)
            #expect(reason.contains("after 3 attempts"))
        }
        try await store.shutdown()
    }

    @Test func aStalledServiceTimesOutAndRecovers() async throws {
        try await withMotoStore(configure: {
            $0.requestTimeout = .seconds(1)
            $0.maxAttempts = 2
        }) { server, store in
            try await store.put("k", bytes: [1, 2], ifAbsent: true)
            server.suspend()
            await #expect {
                try await store.get("k")
            } throws: { error in
                if case ObjectStoreError.unavailable = error { return true }
                return false
            }
            server.resume()
            #expect(try await store.get("k") == [1, 2])
        }
    }

    @Test func aMissingBucketIsAServiceError() async throws {
        try await withMotoStore(bucket: nil) { _, store in
            for operation in [
                { _ = try await store.get("k") }, { try await store.put("k", bytes: [1], ifAbsent: false) },
                { _ = try await store.list(prefix: "", startAfter: nil) }, { try await store.delete("k") },
            ] as [@Sendable () async throws -> Void] {
                await #expect {
                    try await operation()
                } throws: { error in
                    guard let error = error as? ObjectStoreError, case let .service(status, code, _, _, _) = error else {
                        return false
                    }
                    return status == 404 && code == "NoSuchBucket" && !error.isRetryable
                }
            }
        }
    }

    @Test func signaturesAreCheckedByTheService() async throws {
        try await withMotoStore(requireSignatures: true) { server, store in
            try await store.put("signed", bytes: [4, 5, 6], ifAbsent: true)
            #expect(try await store.get("signed") == [4, 5, 6])
            #expect(try server.listObjects(bucket: "scribe-test", prefix: "").map(\.key) == ["signed"])

            var wrong = store.settings
            wrong.secretAccessKey = "not-the-secret"
            let impostor = try S3ObjectStore(settings: wrong)
            await #expect {
                try await impostor.get("signed")
            } throws: { error in
                guard case let ObjectStoreError.service(status, _, _, key, _) = error else { return false }
                return status == 403 && key == "signed"
            }
            await #expect {
                try await impostor.put("forged", bytes: [0], ifAbsent: false)
            } throws: { error in
                guard case ObjectStoreError.service(403, _, _, _, _) = error else { return false }
                return true
            }
            try await impostor.shutdown()
            #expect(try server.listObjects(bucket: "scribe-test", prefix: "").map(\.key) == ["signed"])
        }
    }
}
