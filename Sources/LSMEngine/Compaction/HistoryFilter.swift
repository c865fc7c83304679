import ScribeBytes

/// Decides, entry by entry in internal-key order, which entries a flush or a
/// compaction may drop under `.latestOnly` (LevelDB's rules; `.retainAll`
/// drops nothing). With *S* the oldest sequence any reader may read at (the
/// oldest live snapshot, or the newest sequence):
/// - an entry is dropped when a newer version of its key has sequence ≤ *S*:
///   every reader sees that one instead;
/// - a tombstone with sequence ≤ *S* is dropped when `tombstoneHidesNothing`
///   says nothing older can exist beneath it.
struct HistoryFilter {
    let policy: HistoryPolicy
    let oldestVisible: SequenceNumber
    /// True when no older data for the user key can exist outside the entries filtered.
    let tombstoneHidesNothing: (UnsafeRawBufferPointer) -> Bool
    private var currentKey: [UInt8] = []
    private var hasCurrentKey = false
    private var newerSequence = SequenceNumber.max

    init(policy: HistoryPolicy, oldestVisible: SequenceNumber, tombstoneHidesNothing: @escaping (UnsafeRawBufferPointer) -> Bool) {
        self.policy = policy
        self.oldestVisible = oldestVisible
        self.tombstoneHidesNothing = tombstoneHidesNothing
    }

    /// Whether the next entry (in internal-key order) goes. `startsKey` tells the
    /// caller the entry is its user key's newest, where outputs may be split.
    mutating func drops(_ internalKey: UnsafeRawBufferPointer, startsKey: inout Bool) throws -> Bool {
        guard let parts = splitInternalKey(internalKey) else {
            throw LSMError.corruption(file: "merge input", offset: 0, reason: "internal key shorter than 8 bytes")
        }
        let sequence = parts.trailer >> 8
        startsKey = !hasCurrentKey || currentKey.withUnsafeBytes { ByteOrder.compare($0, parts.userKey) } != 0
        if startsKey {
            currentKey.removeAll(keepingCapacity: true)
            currentKey.append(contentsOf: parts.userKey)
            hasCurrentKey = true
            newerSequence = .max
        }
        defer { newerSequence = sequence }
        guard policy == .latestOnly else { return false }
        if newerSequence <= oldestVisible { return true }
        return UInt8(truncatingIfNeeded: parts.trailer) == ValueKind.delete.rawValue && sequence <= oldestVisible
            && tombstoneHidesNothing(parts.userKey)
    }
}
