/// The proof format `scribe-proof-v1` as Swift values. `docs/proofs.md` defines every
/// field; `ProofJSON` reads and writes the JSON form; `ProofVerifier` checks a proof
/// with nothing but SHA-256.
public enum Proof: Sendable, Equatable {
    /// `entry` is the newest version of `key` in the manifest version.
    case latest(LatestProof)
    /// `entry` is one version of `key` (not necessarily the newest) in the manifest version.
    case inclusion(InclusionProof)
    /// The manifest version holds no version of `key`.
    case absence(AbsenceProof)
    /// The key's newest version is not in a segment yet: no proof can exist until a flush.
    case pending(PendingNotice)
    /// Manifest version `to` extends version `from`.
    case consistency(ConsistencyProof)

    /// The `"format"` value of every proof this module reads or writes.
    public static let format = "scribe-proof-v1"
}

/// What kind of statement a proof makes (the JSON `"claim"`).
public enum ProofClaim: String, Sendable, CaseIterable {
    case latest, inclusion, absence, pending, consistency
}

/// An entry's kind, as committed in its leaf's trailer byte (put 1, delete 0).
public enum EntryKind: String, Sendable, Equatable {
    case put, delete

    /// The low byte of the leaf's `fixed64(sequence << 8 | kind)`.
    public var byte: UInt8 { self == .put ? 1 : 0 }
}

/// The fields of one segment entry's Merkle leaf.
public struct ProofEntry: Sendable, Equatable {
    public var key: [UInt8]
    public var sequence: UInt64
    public var kind: EntryKind
    /// SHA-256 of the value (of the empty value for a delete).
    public var valueHash: [UInt8]
    /// The user key of the next entry in the segment; empty for the last entry.
    public var nextKey: [UInt8]

    public init(key: [UInt8], sequence: UInt64, kind: EntryKind, valueHash: [UInt8], nextKey: [UInt8]) {
        self.key = key
        self.sequence = sequence
        self.kind = kind
        self.valueHash = valueHash
        self.nextKey = nextKey
    }
}

/// Where an entry sits in its segment, with the audit paths that place it there.
public struct EntryPosition: Sendable, Equatable {
    /// The data block's index among the segment's `blockCount` blocks.
    public var blockIndex: UInt32
    /// The number of entries in that block.
    public var entryCount: UInt32
    /// The entry's index within the block.
    public var entryIndex: UInt32
    /// RFC 6962 audit path of the entry's leaf among the block's leaves.
    public var blockPath: [[UInt8]]
    /// RFC 6962 audit path of the block's leaf among the segment's block leaves.
    public var segmentPath: [[UInt8]]

    public init(blockIndex: UInt32, entryCount: UInt32, entryIndex: UInt32, blockPath: [[UInt8]], segmentPath: [[UInt8]]) {
        self.blockIndex = blockIndex
        self.entryCount = entryCount
        self.entryIndex = entryIndex
        self.blockPath = blockPath
        self.segmentPath = segmentPath
    }
}

/// One entry of a segment with its position: checkable against the segment's root.
public struct LeafProof: Sendable, Equatable {
    public var entry: ProofEntry
    public var position: EntryPosition

    public init(entry: ProofEntry, position: EntryPosition) {
        self.entry = entry
        self.position = position
    }
}

/// A segment's record in the manifest tree (docs/formats.md, "Segment record").
public struct SegmentRecord: Sendable, Equatable {
    public var id: String
    public var level: UInt8
    /// The segment's Merkle root.
    public var root: [UInt8]
    /// Data blocks in the segment: the size of its tree of block leaves.
    public var blockCount: UInt32
    /// Encoded internal keys: `userKey ‖ fixed64(sequence << 8 | kind)`.
    public var smallestKey: [UInt8]
    public var largestKey: [UInt8]
    public var smallestSequence: UInt64
    public var largestSequence: UInt64
    public var entryCount: UInt64
    public var fileSize: UInt64

    public init(
        id: String, level: UInt8, root: [UInt8], blockCount: UInt32, smallestKey: [UInt8], largestKey: [UInt8],
        smallestSequence: UInt64, largestSequence: UInt64, entryCount: UInt64, fileSize: UInt64
    ) {
        self.id = id
        self.level = level
        self.root = root
        self.blockCount = blockCount
        self.smallestKey = smallestKey
        self.largestKey = largestKey
        self.smallestSequence = smallestSequence
        self.largestSequence = largestSequence
        self.entryCount = entryCount
        self.fileSize = fileSize
    }
}

/// A record shown with its place in the manifest tree.
public struct RecordPosition: Sendable, Equatable {
    /// The record's index among the version's `segmentCount` records, in commitment order.
    public var index: UInt32
    /// RFC 6962 audit path of the record's leaf in the manifest tree.
    public var path: [[UInt8]]

    public init(index: UInt32, path: [[UInt8]]) {
        self.index = index
        self.path = path
    }
}

