import ScribeBytes

/// An immutable snapshot of the live segments and the bookkeeping around them,
/// with the commitment (manifest root and chained digest) that names it.
///
/// `levels[0]` is ordered newest first (largest sequence descending, ties by id);
/// `levels[1...]` by smallest key ascending and non-overlapping. That order is the
/// commitment order: `allSegments` lists the records the manifest root covers.
/// Copying a Version is cheap (arrays are shared copy-on-write).
public struct Version: Sendable, Equatable {
    /// The number of LSM levels (0...6).
    public static let maxLevels = 7

    /// The live segments per level, in commitment order.
    public let levels: [[SegmentMetadata]]
    /// 1 for the first version of a store, then +1 per edit.
    public let versionNumber: UInt64
    /// `SHA-256(previous digest ‖ header)`.
    public let digest: [UInt8]
    /// The digest this version's chains from: the previous version's (digest(0)
    /// for version 1; the published base for a store rebuilt from object storage).
    public let previousDigest: [UInt8]
    /// RFC 6962 root over the segment records in commitment order.
    public let manifestRoot: [UInt8]
    /// The flushed sequence: every write up to it is in segments or in WALs older than `logNumber`.
    public let lastSequence: SequenceNumber
    /// WAL files numbered below this may be deleted.
    public let logNumber: UInt64
    /// The next unused file number.
    public let nextFileNumber: UInt64
    /// Leaf hashes parallel to `levels`, kept so the next version and proofs need not rehash records.
    let leafHashes: [[[UInt8]]]

    /// The version before any edit: no segments, digest(0), version number 0.
    static let empty = Version(
        levels: Array(repeating: [], count: maxLevels), leafHashes: Array(repeating: [], count: maxLevels),
        versionNumber: 0, previousDigest: nil, lastSequence: 0, logNumber: 0, nextFileNumber: 0)

    private init(
        levels: [[SegmentMetadata]], leafHashes: [[[UInt8]]], versionNumber: UInt64, previousDigest: [UInt8]?,
        lastSequence: SequenceNumber, logNumber: UInt64, nextFileNumber: UInt64
    ) {
        self.levels = levels
        self.leafHashes = leafHashes
        self.versionNumber = versionNumber
        self.lastSequence = lastSequence
        self.logNumber = logNumber
        self.nextFileNumber = nextFileNumber
        let root = ManifestCommitment.root(ofLeafHashes: leafHashes.flatMap { $0 })
        manifestRoot = root
        if let previousDigest {
            let header = ManifestCommitment.header(
                versionNumber: versionNumber, lastSequence: lastSequence,
                segmentCount: levels.reduce(0) { $0 + $1.count }, manifestRoot: root)
            self.previousDigest = previousDigest
            digest = ManifestCommitment.digest(previous: previousDigest, header: header)
        } else {
            self.previousDigest = ManifestCommitment.genesisDigest
            digest = ManifestCommitment.genesisDigest
        }
    }

    /// A version with no segments that stands for published version `versionNumber`
    /// with `digest`: the base a store rebuilt from object storage chains from.
    static func chainBase(versionNumber: UInt64, digest: [UInt8]) -> Version {
        let empty = Version.empty
        return Version(
            levels: empty.levels, leafHashes: empty.leafHashes, versionNumber: versionNumber, digest: digest,
            previousDigest: ManifestCommitment.genesisDigest)
    }

    private init(
        levels: [[SegmentMetadata]], leafHashes: [[[UInt8]]], versionNumber: UInt64, digest: [UInt8],
        previousDigest: [UInt8]
    ) {
        self.levels = levels
        self.leafHashes = leafHashes
        self.versionNumber = versionNumber
        self.digest = digest
        self.previousDigest = previousDigest
        lastSequence = 0
        logNumber = 0
        nextFileNumber = 0
        manifestRoot = ManifestCommitment.root(ofLeafHashes: [])
    }

    /// Every live segment in commitment order (level ascending, then each level's order).
    public var allSegments: [SegmentMetadata] { levels.flatMap { $0 } }
    /// The number of live segments.
    public var segmentCount: Int { levels.reduce(0) { $0 + $1.count } }
    /// The sum of the live segments' file sizes.
    public var totalBytes: UInt64 { levels.reduce(0) { $0 + $1.reduce(0) { $0 + $1.fileSize } } }
    /// The leaf hashes of `allSegments`, in the same order (the manifest tree's leaves).
    public var allLeafHashes: [[UInt8]] { leafHashes.flatMap { $0 } }
    /// The header this version's digest hashes.
    public var header: [UInt8] {
        ManifestCommitment.header(
            versionNumber: versionNumber, lastSequence: lastSequence, segmentCount: segmentCount,
            manifestRoot: manifestRoot)
    }

