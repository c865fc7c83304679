import Foundation
import ScribeDistributed
import ScribeTestSupport
import ScribeTierTestSupport
import Testing

/// What a call returned, in terms two stores can be compared by: the value, or
/// the error's case (with its key, status or retryability; not its wording).
private func outcome<T>(_ call: () async throws -> T) async -> String {
    do {
        return "\(try await call())"
    } catch let error as ObjectStoreError {
        switch error {
        case .notFound(let key): return "notFound \(key)"
        case .alreadyExists(let key): return "alreadyExists \(key)"
        case .verificationFailed(let key, _): return "verificationFailed \(key)"
        case let .service(status, code, _, key, _): return "service \(status) \(code) \(key ?? "-")"
        case .unavailable: return "unavailable"
        case .invalidResponse: return "invalidResponse"
        case .io: return "io"
        }
    } catch {
        return "other \(type(of: error))"
    }
}

/// `ObjectInfo` without the entity tag, which only S3 and this store report.
private func described(_ info: ObjectInfo?) -> String {
    info.map { "\($0.key):\($0.size)" } ?? "none"
}

/// The calls of `script` on `store`, each with what it returned.
private func run(_ script: FaultInjectingObjectStoreTests.Script, on store: any ObjectStore) async -> [String] {
    var outcomes: [String] = []
    for step in script.steps { outcomes.append(await step(store)) }
    return outcomes
}

@Suite struct FaultInjectingObjectStoreTests {
    /// Calls every `ObjectStore` method in the cases the real stores define.
    struct Script {
        typealias Step = @Sendable (any ObjectStore) async -> String
        var steps: [Step] = []

        init(file: String) {
            let bytes = (0..<10).map { UInt8($0) }
            steps = [
                { s in await outcome { described(try await s.put("a/1", bytes: [1, 2, 3], ifAbsent: true)) } },
                { s in await outcome { described(try await s.put("a/1", bytes: [4], ifAbsent: true)) } },
                { s in await outcome { described(try await s.put("a/1", bytes: [9], ifAbsent: false)) } },
                { s in await outcome { try await s.get("a/1") } },
                { s in await outcome { described(try await s.put("a/2", bytes: bytes, ifAbsent: false)) } },
                { s in await outcome { described(try await s.put("a/10", bytes: [7], ifAbsent: true)) } },
                { s in await outcome { described(try await s.put("b/1", bytes: [], ifAbsent: true)) } },
                { s in await outcome { try await s.get("a/2", range: 2..<5) } },
                { s in await outcome { try await s.get("a/2", range: 8..<20) } },
                { s in await outcome { try await s.get("a/2", range: 10..<12) } },
                { s in await outcome { try await s.get("a/2", range: 20..<30) } },
                { s in await outcome { try await s.get("a/2", range: 3..<3) } },
                { s in await outcome { try await s.get("b/1") } },
                { s in await outcome { try await s.get("missing") } },
                { s in await outcome { try await s.get("missing", range: 0..<4) } },
                { s in await outcome { described(try await s.head("a/2")) } },
                { s in await outcome { described(try await s.head("missing")) } },
                { s in await outcome { try await s.list(prefix: "a/", startAfter: nil).map(described) } },
                { s in await outcome { try await s.list(prefix: "a/", startAfter: "a/1").map(described) } },
                { s in await outcome { try await s.list(prefix: "", startAfter: nil).map(described) } },
                { s in await outcome { try await s.list(prefix: "a", startAfter: nil).map(described) } },
                { s in await outcome { try await s.list(prefix: "c/", startAfter: nil).map(described) } },
                { s in await outcome { try await s.delete("a/1") } },
                { s in await outcome { try await s.delete("a/1") } },
                { s in await outcome { try await s.get("a/1") } },
                { s in await outcome { described(try await s.putFile("f", path: file, ifAbsent: true)) } },
                { s in await outcome { described(try await s.putFile("f", path: file, ifAbsent: true)) } },
                { s in await outcome { try await s.get("f") } },
                { s in await outcome { described(try await s.putFile("g", path: file + "-missing", ifAbsent: true)) } },
                { s in await outcome { described(try await s.head("g")) } },
            ]
            for key in ["", "../x", "a//b", "/a", "a/", "a b", "a~b"] {
                steps.append { s in await outcome { described(try await s.put(key, bytes: [1], ifAbsent: false)) } }
                steps.append { s in await outcome { try await s.get(key) } }
                steps.append { s in await outcome { described(try await s.head(key)) } }
                steps.append { s in await outcome { try await s.delete(key) } }
            }
            for prefix in ["../", "a//", "a b"] {
                steps.append { s in await outcome { try await s.list(prefix: prefix, startAfter: nil).map(described) } }
            }
        }
    }

