import Foundation
import LSMEngine
import S3Protocol
import ScribeCrypto
import ScribeDistributed
import ScribeTestSupport

/// An `ObjectStore` in memory that fails on purpose: the one test double of
/// object storage. Without faults it answers as the real stores do — the same
/// key rules and `.io` for a bad key, `ifAbsent` as `If-None-Match: *`, ranges
/// clipped to the object, listings in key order after `startAfter`, deleting an
/// absent object succeeds, `putFile` reading its file before any request, S3's
/// single-part MD5 entity tags.
///
/// Faults: `partitioned` fails every call at once with the retryable
/// `.unavailable`, as `S3ObjectStore` fails when its endpoint refuses
/// connections (what the store holds is kept); `inject` adds rules
/// (`ObjectStoreFault`) that delay, fail, time out or lose the answer of calls,
/// by operation and key prefix, always, with a probability or for the next N
/// calls. Rules are tried in the order they were injected; latencies add up and
/// the first rule that fails a call ends the search. Probabilities and jitter
/// are drawn from a SplitMix64 generator seeded at `init`, one draw at a time in
/// call order, so the same seed and the same sequence of calls meet the same
/// faults. Every method is safe to call concurrently.
public final class FaultInjectingObjectStore: ObjectStore {
    private struct State {
        var objects: [String: [UInt8]] = [:]
        var rules: [ObjectStoreFault] = []
        var partitioned = false
        var generator: SeededGenerator
        var calls: [ObjectStoreCall.Operation: Int] = [:]
        var faulted: [ObjectStoreCall] = []
    }

    /// How a call will go, decided when it starts.
    private enum Fate {
        case answer
        case fail(ObjectStoreError)
        case timeOut(Duration)
        case loseReply
    }

    public let location: String
    private let state: Locked<State>

    public init(seed: UInt64 = 0, location: String = "memory://test") {
        self.location = location
        state = Locked(State(generator: SeededGenerator(seed: seed)))
    }

    // MARK: Faults

    /// While true every call fails at once with `.unavailable`, as the S3 store's
    /// calls fail when its endpoint cannot be reached; the objects are kept.
    public var partitioned: Bool {
        get { state.withLock { $0.partitioned } }
        set { state.withLock { $0.partitioned = newValue } }
    }

    /// Adds `fault` after the rules already injected.
    public func inject(_ fault: ObjectStoreFault) {
        state.withLock { $0.rules.append(fault) }
    }

    /// Removes every rule (the partition switch stays as it is).
    public func removeAllFaults() {
        state.withLock { $0.rules.removeAll() }
    }

    // MARK: Observation

    /// Calls made so far, faulted or not.
    public var callCount: Int { state.withLock { $0.calls.values.reduce(0, +) } }

    /// Calls of `operation` made so far.
    public func callCount(_ operation: ObjectStoreCall.Operation) -> Int {
        state.withLock { $0.calls[operation] ?? 0 }
    }

    /// The calls a fault (a rule that fired, or the partition) changed, in order.
    public var faultedCalls: [ObjectStoreCall] { state.withLock { $0.faulted } }

    // MARK: Contents, beside the faults

    /// Stores `bytes` under `key` directly: no fault, not counted.
    public func preload(_ key: String, _ bytes: [UInt8]) {
        state.withLock { $0.objects[key] = bytes }
    }

    /// The keys held that start with `prefix`, in order: no fault, not counted.
    public func keys(prefix: String = "") -> [String] {
        state.withLock { $0.objects.keys.filter { $0.hasPrefix(prefix) }.sorted() }
    }

    /// The bytes held under `key`: no fault, not counted.
    public func contents(of key: String) -> [UInt8]? {
        state.withLock { $0.objects[key] }
    }

    // MARK: ObjectStore

    @discardableResult
    public func put(_ key: String, bytes: [UInt8], ifAbsent: Bool) async throws -> ObjectInfo {
        try ObjectKey.validate(key)
        return try await perform(ObjectStoreCall(.put, key: key)) { objects in
            try Self.store(bytes, as: key, ifAbsent: ifAbsent, in: &objects)
        }
    }

