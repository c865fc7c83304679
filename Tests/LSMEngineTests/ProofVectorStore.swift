import ScribeVerifier
import Testing
@testable import LSMEngine

/// The small deterministic store the proof vectors are cut from.
///
/// Round 1 puts 24 fruit keys; round 2 overwrites every other one and deletes "date";
/// both flushes are compacted into level 1 (two segments of several 512-byte blocks);
/// round 3 overwrites "banana", "mango" and "raspberry" into one level-0 segment that
/// overlaps level 1. Every run produces the same bytes: compression is off (with LZ4 the
/// size of the properties block, which holds the creation time, could vary, and with it
/// the file size the manifest records), compaction is manual and the memtable never
/// fills on its own.
struct ProofVectorStore {
    static let keys = [
        "apple", "apricot", "banana", "blackberry", "cherry", "coconut", "date", "elderberry", "fig", "grape", "guava",
        "kiwi", "lemon", "lime", "mango", "nectarine", "orange", "papaya", "peach", "pear", "plum", "quince",
        "raspberry", "strawberry",
    ]
    /// Keys never written: candidates for absence proofs.
    static let absentKeys = [
        "aardvark", "blueberry", "cantaloupe", "damson", "feijoa", "gooseberry", "honeydew", "jackfruit", "kumquat",
        "lychee", "mulberry", "olive", "persimmon", "pomelo", "rambutan", "satsuma", "zucchini",
    ]

    let store: LSMStore
    /// The current manifest digest and that of the version before the last flush.
    let digest: [UInt8]
    let previousVersionDigest: [UInt8]

    static func value(_ key: String, round: Int) -> [UInt8] {
        let text = "\(key) round \(round) "
        return [UInt8](text + String(repeating: ".", count: max(0, 160 - text.utf8.count)))
    }

    /// The value of `key`'s newest version (every key but "date" ends on a put).
    static func newestValue(_ key: String) -> [UInt8] {
        let round = roundThree.contains(key) ? 3 : (keys.firstIndex(of: key).map { $0 % 2 == 1 } == true ? 2 : 1)
        return value(key, round: round)
    }

    /// The keys written again in round 3.
    static let roundThree = ["banana", "mango", "raspberry"]

    static func options() -> StoreOptions {
        var options = StoreOptions()
        options.blockSize = 512
        options.compression = .none
        options.automaticCompaction = false
        options.targetSegmentSize = 4096
        options.historyPolicy = .retainAll
        return options
    }

    init(directory: String) throws {
        store = try LSMStore.open(at: directory, options: Self.options())
        for key in Self.keys { try store.put([UInt8](key), Self.value(key, round: 1), options: .buffered) }
        try store.flush()
        for (i, key) in Self.keys.enumerated() where i % 2 == 1 {
            try store.put([UInt8](key), Self.value(key, round: 2), options: .buffered)
        }
        try store.delete([UInt8]("date"), options: .buffered)
        try store.flush()
        try store.compact()
        previousVersionDigest = store.versions.current.digest
        for key in Self.roundThree {
            try store.put([UInt8](key), Self.value(key, round: 3), options: .buffered)
        }
        try store.flush()
        digest = store.versions.current.digest
    }

    /// The store's newest-version proof of `key`, which must be a latest proof.
    func latest(_ key: String) throws -> LatestProof {
        guard case .latest(let proof) = try store.prove([UInt8](key)) else {
            throw LSMError.invalidArgument("no latest proof of \(key)")
        }
        return proof
    }

    /// The store's absence proof of `key`.
    func absence(_ key: String) throws -> AbsenceProof {
        guard case .absence(let proof) = try store.prove([UInt8](key)) else {
            throw LSMError.invalidArgument("no absence proof of \(key)")
        }
        return proof
    }

    /// The level-1 segments' records, in key order.
    var levelOne: [SegmentMetadata] { store.versions.current.allSegments.filter { $0.level == 1 } }
}
