import ScribeBytes

extension ProofJSON {
    /// Reads a proof from a parsed JSON value; throws `ProofDecodingError` naming the path.
    public static func decode(_ value: JSONValue) throws -> Proof {
        let top = try JSONObjectReader(value, path: "")
        let format = try top.string("format")
        guard format == Proof.format else {
            throw ProofDecodingError(path: "format", message: "unsupported format \"\(format)\"; expected \(Proof.format)")
        }
        let claimText = try top.string("claim")
        guard let claim = ProofClaim(rawValue: claimText) else {
            throw ProofDecodingError(path: "claim", message: "unknown claim \"\(claimText)\"")
        }
        switch claim {
        case .latest:
            try top.rejectUnknownKeys(allowed: inclusionKeys.union(["latest"]))
            let key = try top.bytes("key")
            let latest = try top.object("latest")
            try latest.rejectUnknownKeys(allowed: ["previous", "segments"])
            let (inclusion, manifest) = try inclusionParts(top, key: key)
            return .latest(LatestProof(
                key: key, inclusion: inclusion, previous: try latest.optionalObject("previous").map(leaf),
                segments: try latest.objects("segments").map(revealed), manifest: manifest))
        case .inclusion:
            try top.rejectUnknownKeys(allowed: inclusionKeys)
            let key = try top.bytes("key")
            let (inclusion, manifest) = try inclusionParts(top, key: key)
            return .inclusion(InclusionProof(key: key, inclusion: inclusion, manifest: manifest))
        case .absence:
            try top.rejectUnknownKeys(allowed: ["format", "claim", "key", "latest", "manifest"])
            let latest = try top.object("latest")
            try latest.rejectUnknownKeys(allowed: ["segments"])
            let manifest = try top.object("manifest")
            try manifest.rejectUnknownKeys(allowed: anchorKeys)
            return .absence(AbsenceProof(
                key: try top.bytes("key"), segments: try latest.objects("segments").map(revealed),
                manifest: try anchor(manifest)))
        case .pending:
            try top.rejectUnknownKeys(allowed: ["format", "claim", "key", "pending"])
            let pending = try top.object("pending")
            try pending.rejectUnknownKeys(allowed: ["sequence", "message"])
            return .pending(PendingNotice(
                key: try top.bytes("key"), sequence: try pending.integer("sequence"), message: try pending.string("message")))
        case .consistency:
            try top.rejectUnknownKeys(allowed: ["format", "claim", "consistency"])
            let c = try top.object("consistency")
            try c.rejectUnknownKeys(allowed: ["fromVersion", "fromDigest", "toVersion", "toDigest", "headers"])
            let headers = try c.array("headers").enumerated().map { i, element in
                try bytes(element, path: c.path(of: "headers") + "[\(i)]", length: ProofEncoding.headerSize)
            }
            return .consistency(ConsistencyProof(
                fromVersion: try c.integer("fromVersion"), fromDigest: try c.hash("fromDigest"),
                toVersion: try c.integer("toVersion"), toDigest: try c.hash("toDigest"), headers: headers))
        }
    }

    private static let inclusionKeys: Set<String> = [
        "format", "claim", "key", "entry", "segment", "block", "segmentPath", "manifest",
    ]
    private static let anchorKeys: Set<String> = ["version", "digest", "previousDigest", "lastSequence", "segmentCount"]

    private static func inclusionParts(_ top: JSONObjectReader, key: [UInt8]) throws -> (EntryInclusion, ManifestAnchor) {
        let entry = try top.object("entry")
        try entry.rejectUnknownKeys(allowed: ["sequence", "kind", "valueHash", "nextKey"])
        let manifest = try top.object("manifest")
        try manifest.rejectUnknownKeys(allowed: anchorKeys.union(["recordIndex", "recordPath", "record"]))
        let leaf = LeafProof(
            entry: try entryFields(entry, key: key),
            position: try position(top.object("block"), segmentPath: top.hashes("segmentPath")))
        let recordPosition = RecordPosition(index: try manifest.uint32("recordIndex"), path: try manifest.hashes("recordPath"))
        let segment = try top.object("segment")
        try segment.rejectUnknownKeys(allowed: ["id", "root", "blockCount"])
        let rest = try manifest.object("record")
        try rest.rejectUnknownKeys(allowed: recordRestKeys)
        return (EntryInclusion(leaf: leaf, segment: try record(segment, rest: rest), recordPosition: recordPosition),
                try anchor(manifest))
    }

    private static func entryFields(_ o: JSONObjectReader, key: [UInt8]) throws -> ProofEntry {
        let kindText = try o.string("kind")
        guard let kind = EntryKind(rawValue: kindText) else {
            throw ProofDecodingError(path: o.path(of: "kind"), message: "expected \"put\" or \"delete\"")
        }
        return ProofEntry(
            key: key, sequence: try o.integer("sequence"), kind: kind, valueHash: try o.hash("valueHash"),
            nextKey: try o.bytes("nextKey"))
    }

