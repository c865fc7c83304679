extension LSMStore {
    /// The sources of a read, taken atomically.
    func readView() throws -> ReadView {
        try mutex.withLock {
            if isClosed { throw LSMError.closed(reason: "close() was called") }
            return ReadView(memtable: memtable, frozen: immutables, pinned: current, tableCache: tableCache)
        }
    }

    // The public entry points are generic over the key's collection type and
    // inlinable, so callers get them specialised; each converts once to
    // `[UInt8]` (free for an array) and calls a non-generic implementation.

    /// The newest value of `key`, or nil when it was never written or its newest version is a tombstone.
    @inlinable
    public func get(_ key: some Collection<UInt8>, snapshot: Snapshot? = nil) throws -> [UInt8]? {
        try lookupBytes(Array(key), atSequence: snapshot?.sequence).flatMap { $0.isDeleted ? nil : $0.value }
    }

    /// The value `key` had at `sequence`: the newest version with a sequence ≤ `sequence`.
    @inlinable
    public func get(_ key: some Collection<UInt8>, atSequence sequence: SequenceNumber) throws -> [UInt8]? {
        try lookupBytes(Array(key), atSequence: sequence).flatMap { $0.isDeleted ? nil : $0.value }
    }

    /// The newest version of `key` with a sequence ≤ `sequence` (default: the
    /// newest visible), tombstones included; nil when there is none.
    @inlinable
    public func lookup(_ key: some Collection<UInt8>, atSequence sequence: SequenceNumber? = nil) throws -> KeyVersion? {
        try lookupBytes(Array(key), atSequence: sequence)
    }

    /// Every version of `key` — puts and tombstones — newest first, as of
    /// `snapshot` (default: the newest state).
    @inlinable
    public func versions(of key: some Collection<UInt8>, snapshot: Snapshot? = nil) throws -> [KeyVersion] {
        try versionsBytes(Array(key), atSequence: snapshot?.sequence)
    }

    @usableFromInline
    func lookupBytes(_ key: [UInt8], atSequence sequence: SequenceNumber?) throws -> KeyVersion? {
        try validateKey(key)
        let visible = lastSequence.load(ordering: .acquiring)
        let bound = min(sequence ?? visible, visible)
        let view = try readView()
        return try key.withUnsafeBytes { k -> KeyVersion? in
            if let found = view.memtable.get(k, atSequence: bound) { return KeyVersion(found) }
            for frozen in view.frozen.reversed() {
                if let found = frozen.memtable.get(k, atSequence: bound) { return KeyVersion(found) }
            }
            var answer: KeyVersion?
            try view.forEachSegment(containing: k) { segment in
                guard let found = try segment.get(userKey: k, atSequence: bound) else { return false }
                answer = KeyVersion(sequence: found.sequence, kind: found.kind, value: found.value)
                return true
            }
            return answer
        }
    }

    @usableFromInline
    func versionsBytes(_ key: [UInt8], atSequence sequence: SequenceNumber?) throws -> [KeyVersion] {
        try validateKey(key)
        let visible = lastSequence.load(ordering: .acquiring)
        let bound = min(sequence ?? visible, visible)
        let view = try readView()
        var found: [KeyVersion] = []
        try key.withUnsafeBytes { k in
            for table in [view.memtable] + view.frozen.reversed().map(\.memtable) {
                for v in table.versions(of: k, atSequence: bound) {
                    found.append(KeyVersion(sequence: v.sequence, kind: v.kind, value: v.value))
                }
            }
            try view.forEachSegment(containing: k) { segment in
                guard segment.mayContain(userKey: k) else { return false }
                for v in try segment.versions(of: k) where v.sequence <= bound {
                    found.append(KeyVersion(sequence: v.sequence, kind: v.kind, value: v.value))
                }
                return false
            }
        }
        found.sort { $0.sequence > $1.sequence }
        var seen = Set<SequenceNumber>()
        return found.filter { seen.insert($0.sequence).inserted }
    }

    /// An iterator over the live keys selected by `scan`, each with its newest
    /// visible value. It reads a consistent view: writes after its creation are
    /// not seen, and segments it reads stay open until it is released.
    public func makeIterator(_ scan: ScanOptions = ScanOptions()) throws -> StoreIterator {
        for bound in [scan.start, scan.end, scan.prefix].compactMap({ $0 }) where bound.count > options.maxKeySize {
            throw LSMError.invalidKeySize(size: bound.count, limit: options.maxKeySize)
        }
        let visible = lastSequence.load(ordering: .acquiring)
        let bound = min(scan.snapshot?.sequence ?? visible, visible)
        let view = try readView()
        var children: [InternalIterator] = [view.memtable.makeIterator()]
        children += view.frozen.reversed().map { $0.memtable.makeIterator() }
        children += try view.allSegmentReaders().map { $0.makeIterator() }
        return try StoreIterator(source: MergingIterator(children), scan: scan, sequence: bound, view: view)
    }

    /// Collects up to `limit` entries of a scan.
    public func scan(_ scan: ScanOptions = ScanOptions(), limit: Int = .max) throws -> [StoreEntry] {
        let iterator = try makeIterator(scan)
        var out: [StoreEntry] = []
        while out.count < limit, let entry = try iterator.next() {
            out.append(entry)
        }
        return out
    }
}