    @Test func withoutFaultsItAnswersAsTheLocalDirectoryStoreDoes() async throws {
        let directory = try TemporaryDirectory("fault-store")
        let file = try directory.write("source", "file contents")
        let script = Script(file: file)
        let local = try LocalDirectoryObjectStore(root: directory.file("objects"))
        let memory = FaultInjectingObjectStore()
        let expected = await run(script, on: local)
        let actual = await run(script, on: memory)
        #expect(actual.count == expected.count)
        for (index, (got, want)) in zip(actual, expected).enumerated() {
            #expect(got == want, "step \(index)")
        }
        #expect(memory.faultedCalls.isEmpty)
        #expect(memory.keys() == ["a/10", "a/2", "b/1", "f"])
    }

    @Test func theSameSeedMeetsTheSameFaults() async throws {
        func failures(seed: UInt64) async -> [Int] {
            let store = FaultInjectingObjectStore(seed: seed)
            store.inject(ObjectStoreFault(.transientError, on: [.put], trigger: .probability(0.3)))
            var failed: [Int] = []
            for index in 0..<200 {
                if (try? await store.put("k/\(index)", bytes: [1], ifAbsent: true)) == nil { failed.append(index) }
            }
            #expect(store.keys(prefix: "k/").count == 200 - failed.count)
            return failed
        }
        let first = await failures(seed: 42)
        #expect(await failures(seed: 42) == first)
        #expect(await failures(seed: 43) != first)
        #expect((30...90).contains(first.count), "\(first.count) of 200 failed at probability 0.3")
    }

    @Test func transientErrorsAreRetryableAndPermanentOnesAreNot() async throws {
        let store = FaultInjectingObjectStore()
        store.preload("k", [1])
        store.inject(ObjectStoreFault(.transientError, on: [.get]))
        store.inject(ObjectStoreFault(.permanentError, on: [.head]))
        let transient = await #expect(throws: ObjectStoreError.self) { try await store.get("k") }
        #expect(transient?.isRetryable == true)
        let permanent = await #expect(throws: ObjectStoreError.self) { try await store.head("k") }
        #expect(permanent?.isRetryable == false)
    }

    @Test func aRuleHitsOnlyItsOperationsAndPrefix() async throws {
        let store = FaultInjectingObjectStore()
        store.inject(ObjectStoreFault(.permanentError, on: [.put, .delete], prefix: "wal/"))
        try await store.put("segments/1", bytes: [1], ifAbsent: true)
        try await store.put("walrus", bytes: [1], ifAbsent: true)
        store.preload("wal/1", [2])
        #expect(try await store.get("wal/1") == [2])
        #expect(try await store.list(prefix: "wal/", startAfter: nil).map(\.key) == ["wal/1"])
        #expect(await outcome { try await store.put("wal/2", bytes: [1], ifAbsent: true) } == "service 403 AccessDenied wal/2")
        #expect(await outcome { try await store.delete("wal/1") } == "service 403 AccessDenied wal/1")
        #expect(store.faultedCalls == [ObjectStoreCall(.put, key: "wal/2"), ObjectStoreCall(.delete, key: "wal/1")])
        #expect(store.keys() == ["segments/1", "wal/1", "walrus"])
    }

