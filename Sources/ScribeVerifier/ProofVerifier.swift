import ScribeBytes

/// Checks `scribe-proof-v1` proofs with nothing but SHA-256 (docs/proofs.md,
/// "Verification"). Each check either passes or throws a `ProofVerificationError`
/// naming what failed; a proof verifies only when every hash, size, position and
/// ordering rule holds and the result matches the caller's `ProofExpectation`.
///
/// Cost: one SHA-256 per audit-path element and per leaf, plus linear scans over the
/// revealed records; no allocation beyond the hashes.
public enum ProofVerifier {
    /// Levels 0 ..< levelCount exist; a record's level must be below it.
    public static let levelCount = 7

    /// Verifies `proof` and returns what it establishes.
    @discardableResult
    public static func verify(_ proof: Proof, expecting expectation: ProofExpectation = ProofExpectation()) throws -> VerifiedClaim {
        let claim: VerifiedClaim
        switch proof {
        case .latest(let p): claim = try verifyLatest(p, expectation)
        case .inclusion(let p): claim = try verifyInclusion(p, expectation)
        case .absence(let p): claim = try verifyAbsence(p, expectation)
        case .consistency(let p): claim = try verifyConsistency(p, expectation)
        case .pending(let p):
            throw ProofVerificationError(
                "no proof yet: the newest version (sequence \(p.sequence)) is not in a segment: \(p.message)")
        }
        if let wanted = expectation.claim, wanted != claim.claim {
            throw ProofVerificationError("the proof proves \(claim.claim.rawValue), not \(wanted.rawValue)")
        }
        return claim
    }

    // MARK: Claims

    private static func verifyInclusion(_ p: InclusionProof, _ e: ProofExpectation) throws -> VerifiedClaim {
        try checkKey(p.key, e)
        let root = try checkInclusion(p.inclusion, key: p.key, anchor: p.manifest)
        try checkAnchor(p.manifest, manifestRoot: root, e)
        try checkValue(p.inclusion.leaf.entry, e)
        return VerifiedClaim(
            claim: .inclusion, key: p.key, entry: p.inclusion.leaf.entry, manifestVersion: p.manifest.version,
            digest: p.manifest.digest, lastSequence: nil)
    }

    private static func verifyLatest(_ p: LatestProof, _ e: ProofExpectation) throws -> VerifiedClaim {
        try checkKey(p.key, e)
        let root = try checkInclusion(p.inclusion, key: p.key, anchor: p.manifest)
        try checkAnchor(p.manifest, manifestRoot: root, e)
        let entry = p.inclusion.leaf.entry
        let newest = try probe(
            SegmentProbe(before: p.previous, first: p.inclusion.leaf), key: p.key, record: p.inclusion.segment,
            what: "the entry's segment")
        guard newest == entry.sequence else {
            throw ProofVerificationError("the entry is not the first version of the key in its segment")
        }
        let main = RevealedSegment(record: p.inclusion.segment, position: p.inclusion.recordPosition, probe: nil)
        try checkCoverage(
            key: p.key, provenSequence: entry.sequence, main: main, others: p.segments, manifestRoot: root,
            anchor: p.manifest)
        try checkValue(entry, e)
        return VerifiedClaim(
            claim: .latest, key: p.key, entry: entry, manifestVersion: p.manifest.version, digest: p.manifest.digest,
            lastSequence: p.manifest.lastSequence)
    }

    private static func verifyAbsence(_ p: AbsenceProof, _ e: ProofExpectation) throws -> VerifiedClaim {
        try checkKey(p.key, e)
        guard e.value == nil else { throw ProofVerificationError("an absence proof proves no value") }
        let root: [UInt8]
        if let first = p.segments.first {
            root = try recordRoot(first, anchor: p.manifest, what: "latest.segments[0]")
        } else {
            guard p.manifest.segmentCount == 0 else {
                throw ProofVerificationError("an absence proof over \(p.manifest.segmentCount) segments reveals none")
            }
            root = PortableSHA256.hash([])
        }
        try checkAnchor(p.manifest, manifestRoot: root, e)
        try checkCoverage(
            key: p.key, provenSequence: nil, main: nil, others: p.segments, manifestRoot: root, anchor: p.manifest)
        return VerifiedClaim(
            claim: .absence, key: p.key, entry: nil, manifestVersion: p.manifest.version, digest: p.manifest.digest,
            lastSequence: p.manifest.lastSequence)
    }

