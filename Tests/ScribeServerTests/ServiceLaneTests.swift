import Foundation
import LSMEngine
import Logging
import ScribeDistributed
import ScribeTestSupport
import Testing
@testable import ScribeServer

/// A local directory object store whose ranged reads wait at a gate while it is
/// shut, the way reads of a segment wait on an object store that does not answer.
final class GatedObjectStore: ObjectStore {
    private struct Gate {
        var shut = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    let inner: LocalDirectoryObjectStore
    private let gate = Locked(Gate())

    init(root: String) throws { inner = try LocalDirectoryObjectStore(root: root) }

    var location: String { inner.location }

    /// Ranged reads waiting at the gate now.
    var waitingReads: Int { gate.withLock { $0.waiting.count } }

    /// Ranged reads wait from now on.
    func shut() { gate.withLock { $0.shut = true } }

    /// Lets every waiting ranged read through, and later ones pass.
    func open() {
        let waiting = gate.withLock { gate -> [CheckedContinuation<Void, Never>] in
            gate.shut = false
            defer { gate.waiting = [] }
            return gate.waiting
        }
        for reader in waiting { reader.resume() }
    }

    func get(_ key: String, range: Range<UInt64>) async throws -> [UInt8] {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let pass = gate.withLock { gate -> Bool in
                if !gate.shut { return true }
                gate.waiting.append(continuation)
                return false
            }
            if pass { continuation.resume() }
        }
        return try await inner.get(key, range: range)
    }

    func put(_ key: String, bytes: [UInt8], ifAbsent: Bool) async throws -> ObjectInfo {
        try await inner.put(key, bytes: bytes, ifAbsent: ifAbsent)
    }

    func putFile(_ key: String, path: String, ifAbsent: Bool) async throws -> ObjectInfo {
        try await inner.putFile(key, path: path, ifAbsent: ifAbsent)
    }

    func get(_ key: String) async throws -> [UInt8] { try await inner.get(key) }

    func head(_ key: String) async throws -> ObjectInfo? { try await inner.head(key) }

    func list(prefix: String, startAfter: String?) async throws -> [ObjectInfo] {
        try await inner.list(prefix: prefix, startAfter: startAfter)
    }

    func delete(_ key: String) async throws { try await inner.delete(key) }
}

/// The node executor's lanes as `LocalKVService` uses them.
@Suite struct ServiceLaneTests {
    private static func key(_ index: Int) -> [UInt8] { Array("key-\(index)".utf8) }
    private static func value(_ index: Int) -> [UInt8] { Array("value-\(index)".utf8) }

    /// Every thread of the read lane waits on the object store for a segment, and more
    /// reads queue behind them; a synced write still commits before any of them is
    /// answered. (With one pool for both, as before the lanes, the write waited for a
    /// read's 10 s timeout to free a thread.)
    @Test func aSyncedWriteCommitsWhileEveryReadThreadWaitsOnTheObjectStore() async throws {
        let scratch = try TemporaryDirectory("lanes")
        let root = scratch.path
        let objects = try GatedObjectStore(root: root + "/objects")
        let logger = Logger(label: "lanes-test")
        func settings(_ node: String) -> DurableTierSettings {
            var options = StoreOptions()
            options.createIfMissing = true
            options.automaticCompaction = false
            var settings = DurableTierSettings(
                objectStore: objects, dataDirectory: root + "/" + node, storeOptions: options,
                segmentCacheDirectory: root + "/" + node + "-cache", nodeID: node)
            // No room to cache a segment: every read of one goes to the object store.
            settings.segmentCacheBytes = 1
            settings.replicationTimeout = .seconds(120)
            return settings
        }

        // A first node publishes the keys; a second, rebuilt from the object store,
        // holds every segment remotely.
        let first = try await DurableTier.open(settings("a"), logger: logger)
        for index in 0..<100 { try first.store.put(Self.key(index), Self.value(index), options: .buffered) }
        _ = try await first.flushAndPublish()
        try await first.close()
        objects.shut()
        let readThreads = 4
        var rebuilt = settings("b")
        rebuilt.executor = NodeExecutor(readThreads: readThreads)
        let tier = try await DurableTier.open(rebuilt, logger: logger)
        let service = LocalKVService(tier: tier, objectStoreLocation: objects.location, nodeID: "b")

        let reads = readThreads + 2
        let answered = Locked<[Int: Result<[UInt8]?, any Error>]>([:])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<reads {
                group.addTask {
                    do {
                        let found = try await service.lookup(key: Self.key(index), atSequence: nil)
                        answered.withLock { $0[index] = .success(found?.value) }
                    } catch {
                        answered.withLock { $0[index] = .failure(error) }
                    }
                }
            }
            try await eventually("every read thread waits on the object store") {
                objects.waitingReads >= readThreads
            }
            let answeredBefore = answered.withLock { $0.count }
            _ = try await service.put(key: [0x77], value: [0x01], durability: .local)
            #expect(answered.withLock { $0.count } == answeredBefore, "the synced write waited for a read thread")
            objects.open()
            try await group.waitForAll()
        }
        // Each read gets its value; on a machine slow enough for a read to wait out its
        // timeout at the gate, it is refused as unavailable instead.
        for index in 0..<reads {
            switch answered.withLock({ $0[index] }) {
            case .success(let value)?: #expect(value == Self.value(index))
            case .failure(LSMError.unavailable)?: break
            case .failure(let error)?: Issue.record("read \(index) failed: \(error)")
            case nil: Issue.record("read \(index) never finished")
            }
        }
        #expect(try await service.lookup(key: [0x77], atSequence: nil)?.value == [0x01])
        try await service.shutdown()
        try await tier.close()
    }
}