    @Test func nextCallsFaultsRunOut() async throws {
        let store = FaultInjectingObjectStore()
        store.inject(ObjectStoreFault(.transientError, on: [.get], trigger: .nextCalls(2)))
        store.preload("k", [5])
        for _ in 0..<2 {
            #expect(await outcome { try await store.get("k") } == "service 503 SlowDown k")
        }
        #expect(try await store.get("k") == [5])
        #expect(store.faultedCalls.count == 2 && store.callCount(.get) == 3)
    }

    @Test func aPartitionFailsEveryCallAsAnUnreachableS3StoreDoesAndKeepsTheObjects() async throws {
        var settings = S3ObjectStoreSettings(endpoint: "http://127.0.0.1:\(try Loopback.freePort())", bucket: "b")
        settings.maxAttempts = 1
        settings.connectTimeout = .milliseconds(200)
        let unreachable = try S3ObjectStore(settings: settings)
        let directory = try TemporaryDirectory("partition")
        let file = try directory.write("source", "x")
        let store = FaultInjectingObjectStore()
        store.preload("a/1", [1])
        store.partitioned = true
        let calls: [@Sendable (any ObjectStore) async throws -> Void] = [
            { _ = try await $0.put("a/2", bytes: [2], ifAbsent: true) },
            { _ = try await $0.putFile("a/3", path: file, ifAbsent: false) },
            { _ = try await $0.get("a/1") }, { _ = try await $0.get("a/1", range: 0..<1) },
            { _ = try await $0.head("a/1") }, { _ = try await $0.list(prefix: "a/", startAfter: nil) },
            { try await $0.delete("a/1") },
        ]
        for call in calls {
            let partitioned = await outcome { try await call(store) }
            #expect(partitioned == "unavailable")
            #expect(await outcome { try await call(unreachable) } == partitioned)
        }
        try await unreachable.shutdown()
        #expect(store.faultedCalls.count == calls.count)
        #expect(store.keys() == ["a/1"])
        store.partitioned = false
        #expect(try await store.get("a/1") == [1])
        try await store.put("a/2", bytes: [2], ifAbsent: true)
        #expect(store.keys() == ["a/1", "a/2"])
    }

    @Test func aLostReplyStoresTheObjectButAnswersUnavailable() async throws {
        let store = FaultInjectingObjectStore()
        store.inject(ObjectStoreFault(.lostReply, on: [.put], trigger: .nextCalls(1)))
        #expect(await outcome { try await store.put("k", bytes: [1], ifAbsent: true) } == "unavailable")
        #expect(store.contents(of: "k") == [1])
        #expect(await outcome { try await store.put("k", bytes: [1], ifAbsent: true) } == "alreadyExists k")
    }

    @Test func latencyDelaysTheAnswerAndATimeoutEndsInUnavailableOrCancellation() async throws {
        let store = FaultInjectingObjectStore(seed: 3)
        store.preload("k", [1])
        store.inject(ObjectStoreFault(.latency(.milliseconds(100), jitter: .milliseconds(50)), on: [.get]))
        store.inject(ObjectStoreFault(.timeout(after: .milliseconds(100)), on: [.head]))
        let clock = ContinuousClock()
        var answer: [UInt8] = []
        let slow = try await clock.measure { answer = try await store.get("k") }
        #expect(answer == [1] && slow >= .milliseconds(100))
        var timedOut = ""
        let waited = await clock.measure { timedOut = await outcome { try await store.head("k") } }
        #expect(timedOut == "unavailable" && waited >= .milliseconds(100))

        store.removeAllFaults()
        store.inject(ObjectStoreFault(.timeout(after: .seconds(3600))))
        let hanging = Task { await outcome { try await store.get("k") } }
        try await Task.sleep(for: .milliseconds(50))
        hanging.cancel()
        #expect(await hanging.value == "other CancellationError")
    }
}