    private static func verifyConsistency(_ p: ConsistencyProof, _ e: ProofExpectation) throws -> VerifiedClaim {
        guard p.fromDigest.count == 32, p.toDigest.count == 32 else { throw ProofVerificationError("a digest is not 32 bytes") }
        guard p.fromVersion < p.toVersion else {
            throw ProofVerificationError("fromVersion \(p.fromVersion) is not below toVersion \(p.toVersion)")
        }
        guard UInt64(p.headers.count) == p.toVersion - p.fromVersion else {
            throw ProofVerificationError("\(p.headers.count) headers for versions \(p.fromVersion + 1)...\(p.toVersion)")
        }
        var digest = p.fromDigest
        for (i, header) in p.headers.enumerated() {
            guard header.count == ProofEncoding.headerSize else {
                throw ProofVerificationError("header \(i) is \(header.count) bytes, not \(ProofEncoding.headerSize)")
            }
            let version = ProofEncoding.readFixed64(header, at: 0)
            guard version == p.fromVersion + 1 + UInt64(i) else {
                throw ProofVerificationError("header \(i) is of version \(version), not \(p.fromVersion + 1 + UInt64(i))")
            }
            var h = PortableSHA256.Hasher()
            h.update(digest)
            h.update(header)
            digest = h.finalize()
        }
        guard digest == p.toDigest else {
            throw ProofVerificationError("the headers chain fromDigest to \(Hex.encode(digest)), not to toDigest")
        }
        if let trusted = e.digest, trusted != p.toDigest {
            throw ProofVerificationError("toDigest is not the trusted digest \(Hex.encode(trusted))")
        }
        if let trusted = e.fromDigest, trusted != p.fromDigest {
            throw ProofVerificationError("fromDigest is not the trusted digest \(Hex.encode(trusted))")
        }
        return VerifiedClaim(
            claim: .consistency, key: [], entry: nil, manifestVersion: p.toVersion, digest: p.toDigest, lastSequence: nil)
    }

    // MARK: Expectations and the anchor

    private static func checkKey(_ key: [UInt8], _ e: ProofExpectation) throws {
        if let wanted = e.key, wanted != key {
            throw ProofVerificationError("the proof is about key \(Hex.encode(key)), not \(Hex.encode(wanted))")
        }
    }

    private static func checkValue(_ entry: ProofEntry, _ e: ProofExpectation) throws {
        guard let value = e.value else { return }
        guard entry.kind == .put else { throw ProofVerificationError("the proven version is a delete, not a value") }
        guard PortableSHA256.hash(value) == entry.valueHash else {
            throw ProofVerificationError("SHA-256 of the value is not the proven valueHash")
        }
    }

    /// Recomputes the header and digest from the manifest root.
    private static func checkAnchor(_ anchor: ManifestAnchor, manifestRoot: [UInt8], _ e: ProofExpectation) throws {
        guard anchor.previousDigest.count == 32, anchor.digest.count == 32 else {
            throw ProofVerificationError("manifest: a digest is not 32 bytes")
        }
        let header = ProofEncoding.header(
            version: anchor.version, lastSequence: anchor.lastSequence, segmentCount: anchor.segmentCount,
            manifestRoot: manifestRoot)
        var h = PortableSHA256.Hasher()
        h.update(anchor.previousDigest)
        h.update(header)
        guard h.finalize() == anchor.digest else {
            throw ProofVerificationError("manifest: SHA-256(previousDigest ‖ header) is not the digest")
        }
        if let trusted = e.digest, trusted != anchor.digest {
            throw ProofVerificationError("manifest: the digest is not the trusted digest \(Hex.encode(trusted))")
        }
    }

    // MARK: Records, leaves and probes

    /// Checks the entry against the key, its segment and the segment's record against the
    /// manifest tree; returns the manifest root.
    private static func checkInclusion(_ inclusion: EntryInclusion, key: [UInt8], anchor: ManifestAnchor) throws -> [UInt8] {
        guard inclusion.leaf.entry.key == key else { throw ProofVerificationError("the entry's key is not the proof's key") }
        let segment = RevealedSegment(record: inclusion.segment, position: inclusion.recordPosition, probe: nil)
        let root = try recordRoot(segment, anchor: anchor, what: "segment")
        try checkLeaf(inclusion.leaf, in: inclusion.segment, what: "entry")
        guard inclusion.leaf.entry.sequence <= anchor.lastSequence else {
            throw ProofVerificationError("entry: sequence above the manifest's lastSequence")
        }
        return root
    }

