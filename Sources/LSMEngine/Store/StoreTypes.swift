/// One version of a key as the store holds it.
public struct KeyVersion: Sendable, Equatable {
    public let sequence: SequenceNumber
    public let kind: ValueKind
    /// The value written (empty for a tombstone).
    public let value: [UInt8]

    public init(sequence: SequenceNumber, kind: ValueKind, value: [UInt8]) {
        self.sequence = sequence
        self.kind = kind
        self.value = value
    }

    public var isDeleted: Bool { kind == .delete }

    init(_ found: MemtableLookup) {
        switch found {
        case let .value(value, sequence): self.init(sequence: sequence, kind: .put, value: value)
        case let .deleted(sequence): self.init(sequence: sequence, kind: .delete, value: [])
        }
    }
}

/// A live key/value pair returned by scans: the newest visible put of the key.
public struct StoreEntry: Sendable, Equatable {
    public let key: [UInt8]
    public let value: [UInt8]
    public let sequence: SequenceNumber

    public init(key: [UInt8], value: [UInt8], sequence: SequenceNumber) {
        self.key = key
        self.value = value
        self.sequence = sequence
    }
}

/// Which keys a scan visits, in which direction, at which point in history.
public struct ScanOptions: Sendable {
    /// First key visited (inclusive); nil = from the smallest key.
    public var start: [UInt8]?
    /// Key the scan stops before (exclusive); nil = to the largest key.
    public var end: [UInt8]?
    /// Only keys starting with these bytes (combined with start and end).
    public var prefix: [UInt8]?
    /// Visit keys in descending order.
    public var reverse: Bool
    /// Read as of this snapshot (default: the newest state when the scan starts).
    public var snapshot: Snapshot?

    public init(start: [UInt8]? = nil, end: [UInt8]? = nil, prefix: [UInt8]? = nil, reverse: Bool = false, snapshot: Snapshot? = nil) {
        self.start = start
        self.end = end
        self.prefix = prefix
        self.reverse = reverse
        self.snapshot = snapshot
    }
}
