import ScribeBytes

/// The result of `LSMStore.verifyIntegrity()`.
public struct IntegrityReport: Sendable {
    /// Segments that passed every check.
    public var segments: [SegmentMetadata] = []
    /// Entries in those segments.
    public var entries: UInt64 = 0
    /// Manifest versions whose chained digests were recomputed and matched on open.
    public var manifestVersions = 0
    /// The current manifest version and digest.
    public var manifestVersion: UInt64 = 0
    public var manifestDigest: [UInt8] = []
    /// One line per failed check; empty when the store is intact.
    public var problems: [String] = []

    public var isIntact: Bool { problems.isEmpty }
}

extension LSMStore {
    /// Re-reads every live segment (from object storage for those not local):
    /// every block checksum, strictly increasing
    /// internal-key order, every block root and the segment root, the id in the
    /// file name, and agreement with the manifest's record. The manifest's digest
    /// chain was recomputed and checked when the store was opened (a broken chain
    /// fails `open` with `.corruption`). Problems are collected, not thrown, so one
    /// report lists all of them.
    public func verifyIntegrity() throws -> IntegrityReport {
        let view = try readView()
        var report = IntegrityReport()
        report.manifestVersions = versions.history.count
        report.manifestVersion = view.version.versionNumber
        report.manifestDigest = view.version.digest
        for segment in view.version.allSegments {
            do {
                let path = segmentPath(segment.id)
                let remote = options.fileSystem.fileExists(path) ? nil : try options.remoteSegments?.open(segment)
                let found = try SegmentVerifier.verify(path: path, fileSystem: options.fileSystem, source: remote)
                if let mismatch = Self.mismatch(recorded: segment, found: found) {
                    report.problems.append("\(segment.id): manifest records \(mismatch)")
                } else {
                    report.segments.append(found)
                    report.entries += found.entryCount
                }
            } catch {
                report.problems.append("\(segment.id): \(error)")
            }
        }
        return report
    }

    private static func mismatch(recorded: SegmentMetadata, found: SegmentMetadata) -> String? {
        if recorded.root != found.root { return "root \(Hex.encode(recorded.root)) but the file's is \(Hex.encode(found.root))" }
        if recorded.entryCount != found.entryCount { return "\(recorded.entryCount) entries but the file has \(found.entryCount)" }
        if recorded.fileSize != found.fileSize { return "\(recorded.fileSize) bytes but the file has \(found.fileSize)" }
        if recorded.smallestKey != found.smallestKey || recorded.largestKey != found.largestKey {
            return "a different key range than the file"
        }
        if recorded.smallestSequence != found.smallestSequence || recorded.largestSequence != found.largestSequence {
            return "a different sequence range than the file"
        }
        return nil
    }
}
