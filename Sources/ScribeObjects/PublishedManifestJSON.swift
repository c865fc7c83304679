import LSMEngine
import ScribeVerifier
import ScribeBytes
import ScribeCrypto

/// The JSON form of a `PublishedManifest` (docs/formats.md, "Published manifest"):
/// hashes in lowercase hex, each segment as its manifest record in hex (the exact
/// bytes the manifest root commits) with its id, level and size repeated for people.
public enum PublishedManifestJSON {
    public static let format = "scribe-published-manifest-v1"
    /// Published manifests larger than this are refused.
    public static let maxBytes = 64 << 20

    public static func encode(_ manifest: PublishedManifest) -> [UInt8] {
        let segments = manifest.segments.map { segment -> JSONValue in
            .object([
                ("id", .string(segment.id.rawValue)), ("level", .integer(UInt64(segment.level))),
                ("fileSize", .integer(segment.fileSize)),
                ("record", .string(Hex.encode(ManifestCommitment.record(segment)))),
            ])
        }
        let retired = manifest.retired.map { r -> JSONValue in
            .object([("id", .string(r.id.rawValue)), ("fileSize", .integer(r.fileSize)), ("retiredAt", .integer(r.retiredAt))])
        }
        let document = JSONValue.object([
            ("format", .string(format)), ("version", .integer(manifest.version)),
            ("digest", .string(Hex.encode(manifest.digest))),
            ("previousDigest", .string(Hex.encode(manifest.previousDigest))),
            ("lastSequence", .integer(manifest.lastSequence)), ("epoch", .integer(manifest.epoch)),
            ("nodeID", .string(manifest.nodeID)), ("publishedAt", .integer(manifest.publishedAt)),
            ("segments", .array(segments)), ("retired", .array(retired)),
        ])
        return Array(JSONWriter.write(document, pretty: true).utf8)
    }

    /// Decodes untrusted bytes: every field present, no unknown field, hex of the
    /// right length, every record decoding and agreeing with its repeated fields,
    /// records in commitment order, and the digest recomputing to the one stated.
    public static func decode(_ bytes: [UInt8], origin: String) throws -> PublishedManifest {
        func fail(_ reason: String) -> ObjectFormatError { ObjectFormatError(origin: origin, offset: 0, reason: reason) }
        let root: JSONObjectReader
        do {
            root = try JSONObjectReader(try JSONParser.parse(bytes, maxDepth: 8, maxBytes: maxBytes), path: "")
            try root.rejectUnknownKeys(allowed: [
                "format", "version", "digest", "previousDigest", "lastSequence", "epoch", "nodeID", "publishedAt",
                "segments", "retired",
            ])
        } catch {
            throw fail("\(error)")
        }
        do {
            guard try root.string("format") == format else { throw fail("format is not \(format)") }
            let version = try root.integer("version")
            guard version >= 1 else { throw fail("version 0") }
            var segments: [SegmentMetadata] = []
            for entry in try root.objects("segments") {
                try entry.rejectUnknownKeys(allowed: ["id", "level", "fileSize", "record"])
                guard let record = Hex.decode(try entry.string("record")) else { throw fail("\(entry.path): bad record hex") }
                let segment = try ManifestCommitment.decodeRecord(record, origin: origin)
                guard try entry.string("id") == segment.id.rawValue, try entry.integer("level") == UInt64(segment.level),
                    try entry.integer("fileSize") == segment.fileSize
                else { throw fail("\(entry.path): id, level or fileSize differ from the record") }
                segments.append(segment)
            }
            var retired: [RetiredSegment] = []
            for entry in try root.objects("retired") {
                try entry.rejectUnknownKeys(allowed: ["id", "fileSize", "retiredAt"])
                guard let id = SegmentID(rawValue: try entry.string("id")) else { throw fail("\(entry.path): bad id") }
                retired.append(RetiredSegment(id: id, fileSize: try entry.integer("fileSize"), retiredAt: try entry.integer("retiredAt")))
            }
            let manifest = PublishedManifest(
                version: version, digest: try hash(root, "digest", fail), previousDigest: try hash(root, "previousDigest", fail),
                lastSequence: try root.integer("lastSequence"), segments: segments, retired: retired,
                epoch: try root.integer("epoch"), nodeID: try root.string("nodeID"), publishedAt: try root.integer("publishedAt"))
            guard try manifest.recomputedDigest() == manifest.digest else {
                throw fail("digest does not match the records, version and flushed sequence")
            }
            return manifest
        } catch let error as ObjectFormatError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }

    private static func hash(
        _ root: JSONObjectReader, _ key: String, _ fail: (String) -> ObjectFormatError
    ) throws -> [UInt8] {
        guard let bytes = Hex.decode(try root.string(key)), bytes.count == SHA256.digestSize else {
            throw fail("\(key) is not 64 lowercase hex digits")
        }
        return bytes
    }
}
