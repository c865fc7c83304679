import ScribeDistributed

/// A rule of a `FaultInjectingObjectStore`: which calls it applies to (by
/// operation, key prefix and an optional predicate), what it does to them, and
/// when it fires.
public struct ObjectStoreFault: Sendable {
    /// What a fired rule does to a call.
    public enum Effect: Sendable {
        /// The call answers correctly, `delay` late, plus up to `jitter` drawn from the
        /// store's seeded generator.
        case latency(Duration, jitter: Duration = .zero)
        /// The call fails, changing nothing, as S3 fails on a 503 `SlowDown` that outlasted
        /// its retries: `.service(status: 503, …)`, retryable.
        case transientError
        /// The call fails, changing nothing, as S3 fails on a 403 `AccessDenied`:
        /// `.service(status: 403, …)`, not retryable.
        case permanentError
        /// The call fails with `error`, changing nothing.
        case error(ObjectStoreError)
        /// The call takes effect (a put stores its object, a delete removes it) but its
        /// answer is lost: the caller gets `.unavailable`, as from a request whose every
        /// attempt timed out after the service acted on the first.
        case lostReply
        /// No answer for `after`, then `.unavailable`, as `S3ObjectStore` reports a
        /// request that timed out on every attempt; nothing changes. A cancelled caller
        /// gets `CancellationError` at once, so a long `after` is a store that hangs.
        case timeout(after: Duration)
    }

    /// When a rule that matches a call fires.
    public enum Trigger: Sendable {
        /// On every matching call.
        case always
        /// On each matching call with this probability (0...1), drawn from the store's
        /// seeded generator.
        case probability(Double)
        /// On the next `count` matching calls, then never (the rule is removed).
        case nextCalls(Int)
    }

    public var effect: Effect
    /// The operations the rule applies to.
    public var operations: Set<ObjectStoreCall.Operation>
    /// The rule applies to keys starting with this (for `list`, to listing prefixes).
    public var prefix: String
    public var trigger: Trigger
    /// When set, the rule applies only to calls this accepts (a range, a particular key).
    public var filter: (@Sendable (ObjectStoreCall) -> Bool)?

    public init(
        _ effect: Effect, on operations: Set<ObjectStoreCall.Operation> = Set(ObjectStoreCall.Operation.allCases),
        prefix: String = "", trigger: Trigger = .always, where filter: (@Sendable (ObjectStoreCall) -> Bool)? = nil
    ) {
        self.effect = effect
        self.operations = operations
        self.prefix = prefix
        self.trigger = trigger
        self.filter = filter
    }

    /// True when the rule applies to `call` (whether it fires is the trigger's decision).
    func matches(_ call: ObjectStoreCall) -> Bool {
        operations.contains(call.operation) && call.key.hasPrefix(prefix) && (filter?(call) ?? true)
    }
}
