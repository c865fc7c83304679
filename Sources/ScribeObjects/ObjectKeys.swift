public import LSMEngine

/// Where the durable tier's objects live, relative to the object store's root
/// (docs/formats.md, "Object storage layout"). Numbers are zero-padded to 20
/// digits so key order is numeric order.
public enum ObjectKeys {
    public static let segmentsPrefix = "segments/"
    public static let walPrefix = "wal/"
    public static let manifestPrefix = "manifest/"

    /// `segments/<segment-id>.sst`
    public static func segment(_ id: SegmentID) -> String { segmentsPrefix + id.fileName }

    /// `wal/<epoch>/<first-sequence>-<last-sequence>.wal`
    public static func walObject(epoch: UInt64, first: UInt64, last: UInt64) -> String {
        walPrefix + padded(epoch) + "/" + padded(first) + "-" + padded(last) + ".wal"
    }

    /// `manifest/<version>.json`
    public static func manifest(version: UInt64) -> String { manifestPrefix + padded(version) + ".json" }

    /// The segment id of a `segments/` key, or nil for any other key.
    public static func segmentID(fromKey key: String) -> SegmentID? {
        guard key.hasPrefix(segmentsPrefix), key.hasSuffix(".sst") else { return nil }
        return SegmentID(rawValue: String(key.dropFirst(segmentsPrefix.count).dropLast(4)))
    }

    /// Epoch and sequence range of a `wal/` key, or nil for a key not in that form.
    public static func walRange(fromKey key: String) -> (epoch: UInt64, first: UInt64, last: UInt64)? {
        guard key.hasPrefix(walPrefix), key.hasSuffix(".wal") else { return nil }
        let body = key.dropFirst(walPrefix.count).dropLast(4)
        let parts = body.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let range = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        guard range.count == 2, let epoch = number(parts[0]), let first = number(range[0]),
            let last = number(range[1]), first <= last
        else { return nil }
        return (epoch, first, last)
    }

    /// The version of a `manifest/` key, or nil for a key not in that form.
    public static func manifestVersion(fromKey key: String) -> UInt64? {
        guard key.hasPrefix(manifestPrefix), key.hasSuffix(".json") else { return nil }
        return number(key.dropFirst(manifestPrefix.count).dropLast(5))
    }

    static func padded(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: 20 - digits.count) + digits
    }

    private static func number(_ text: Substring) -> UInt64? {
        guard text.utf8.count == 20, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return UInt64(text)
    }
}
