import Foundation
import ScribeDistributed

/// An in-memory `ObjectStore` for tests: counts calls, and can be switched to
/// fail (`.unavailable`), to fail chosen ranged reads, or to never answer.
final class MemoryObjectStore: ObjectStore, @unchecked Sendable {
    private struct State {
        var objects: [String: [UInt8]] = [:]
        var calls = 0
        var failing = false
        var hanging = false
        var failRange: (@Sendable (Range<UInt64>) -> Bool)?
    }

    let location = "memory://test"
    private let lock = NSLock()
    private var state = State()

    private func locked<R>(_ body: (inout State) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    /// Calls made so far (every method counts).
    var calls: Int { locked { $0.calls } }
    /// Every call fails with `.unavailable` while set.
    var failing: Bool {
        get { locked { $0.failing } }
        set { locked { $0.failing = newValue } }
    }
    /// Every call waits until cancelled while set.
    var hanging: Bool {
        get { locked { $0.hanging } }
        set { locked { $0.hanging = newValue } }
    }
    /// Ranged reads whose range this accepts fail with `.unavailable`.
    var failRange: (@Sendable (Range<UInt64>) -> Bool)? {
        get { locked { $0.failRange } }
        set { locked { $0.failRange = newValue } }
    }

    /// Stores `bytes` under `key` without counting a call.
    func preload(_ key: String, _ bytes: [UInt8]) {
        locked { $0.objects[key] = bytes }
    }

    private func begin(_ range: Range<UInt64>? = nil) async throws {
        let (failing, hanging) = locked { state -> (Bool, Bool) in
            state.calls += 1
            let rangeFails = range.map { state.failRange?($0) ?? false } ?? false
            return (state.failing || rangeFails, state.hanging)
        }
        if hanging { try await Task.sleep(for: .seconds(3600)) }
        if failing { throw ObjectStoreError.unavailable("switched off") }
    }

    func put(_ key: String, bytes: [UInt8], ifAbsent: Bool) async throws -> ObjectInfo {
        try await begin()
        return try locked { state in
            if ifAbsent && state.objects[key] != nil { throw ObjectStoreError.alreadyExists(key: key) }
            state.objects[key] = bytes
            return ObjectInfo(key: key, size: UInt64(bytes.count))
        }
    }

    func putFile(_ key: String, path: String, ifAbsent: Bool) async throws -> ObjectInfo {
        guard let data = FileManager.default.contents(atPath: path) else { throw ObjectStoreError.io(path) }
        return try await put(key, bytes: [UInt8](data), ifAbsent: ifAbsent)
    }

    func get(_ key: String) async throws -> [UInt8] {
        try await begin()
        guard let bytes = locked({ $0.objects[key] }) else { throw ObjectStoreError.notFound(key: key) }
        return bytes
    }

    func get(_ key: String, range: Range<UInt64>) async throws -> [UInt8] {
        try await begin(range)
        guard let bytes = locked({ $0.objects[key] }) else { throw ObjectStoreError.notFound(key: key) }
        let lower = min(Int(range.lowerBound), bytes.count)
        return Array(bytes[lower..<min(Int(range.upperBound), bytes.count)])
    }

    func head(_ key: String) async throws -> ObjectInfo? {
        try await begin()
        return locked { $0.objects[key].map { ObjectInfo(key: key, size: UInt64($0.count)) } }
    }

    func list(prefix: String, startAfter: String?) async throws -> [ObjectInfo] {
        try await begin()
        return locked { state in
            state.objects.filter { $0.key.hasPrefix(prefix) && $0.key > (startAfter ?? "") }
                .map { ObjectInfo(key: $0.key, size: UInt64($0.value.count)) }
                .sorted { $0.key < $1.key }
        }
    }

    func delete(_ key: String) async throws {
        try await begin()
        locked { _ = $0.objects.removeValue(forKey: key) }
    }
}