    /// Validates a record's fields and returns the manifest root its audit path implies.
    static func recordRoot(_ revealed: RevealedSegment, anchor: ManifestAnchor, what: String) throws -> [UInt8] {
        let r = revealed.record
        func fail(_ reason: String) -> ProofVerificationError { ProofVerificationError("\(what): \(reason)") }
        guard r.root.count == 32 else { throw fail("root is not 32 bytes") }
        guard Int(r.level) < levelCount else { throw fail("level \(r.level) is not below \(levelCount)") }
        guard r.id.hasSuffix("-" + Hex.encode(r.root.prefix(16))) else { throw fail("id does not end in its root") }
        guard let smallest = userKey(r.smallestKey), let largest = userKey(r.largestKey) else {
            throw fail("smallestKey or largestKey is not an internal key")
        }
        guard ByteOrder.compare(smallest, largest) <= 0 else { throw fail("largestKey is below smallestKey") }
        guard r.smallestSequence <= r.largestSequence, r.largestSequence <= anchor.lastSequence else {
            throw fail("sequence range outside 0...lastSequence")
        }
        guard r.blockCount > 0, UInt64(r.blockCount) <= r.entryCount else {
            throw fail("\(r.blockCount) blocks for \(r.entryCount) entries")
        }
        let leaf = ProofMerkle.leafHash(ProofEncoding.recordLeafInput(r))
        guard let root = ProofMerkle.rootFromAuditPath(
            leaf: leaf, index: UInt64(revealed.position.index), size: UInt64(anchor.segmentCount),
            path: revealed.position.path) else {
            throw fail("record path does not fit index \(revealed.position.index) of \(anchor.segmentCount)")
        }
        return root
    }

    /// Checks that `leaf` is an entry of the segment `record` commits, at its claimed position.
    private static func checkLeaf(_ leaf: LeafProof, in record: SegmentRecord, what: String) throws {
        func fail(_ reason: String) -> ProofVerificationError { ProofVerificationError("\(what): \(reason)") }
        let e = leaf.entry
        let p = leaf.position
        guard e.valueHash.count == 32 else { throw fail("valueHash is not 32 bytes") }
        guard e.nextKey.isEmpty || ByteOrder.compare(e.key, e.nextKey) <= 0 else { throw fail("nextKey is below the key") }
        guard p.blockIndex < record.blockCount else { throw fail("block \(p.blockIndex) of \(record.blockCount)") }
        guard let blockRoot = ProofMerkle.rootFromAuditPath(
            leaf: ProofMerkle.leafHash(ProofEncoding.entryLeafInput(e)), index: UInt64(p.entryIndex),
            size: UInt64(p.entryCount), path: p.blockPath) else {
            throw fail("block path does not fit entry \(p.entryIndex) of \(p.entryCount)")
        }
        let blockLeaf = ProofMerkle.leafHash(ProofEncoding.blockLeafInput(entryCount: p.entryCount, blockRoot: blockRoot))
        guard ProofMerkle.rootFromAuditPath(
            leaf: blockLeaf, index: UInt64(p.blockIndex), size: UInt64(record.blockCount), path: p.segmentPath)
            == record.root else {
            throw fail("the leaf does not hash to segment \(record.id)'s root")
        }
        guard record.smallestSequence <= e.sequence, e.sequence <= record.largestSequence else {
            throw fail("sequence outside the segment's range")
        }
    }

    /// The newest sequence of `key` in the segment, or nil when the probe shows it absent.
    private static func probe(_ probe: SegmentProbe, key: [UInt8], record: SegmentRecord, what: String) throws -> UInt64? {
        func fail(_ reason: String) -> ProofVerificationError { ProofVerificationError("\(what): \(reason)") }
        guard let before = probe.before else {
            guard let first = probe.first else { throw fail("a probe shows neither before nor first") }
            try checkLeaf(first, in: record, what: "\(what) first")
            guard first.entry.key == key else { throw fail("first is not an entry of the key") }
            guard first.position.blockIndex == 0, first.position.entryIndex == 0 else {
                throw fail("without before, first must be the segment's first entry")
            }
            return first.entry.sequence
        }
        try checkLeaf(before, in: record, what: "\(what) before")
        guard ByteOrder.compare(before.entry.key, key) < 0 else { throw fail("before is not below the key") }
        if before.entry.nextKey == key {
            guard let first = probe.first else { throw fail("the entry after before has the key, but first is missing") }
            try checkLeaf(first, in: record, what: "\(what) first")
            guard first.entry.key == key else { throw fail("first is not an entry of the key") }
            guard adjacent(before.position, first.position) else { throw fail("first does not follow before") }
            return first.entry.sequence
        }
        guard !before.entry.nextKey.isEmpty, ByteOrder.compare(key, before.entry.nextKey) < 0 else {
            throw fail("before's nextKey does not lie above the key")
        }
        guard probe.first == nil else { throw fail("first is shown for a key the segment lacks") }
        return nil
    }

    /// True when `b` is the entry right after `a` in a segment whose sizes the paths bind.
    private static func adjacent(_ a: EntryPosition, _ b: EntryPosition) -> Bool {
        if a.blockIndex == b.blockIndex {
            return a.entryCount == b.entryCount && b.entryIndex == a.entryIndex + 1
        }
        return b.blockIndex == a.blockIndex + 1 && a.entryIndex + 1 == a.entryCount && b.entryIndex == 0
    }

