import ScribeBytes

/// The sources a read consults, captured together under the store mutex so a
/// concurrent flush can never make a read miss data or see it twice.
struct ReadView {
    let memtable: Memtable
    /// Frozen memtables, oldest first (the store's own array, shared, not copied).
    let frozen: [FrozenMemtable]
    /// Keeps the view's segment files alive until the view is released.
    let pinned: PinnedVersion
    let tableCache: TableCache

    var version: Version { pinned.version }

    /// Visits the segments that may hold `userKey`, newest data first: every
    /// overlapping level-0 segment, then at most one per deeper level. Stops
    /// when `body` returns true. Allocates nothing.
    func forEachSegment(containing userKey: UnsafeRawBufferPointer, _ body: (SegmentReader) throws -> Bool) throws {
        let levels = version.levels
        for segment in levels[0] where Self.covers(segment, userKey) {
            if try body(try tableCache.reader(for: segment)) { return }
        }
        for level in 1..<levels.count {
            if let segment = Self.find(userKey, in: levels[level]), try body(try tableCache.reader(for: segment)) { return }
        }
    }

    /// Every segment reader, newest data first.
    func allSegmentReaders() throws -> [SegmentReader] {
        try version.allSegments.map { try tableCache.reader(for: $0) }
    }

    static func covers(_ segment: SegmentMetadata, _ userKey: UnsafeRawBufferPointer) -> Bool {
        segment.smallestKey.userKey.withUnsafeBytes { ByteOrder.compare($0, userKey) } <= 0
            && segment.largestKey.userKey.withUnsafeBytes { ByteOrder.compare($0, userKey) } >= 0
    }

    /// Binary search in a sorted, non-overlapping level.
    static func find(_ userKey: UnsafeRawBufferPointer, in segments: [SegmentMetadata]) -> SegmentMetadata? {
        var low = 0
        var high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if segments[mid].largestKey.userKey.withUnsafeBytes({ ByteOrder.compare($0, userKey) }) < 0 {
                low = mid + 1
            } else {
                high = mid
            }
        }
        guard low < segments.count, covers(segments[low], userKey) else { return nil }
        return segments[low]
    }
}