/// The newest version of the proof's key in one segment, or that it has none.
///
/// `before` is the last entry whose user key is below the key; `first` the first entry
/// whose user key equals it. Absent from the segment: `before` alone, with
/// `before.nextKey` above the key. Present: `first`, directly after `before` (or the
/// segment's first entry when `before` is nil).
public struct SegmentProbe: Sendable, Equatable {
    public var before: LeafProof?
    public var first: LeafProof?

    public init(before: LeafProof?, first: LeafProof?) {
        self.before = before
        self.first = first
    }
}

/// A segment record revealed by a latest or absence proof, with the probe it needs:
/// one when the segment's key range covers the key and its sequences reach above the
/// proven version, none otherwise.
public struct RevealedSegment: Sendable, Equatable {
    public var record: SegmentRecord
    public var position: RecordPosition
    public var probe: SegmentProbe?

    public init(record: SegmentRecord, position: RecordPosition, probe: SegmentProbe?) {
        self.record = record
        self.position = position
        self.probe = probe
    }
}

/// The manifest version a proof is anchored to: its header fields and the digest chain link.
public struct ManifestAnchor: Sendable, Equatable {
    public var version: UInt64
    /// Every write with a sequence up to this one is in the version's segments.
    public var lastSequence: UInt64
    public var segmentCount: UInt32
    public var previousDigest: [UInt8]
    /// `SHA-256(previousDigest ‖ header)`: the 32 bytes a contract stores.
    public var digest: [UInt8]

    public init(version: UInt64, lastSequence: UInt64, segmentCount: UInt32, previousDigest: [UInt8], digest: [UInt8]) {
        self.version = version
        self.lastSequence = lastSequence
        self.segmentCount = segmentCount
        self.previousDigest = previousDigest
        self.digest = digest
    }
}

/// An entry, its segment's record and where both sit.
public struct EntryInclusion: Sendable, Equatable {
    public var leaf: LeafProof
    public var segment: SegmentRecord
    public var recordPosition: RecordPosition

    public init(leaf: LeafProof, segment: SegmentRecord, recordPosition: RecordPosition) {
        self.leaf = leaf
        self.segment = segment
        self.recordPosition = recordPosition
    }
}

/// `inclusion.leaf` is `key`'s newest version: `previous` is the entry before it in its
/// segment (nil when it is the segment's first), and `segments` reveals every other
/// record needed to show no segment holds a newer version.
public struct LatestProof: Sendable, Equatable {
    public var key: [UInt8]
    public var inclusion: EntryInclusion
    public var previous: LeafProof?
    public var segments: [RevealedSegment]
    public var manifest: ManifestAnchor

    public init(
        key: [UInt8], inclusion: EntryInclusion, previous: LeafProof?, segments: [RevealedSegment],
        manifest: ManifestAnchor
    ) {
        self.key = key
        self.inclusion = inclusion
        self.previous = previous
        self.segments = segments
        self.manifest = manifest
    }
}

/// `inclusion.leaf` is a version of `key` in the manifest version.
public struct InclusionProof: Sendable, Equatable {
    public var key: [UInt8]
    public var inclusion: EntryInclusion
    public var manifest: ManifestAnchor

    public init(key: [UInt8], inclusion: EntryInclusion, manifest: ManifestAnchor) {
        self.key = key
        self.inclusion = inclusion
        self.manifest = manifest
    }
}

/// No segment of the manifest version holds `key`: `segments` reveals every record
/// needed to show it.
public struct AbsenceProof: Sendable, Equatable {
    public var key: [UInt8]
    public var segments: [RevealedSegment]
    public var manifest: ManifestAnchor

    public init(key: [UInt8], segments: [RevealedSegment], manifest: ManifestAnchor) {
        self.key = key
        self.segments = segments
        self.manifest = manifest
    }
}

/// The answer for a key whose newest version is still only in the memtable.
public struct PendingNotice: Sendable, Equatable {
    public var key: [UInt8]
    /// The sequence of the newest, not yet flushed, version.
    public var sequence: UInt64
    public var message: String

    public init(key: [UInt8], sequence: UInt64, message: String) {
        self.key = key
        self.sequence = sequence
        self.message = message
    }
}

/// Version `toVersion` extends `fromVersion`: the headers of every version after
/// `fromVersion` up to `toVersion`, which chain `fromDigest` to `toDigest`.
public struct ConsistencyProof: Sendable, Equatable {
    public var fromVersion: UInt64
    public var fromDigest: [UInt8]
    public var toVersion: UInt64
    public var toDigest: [UInt8]
    /// 52-byte headers of versions fromVersion+1 ... toVersion, in order.
    public var headers: [[UInt8]]

    public init(fromVersion: UInt64, fromDigest: [UInt8], toVersion: UInt64, toDigest: [UInt8], headers: [[UInt8]]) {
        self.fromVersion = fromVersion
        self.fromDigest = fromDigest
        self.toVersion = toVersion
        self.toDigest = toDigest
        self.headers = headers
    }
}
