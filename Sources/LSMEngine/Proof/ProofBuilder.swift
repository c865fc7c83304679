import ScribeVerifier
import ScribeBytes

/// Builds latest, absence and inclusion proofs against one pinned manifest version
/// (docs/proofs.md, "How a latest-proof is chosen"). Reveals the level-0 records that
/// may hold newer data and, per deeper level, the two adjacent records around the key;
/// probes each revealed segment whose key range covers the key and whose sequences
/// reach above the proven version.
///
/// Cost: one pass over the version's records per level (they are few), one block read
/// or two per probed segment, and the manifest tree once (one SHA-256 per record).
final class ProofBuilder {
    private let version: Version
    private let previousDigest: [UInt8]
    private let tableCache: TableCache
    private let segments: [SegmentMetadata]
    private let manifestTree: MerkleLevels?
    private var provers: [Int: SegmentProver] = [:]

    init(version: Version, previousDigest: [UInt8], tableCache: TableCache) {
        self.version = version
        self.previousDigest = previousDigest
        self.tableCache = tableCache
        segments = version.allSegments
        let leaves = version.allLeafHashes
        manifestTree = leaves.isEmpty ? nil : MerkleLevels(leaves: leaves)
    }

    /// The latest-proof of `key`, or its absence proof when no segment holds it.
    func latest(_ key: [UInt8]) throws -> Proof {
        var probes: [Int: SegmentProbe] = [:]
        for i in segments.indices where covers(i, key) { probes[i] = try prover(i).probe(key) }
        let newest = probes.compactMap { i, probe in probe.first.map { (index: i, leaf: $0) } }
            .max { $0.leaf.entry.sequence < $1.leaf.entry.sequence }
        let proven = newest?.leaf.entry.sequence
        func newer(_ i: Int) -> Bool { proven.map { segments[i].largestSequence > $0 } ?? true }

        var revealed = Set<Int>()
        var i = 0
        while i < segments.count {
            revealed.insert(i)
            guard segments[i].level == 0, newer(i) else { break }
            i += 1
        }
        for level in 1..<Version.maxLevels {
            let below = segments.indices.filter { atOrBelow(segments[$0], level: level, key) }.count
            if below > 0 { revealed.insert(below - 1) }
            if below < segments.count { revealed.insert(below) }
        }
        if let newest { revealed.remove(newest.index) }
        let others = revealed.sorted().map { i in
            RevealedSegment(record: record(i), position: position(i), probe: covers(i, key) && newer(i) ? probes[i] : nil)
        }
        guard let newest else { return .absence(AbsenceProof(key: key, segments: others, manifest: anchor)) }
        return .latest(LatestProof(
            key: key, inclusion: inclusion(newest.index, newest.leaf), previous: probes[newest.index]?.before,
            segments: others, manifest: anchor))
    }

    /// The inclusion proof of `key`'s version with exactly `sequence`, or nil when no segment holds it.
    func inclusion(_ key: [UInt8], sequence: SequenceNumber) throws -> Proof? {
        for i in segments.indices where covers(i, key)
            && (segments[i].smallestSequence...segments[i].largestSequence).contains(sequence) {
            let prover = try prover(i)
            guard let at = try prover.position(atOrAfter: key, trailer: KeyTrailer.seek(sequence).rawValue) else { continue }
            let leaf = try prover.leaf(at: at)
            if leaf.entry.key == key && leaf.entry.sequence == sequence {
                return .inclusion(InclusionProof(key: key, inclusion: inclusion(i, leaf), manifest: anchor))
            }
        }
        return nil
    }

    private var anchor: ManifestAnchor {
        ManifestAnchor(
            version: version.versionNumber, lastSequence: version.lastSequence, segmentCount: UInt32(segments.count),
            previousDigest: previousDigest, digest: version.digest)
    }

    private func inclusion(_ i: Int, _ leaf: LeafProof) -> EntryInclusion {
        EntryInclusion(leaf: leaf, segment: record(i), recordPosition: position(i))
    }

    private func record(_ i: Int) -> SegmentRecord {
        let s = segments[i]
        return SegmentRecord(
            id: s.id.rawValue, level: UInt8(s.level), root: s.root, blockCount: s.blockCount,
            smallestKey: s.smallestKey.encoded, largestKey: s.largestKey.encoded, smallestSequence: s.smallestSequence,
            largestSequence: s.largestSequence, entryCount: s.entryCount, fileSize: s.fileSize)
    }

    private func position(_ i: Int) -> RecordPosition {
        RecordPosition(index: UInt32(i), path: manifestTree?.auditPath(index: i) ?? [])
    }

    private func prover(_ i: Int) throws -> SegmentProver {
        if let known = provers[i] { return known }
        let made = SegmentProver(reader: try tableCache.reader(for: segments[i]))
        provers[i] = made
        return made
    }

    private func covers(_ i: Int, _ key: [UInt8]) -> Bool {
        key.withUnsafeBytes { ReadView.covers(segments[i], $0) }
    }

    /// Whether `s` orders at or before the point (level, key) in commitment order.
    private func atOrBelow(_ s: SegmentMetadata, level: Int, _ key: [UInt8]) -> Bool {
        s.level < level || (s.level == level && ByteOrder.compare(s.smallestKey.userKey, key) <= 0)
    }
}