    public static func == (a: Version, b: Version) -> Bool {
        a.versionNumber == b.versionNumber && a.digest == b.digest && a.manifestRoot == b.manifestRoot
            && a.lastSequence == b.lastSequence && a.logNumber == b.logNumber
            && a.nextFileNumber == b.nextFileNumber && a.levels == b.levels
    }

    /// True when `a` comes before `b` in commitment order within one level: in L0 the
    /// newer segment (larger `largestSequence`) first, ties by id; in other levels the
    /// smaller `smallestKey` first, ties by id.
    public static func commitmentPrecedes(_ a: SegmentMetadata, _ b: SegmentMetadata, level: Int) -> Bool {
        if level == 0 {
            if a.largestSequence != b.largestSequence { return a.largestSequence > b.largestSequence }
            return a.id < b.id
        }
        if a.smallestKey != b.smallestKey { return a.smallestKey < b.smallestKey }
        return a.id < b.id
    }

    /// The version `edit` produces from this one, numbered `edit.versionNumber`.
    /// Removals apply first, so a segment may be moved between levels in one edit.
    /// Throws `.invalidArgument` when a removed segment is not live at that level, an
    /// added id is already live (or added twice), a segment is invalid
    /// (`ManifestCommitment.invalidity`), segments in a level ≥ 1 overlap, or
    /// `logNumber`, `lastSequence` or `nextFileNumber` would move backwards.
    /// Costs O(segments in touched levels × log) plus hashing the added records and
    /// the tree (one node hash per live segment).
    func applying(_ edit: VersionEdit) throws -> Version {
        let logNumber = edit.logNumber ?? self.logNumber
        let lastSequence = edit.lastSequence ?? self.lastSequence
        let nextFileNumber = edit.nextFileNumber ?? self.nextFileNumber
        guard logNumber >= self.logNumber else {
            throw LSMError.invalidArgument("log number \(logNumber) is below the current \(self.logNumber)")
        }
        guard lastSequence >= self.lastSequence else {
            throw LSMError.invalidArgument("last sequence \(lastSequence) is below the current \(self.lastSequence)")
        }
        guard nextFileNumber >= self.nextFileNumber else {
            throw LSMError.invalidArgument(
                "next file number \(nextFileNumber) is below the current \(self.nextFileNumber)")
        }
        var newLevels = levels
        var newHashes = leafHashes
        var touched = [Bool](repeating: false, count: Version.maxLevels)
        for r in edit.removed {
            guard r.level >= 0, r.level < Version.maxLevels,
                  let i = newLevels[r.level].firstIndex(where: { $0.id == r.id }) else {
                throw LSMError.invalidArgument("segment \(r.id) is not live at level \(r.level)")
            }
            newLevels[r.level].remove(at: i)
            newHashes[r.level].remove(at: i)
            touched[r.level] = true
        }
        var liveIDs = Set<SegmentID>()
        for level in newLevels { for s in level { liveIDs.insert(s.id) } }
        for segment in edit.added {
            if let reason = ManifestCommitment.invalidity(of: segment) { throw LSMError.invalidArgument(reason) }
            guard liveIDs.insert(segment.id).inserted else {
                throw LSMError.invalidArgument("segment \(segment.id) is already live")
            }
            newLevels[segment.level].append(segment)
            newHashes[segment.level].append(ManifestCommitment.leafHash(segment))
            touched[segment.level] = true
        }
        for level in 0..<Version.maxLevels where touched[level] {
            let order = newLevels[level].indices.sorted {
                Version.commitmentPrecedes(newLevels[level][$0], newLevels[level][$1], level: level)
            }
            newLevels[level] = order.map { newLevels[level][$0] }
            newHashes[level] = order.map { newHashes[level][$0] }
            if level > 0 {
                // User keys, not just internal keys, must be disjoint: a read at
                // level ≥ 1 consults one segment per key, so all of a key's
                // versions in a level must live in that one segment.
                for (a, b) in zip(newLevels[level], newLevels[level].dropFirst())
                where ByteOrder.compare(a.largestKey.userKey, b.smallestKey.userKey) >= 0 {
                    throw LSMError.invalidArgument("segments \(a.id) and \(b.id) overlap at level \(level)")
                }
            }
        }
        return Version(
            levels: newLevels, leafHashes: newHashes, versionNumber: edit.versionNumber, previousDigest: digest,
            lastSequence: lastSequence, logNumber: logNumber, nextFileNumber: nextFileNumber)
    }
}