    // MARK: Coverage

    /// Checks that every segment that could hold a version of `key` newer than
    /// `provenSequence` (any version when nil) is revealed and probed, relying on the
    /// commitment order: L0 newest first, each level ≥ 1 sorted by key and disjoint.
    private static func checkCoverage(
        key: [UInt8], provenSequence: UInt64?, main: RevealedSegment?, others: [RevealedSegment],
        manifestRoot: [UInt8], anchor: ManifestAnchor
    ) throws {
        var revealed: [(index: UInt64, segment: RevealedSegment, label: String)] = []
        for (i, s) in others.enumerated() {
            let what = "latest.segments[\(i)]"
            guard try recordRoot(s, anchor: anchor, what: what) == manifestRoot else {
                throw ProofVerificationError("\(what): the record is not in the manifest tree")
            }
            if let last = revealed.last, last.index >= UInt64(s.position.index) {
                throw ProofVerificationError("\(what): segments are not in ascending index order")
            }
            if let main, main.position.index == s.position.index {
                throw ProofVerificationError("\(what): repeats the entry's segment")
            }
            revealed.append((UInt64(s.position.index), s, what))
        }
        if let main {
            let at = revealed.firstIndex { $0.index > UInt64(main.position.index) } ?? revealed.endIndex
            revealed.insert((UInt64(main.position.index), main, "segment"), at: at)
        }
        try checkCommitmentOrder(revealed.map(\.segment.record))
        func newer(_ r: SegmentRecord) -> Bool { provenSequence.map { r.largestSequence > $0 } ?? true }
        let count = UInt64(anchor.segmentCount)
        var byIndex: [UInt64: SegmentRecord] = [:]
        for r in revealed { byIndex[r.index] = r.segment.record }

        var i: UInt64 = 0
        while i < count {
            guard let r = byIndex[i] else {
                throw ProofVerificationError("level 0: record \(i) may hold a newer version but is not shown")
            }
            guard r.level == 0, newer(r) else { break }
            i += 1
        }
        for level in 1..<levelCount {
            func atOrBelow(_ r: SegmentRecord) -> Bool {
                Int(r.level) < level || (Int(r.level) == level && ByteOrder.compare(userKey(r.smallestKey) ?? [], key) <= 0)
            }
            let starts: [UInt64?] = [nil] + revealed.map { Optional($0.index) }
            let bounded = starts.contains { a in
                let lowOK = a.map { byIndex[$0].map(atOrBelow) ?? false } ?? true
                let next = a.map { $0 + 1 } ?? 0
                let highOK = next == count || (byIndex[next].map { !atOrBelow($0) } ?? false)
                return lowOK && highOK
            }
            guard bounded else {
                throw ProofVerificationError("level \(level): no two adjacent records shown bound the key")
            }
        }
        for r in revealed where r.index != main.map({ UInt64($0.position.index) }) {
            let record = r.segment.record
            let covers = covers(record, key)
            let what = r.label
            guard (covers && newer(record)) == (r.segment.probe != nil) else {
                throw ProofVerificationError(
                    r.segment.probe == nil ? "\(what): may hold a newer version but has no probe" : "\(what): needs no probe")
            }
            guard let p = r.segment.probe else { continue }
            if let found = try probe(p, key: key, record: record, what: what) {
                guard let proven = provenSequence, found < proven else {
                    throw ProofVerificationError("\(what): holds version \(found) of the key")
                }
            }
        }
    }

    /// The revealed records, in index order, must respect the commitment order.
    private static func checkCommitmentOrder(_ records: [SegmentRecord]) throws {
        for (a, b) in zip(records, records.dropFirst()) {
            let ordered: Bool
            if a.level != b.level {
                ordered = a.level < b.level
            } else if a.level == 0 {
                ordered = a.largestSequence >= b.largestSequence
            } else {
                ordered = ByteOrder.compare(userKey(a.largestKey) ?? [], userKey(b.smallestKey) ?? []) < 0
            }
            guard ordered else {
                throw ProofVerificationError("segments \(a.id) and \(b.id) break the manifest's commitment order")
            }
        }
    }

    private static func covers(_ r: SegmentRecord, _ key: [UInt8]) -> Bool {
        guard let smallest = userKey(r.smallestKey), let largest = userKey(r.largestKey) else { return true }
        return ByteOrder.compare(smallest, key) <= 0 && ByteOrder.compare(key, largest) <= 0
    }

    /// The user key of an encoded internal key (`userKey ‖ fixed64 trailer` with kind 0 or 1).
    static func userKey(_ internalKey: [UInt8]) -> [UInt8]? {
        guard internalKey.count >= 8, internalKey[internalKey.count - 8] <= 1 else { return nil }
        return Array(internalKey.dropLast(8))
    }
}