    @discardableResult
    public func putFile(_ key: String, path: String, ifAbsent: Bool) async throws -> ObjectInfo {
        try ObjectKey.validate(key)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ObjectStoreError.io("open \(path): cannot read the file")
        }
        let bytes = [UInt8](data)
        return try await perform(ObjectStoreCall(.putFile, key: key)) { objects in
            try Self.store(bytes, as: key, ifAbsent: ifAbsent, in: &objects)
        }
    }

    public func get(_ key: String) async throws -> [UInt8] {
        try ObjectKey.validate(key)
        return try await perform(ObjectStoreCall(.get, key: key)) { objects in
            guard let bytes = objects[key] else { throw ObjectStoreError.notFound(key: key) }
            return bytes
        }
    }

    public func get(_ key: String, range: Range<UInt64>) async throws -> [UInt8] {
        try ObjectKey.validate(key)
        return try await perform(ObjectStoreCall(.getRange, key: key, range: range)) { objects in
            guard let bytes = objects[key] else { throw ObjectStoreError.notFound(key: key) }
            let size = UInt64(bytes.count)
            guard range.lowerBound < size else { return [] }
            return Array(bytes[Int(range.lowerBound)..<Int(min(range.upperBound, size))])
        }
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        try ObjectKey.validate(key)
        return try await perform(ObjectStoreCall(.head, key: key)) { objects in
            objects[key].map { Self.info(key, $0) }
        }
    }

    public func list(prefix: String, startAfter: String?) async throws -> [ObjectInfo] {
        try ObjectKey.validatePrefix(prefix)
        return try await perform(ObjectStoreCall(.list, key: prefix)) { objects in
            objects.filter { key, _ in key.hasPrefix(prefix) && startAfter.map { key > $0 } ?? true }
                .map { Self.info($0.key, $0.value) }
                .sorted { $0.key < $1.key }
        }
    }

    public func delete(_ key: String) async throws {
        try ObjectKey.validate(key)
        try await perform(ObjectStoreCall(.delete, key: key)) { objects in
            _ = objects.removeValue(forKey: key)
        }
    }

    // MARK: Calls

    /// Decides `call`'s fate, waits out its latency, then answers with `body`
    /// applied to the objects, or fails as its fate says.
    private func perform<R>(
        _ call: ObjectStoreCall, _ body: (inout [String: [UInt8]]) throws -> R
    ) async throws -> R {
        let (delay, fate) = state.withLock { decide(call, &$0) }
        if delay > .zero { try await Task.sleep(for: delay) }
        switch fate {
        case .answer:
            return try state.withLock { try body(&$0.objects) }
        case .fail(let error):
            throw error
        case .timeOut(let after):
            try await Task.sleep(for: after)
            throw unavailable(call, "no complete answer within \(after)")
        case .loseReply:
            _ = try? state.withLock { try body(&$0.objects) }
            throw unavailable(call, "the answer was lost after the store acted on the request")
        }
    }

    /// Counts `call` and runs it past the partition and the rules: the latency to
    /// add and what happens then.
    private func decide(_ call: ObjectStoreCall, _ state: inout State) -> (Duration, Fate) {
        state.calls[call.operation, default: 0] += 1
        if state.partitioned {
            state.faulted.append(call)
            return (.zero, .fail(unavailable(call, "connection refused (the store is partitioned)")))
        }
        var delay = Duration.zero
        var fate = Fate.answer
        var fired = false
        var index = 0
        while index < state.rules.count {
            let rule = state.rules[index]
            guard rule.matches(call), Self.fires(&state.rules[index], &state.generator) else {
                index += 1
                continue
            }
            fired = true
            if case .nextCalls(0) = state.rules[index].trigger {
                state.rules.remove(at: index)
            } else {
                index += 1
            }
            let (latency, failure) = outcome(of: rule.effect, for: call, &state.generator)
            delay += latency
            if let failure {
                fate = failure
                break
            }
        }
        if fired { state.faulted.append(call) }
        return (delay, fate)
    }

    /// What a fired rule's `effect` does to `call`: a latency to add, or how the call fails.
    private func outcome(
        of effect: ObjectStoreFault.Effect, for call: ObjectStoreCall, _ generator: inout SeededGenerator
    ) -> (Duration, Fate?) {
        // S3 names the key in an object's errors, not in a listing's.
        let key = call.operation == .list ? nil : call.key
        switch effect {
        case .latency(let base, let jitter):
            return (base + Self.draw(upTo: jitter, &generator), nil)
        case .transientError:
            return (.zero, .fail(.service(
                status: 503, code: "SlowDown", message: "Please reduce your request rate.", key: key,
                requestID: "fault-injected")))
        case .permanentError:
            return (.zero, .fail(.service(
                status: 403, code: "AccessDenied", message: "Access Denied", key: key, requestID: "fault-injected")))
        case .error(let error): return (.zero, .fail(error))
        case .lostReply: return (.zero, .loseReply)
        case .timeout(let after): return (.zero, .timeOut(after))
        }
    }

    /// Whether `rule`, which matches the call, fires on it (using up one of its calls).
    private static func fires(_ rule: inout ObjectStoreFault, _ generator: inout SeededGenerator) -> Bool {
        switch rule.trigger {
        case .always:
            return true
        case .probability(let probability):
            return Double.random(in: 0..<1, using: &generator) < probability
        case .nextCalls(let count):
            guard count > 0 else { return false }
            rule.trigger = .nextCalls(count - 1)
            return true
        }
    }

    /// A uniformly drawn duration in `0...limit`.
    private static func draw(upTo limit: Duration, _ generator: inout SeededGenerator) -> Duration {
        let (seconds, attoseconds) = limit.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &generator))
    }

    /// `.unavailable`, worded as `S3ObjectStore` words a request that got no answer.
    private func unavailable(_ call: ObjectStoreCall, _ reason: String) -> ObjectStoreError {
        .unavailable("\(call.operation.method) \(location)/\(call.key): \(reason)")
    }

    private static func store(
        _ bytes: [UInt8], as key: String, ifAbsent: Bool, in objects: inout [String: [UInt8]]
    ) throws -> ObjectInfo {
        if ifAbsent, objects[key] != nil { throw ObjectStoreError.alreadyExists(key: key) }
        objects[key] = bytes
        return info(key, bytes)
    }

    private static func info(_ key: String, _ bytes: [UInt8]) -> ObjectInfo {
        ObjectInfo(key: key, size: UInt64(bytes.count), etag: S3ETag.singlePart(md5: MD5.hash(bytes)))
    }
}
