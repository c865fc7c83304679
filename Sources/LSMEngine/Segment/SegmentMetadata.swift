import ScribeBytes

/// A segment's name, derived from its content: `L<level>-<smallest seq>-<largest seq>-<first 16 bytes of the root, hex>`.
/// The file is `<id>.sst`; anyone holding the file can check the name against its root.
public struct SegmentID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts only names of 1 to 128 characters from `[A-Za-z0-9._-]`, so an id
    /// read from untrusted bytes can never escape the data directory.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= 128, rawValue.utf8.allSatisfy(SegmentID.allowed) else {
            return nil
        }
        self.rawValue = rawValue
    }

    /// The id a segment with these properties gets.
    public init(level: Int, smallestSequence: SequenceNumber, largestSequence: SequenceNumber, root: [UInt8]) {
        rawValue = "L\(level)-\(smallestSequence)-\(largestSequence)-\(Hex.encode(root.prefix(16)))"
    }

    private static func allowed(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    public var fileName: String { rawValue + ".sst" }
    public var description: String { rawValue }
    public static func < (a: SegmentID, b: SegmentID) -> Bool { a.rawValue < b.rawValue }
}

/// What the manifest records about one live segment.
public struct SegmentMetadata: Sendable, Equatable, CustomStringConvertible {
    public let id: SegmentID
    /// The LSM level the segment lives in (0 = freshly flushed, may overlap).
    public let level: Int
    /// The segment's Merkle root (32 bytes).
    public let root: [UInt8]
    public let smallestKey: InternalKey
    public let largestKey: InternalKey
    public let smallestSequence: SequenceNumber
    public let largestSequence: SequenceNumber
    public let entryCount: UInt64
    public let fileSize: UInt64
    /// Data blocks in the segment: the size of its Merkle tree of blocks.
    public let blockCount: UInt32

    public init(
        id: SegmentID, level: Int, root: [UInt8], smallestKey: InternalKey, largestKey: InternalKey,
        smallestSequence: SequenceNumber, largestSequence: SequenceNumber, entryCount: UInt64, fileSize: UInt64,
        blockCount: UInt32
    ) {
        self.id = id
        self.level = level
        self.root = root
        self.smallestKey = smallestKey
        self.largestKey = largestKey
        self.smallestSequence = smallestSequence
        self.largestSequence = largestSequence
        self.entryCount = entryCount
        self.fileSize = fileSize
        self.blockCount = blockCount
    }

    public var description: String {
        "\(id) L\(level) entries=\(entryCount) blocks=\(blockCount) bytes=\(fileSize) seq=\(smallestSequence)...\(largestSequence)"
    }
}
