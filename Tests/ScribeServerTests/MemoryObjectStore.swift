import Foundation
import ScribeDistributed
import Synchronization

/// An `ObjectStore` in memory that a test can make unreachable: while `reachable` is
/// false every call throws the retryable `.unavailable`, and what it held is kept.
final class MemoryObjectStore: ObjectStore {
    let location = "memory://test"
    private let objects = Mutex<[String: [UInt8]]>([:])
    private let up = Atomic<Bool>(true)

    var reachable: Bool {
        get { up.load(ordering: .acquiring) }
        set { up.store(newValue, ordering: .releasing) }
    }

    /// Every key held, in order.
    var keys: [String] { objects.withLock { $0.keys.sorted() } }

    func put(_ key: String, bytes: [UInt8], ifAbsent: Bool) async throws -> ObjectInfo {
        try checkReachable()
        return try objects.withLock { objects in
            if ifAbsent, objects[key] != nil { throw ObjectStoreError.alreadyExists(key: key) }
            objects[key] = bytes
            return ObjectInfo(key: key, size: UInt64(bytes.count))
        }
    }

    func putFile(_ key: String, path: String, ifAbsent: Bool) async throws -> ObjectInfo {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ObjectStoreError.io("cannot read \(path)")
        }
        return try await put(key, bytes: Array(data), ifAbsent: ifAbsent)
    }

    func get(_ key: String) async throws -> [UInt8] {
        try checkReachable()
        guard let bytes = objects.withLock({ $0[key] }) else { throw ObjectStoreError.notFound(key: key) }
        return bytes
    }

    func get(_ key: String, range: Range<UInt64>) async throws -> [UInt8] {
        let bytes = try await get(key)
        let lower = Int(min(range.lowerBound, UInt64(bytes.count)))
        let upper = Int(min(range.upperBound, UInt64(bytes.count)))
        return Array(bytes[lower..<max(lower, upper)])
    }

    func head(_ key: String) async throws -> ObjectInfo? {
        try checkReachable()
        return objects.withLock { $0[key].map { ObjectInfo(key: key, size: UInt64($0.count)) } }
    }

    func list(prefix: String, startAfter: String?) async throws -> [ObjectInfo] {
        try checkReachable()
        return objects.withLock { objects in
            objects.filter { key, _ in key.hasPrefix(prefix) && key > (startAfter ?? "") }
                .map { ObjectInfo(key: $0.key, size: UInt64($0.value.count)) }
                .sorted { $0.key < $1.key }
        }
    }

    func delete(_ key: String) async throws {
        try checkReachable()
        _ = objects.withLock { $0.removeValue(forKey: key) }
    }

    private func checkReachable() throws {
        guard reachable else { throw ObjectStoreError.unavailable("the test made the store unreachable") }
    }
}