    private static func leaf(_ o: JSONObjectReader) throws -> LeafProof {
        try o.rejectUnknownKeys(allowed: ["key", "sequence", "kind", "valueHash", "nextKey", "block", "segmentPath"])
        return LeafProof(
            entry: try entryFields(o, key: o.bytes("key")),
            position: try position(o.object("block"), segmentPath: o.hashes("segmentPath")))
    }

    private static func position(_ o: JSONObjectReader, segmentPath: [[UInt8]]) throws -> EntryPosition {
        try o.rejectUnknownKeys(allowed: ["index", "entryCount", "entryIndex", "path"])
        return EntryPosition(
            blockIndex: try o.uint32("index"), entryCount: try o.uint32("entryCount"),
            entryIndex: try o.uint32("entryIndex"), blockPath: try o.hashes("path"), segmentPath: segmentPath)
    }

    private static let recordRestKeys: Set<String> = [
        "level", "smallestKey", "largestKey", "smallestSequence", "largestSequence", "entryCount", "fileSize",
    ]

    /// A record whose id, root and blockCount are in `o` and other fields in `rest`.
    private static func record(_ o: JSONObjectReader, rest: JSONObjectReader) throws -> SegmentRecord {
        let level = try rest.integer("level")
        guard level <= UInt64(UInt8.max) else { throw ProofDecodingError(path: rest.path(of: "level"), message: "above 255") }
        return SegmentRecord(
            id: try o.string("id"), level: UInt8(level), root: try o.hash("root"), blockCount: try o.uint32("blockCount"),
            smallestKey: try rest.bytes("smallestKey"), largestKey: try rest.bytes("largestKey"),
            smallestSequence: try rest.integer("smallestSequence"), largestSequence: try rest.integer("largestSequence"),
            entryCount: try rest.integer("entryCount"), fileSize: try rest.integer("fileSize"))
    }

    private static func revealed(_ o: JSONObjectReader) throws -> RevealedSegment {
        try o.rejectUnknownKeys(allowed: ["index", "path", "segment", "probe"])
        var probe: SegmentProbe?
        if let p = try o.optionalObject("probe") {
            try p.rejectUnknownKeys(allowed: ["before", "first"])
            probe = SegmentProbe(before: try p.optionalObject("before").map(leaf), first: try p.optionalObject("first").map(leaf))
        }
        let segment = try o.object("segment")
        try segment.rejectUnknownKeys(allowed: recordRestKeys.union(["id", "root", "blockCount"]))
        return RevealedSegment(
            record: try record(segment, rest: segment),
            position: RecordPosition(index: try o.uint32("index"), path: try o.hashes("path")), probe: probe)
    }

    private static func anchor(_ o: JSONObjectReader) throws -> ManifestAnchor {
        ManifestAnchor(
            version: try o.integer("version"), lastSequence: try o.integer("lastSequence"),
            segmentCount: try o.uint32("segmentCount"), previousDigest: try o.hash("previousDigest"),
            digest: try o.hash("digest"))
    }

    static func bytes(_ value: JSONValue, path: String, length: Int?) throws -> [UInt8] {
        guard case .string(let text) = value else { throw ProofDecodingError(path: path, message: "expected a hex string") }
        guard let bytes = Hex.decode(text) else {
            throw ProofDecodingError(path: path, message: "expected lowercase hex of even length")
        }
        if let length, bytes.count != length {
            throw ProofDecodingError(path: path, message: "expected \(length) bytes, found \(bytes.count)")
        }
        return bytes
    }
}

extension JSONObjectReader {
    /// The hex string member `key` as bytes.
    func bytes(_ key: String) throws -> [UInt8] {
        try ProofJSON.bytes(value(key), path: path(of: key), length: nil)
    }

    /// The hex string member `key`, which must be 32 bytes.
    func hash(_ key: String) throws -> [UInt8] {
        try ProofJSON.bytes(value(key), path: path(of: key), length: 32)
    }

    /// The array member `key` of 32-byte hex hashes.
    func hashes(_ key: String) throws -> [[UInt8]] {
        try array(key).enumerated().map { i, element in
            try ProofJSON.bytes(element, path: path(of: key) + "[\(i)]", length: 32)
        }
    }

    /// The integer member `key`, which must fit in 32 bits.
    func uint32(_ key: String) throws -> UInt32 {
        let value = try integer(key)
        guard value <= UInt64(UInt32.max) else {
            throw ProofDecodingError(path: path(of: key), message: "above \(UInt32.max)")
        }
        return UInt32(value)
    }
}
