/// What recovery found when the store was opened, and what it did about it.
/// Nothing recovery drops is deleted: damaged or unlisted files go to `lost/`.
public struct RecoveryReport: Sendable, Equatable {
    /// WAL files replayed into the memtable.
    public var walFilesReplayed = 0
    /// Write batches replayed from them.
    public var batchesReplayed = 0
    /// Whether a WAL ended in an incomplete final write (discarded: it was never acknowledged).
    public var walTornTail = false
    /// Bytes of those incomplete final WAL writes.
    public var walTornBytes: UInt64 = 0
    /// Bytes of an incomplete final MANIFEST record (an edit never acknowledged), cut
    /// off; a copy is kept in `lost/`.
    public var manifestTornBytes: UInt64 = 0
    /// Damage dropped because the store was opened with `.skipCorruption`, one line
    /// each naming the file, the offset, the bytes dropped and why; empty in strict
    /// mode, which refuses to open instead.
    public var skippedCorruption: [String] = []
    /// Files moved to `lost/` (or, opened read-only, that would be), one line each
    /// with the reason.
    public var quarantined: [String] = []

    public init() {}

    /// Every finding as one line, for a log or a health report; empty when recovery
    /// met nothing but clean files.
    public var findings: [String] {
        var lines: [String] = []
        if walTornTail { lines.append("a WAL ended in an incomplete final write of \(walTornBytes) bytes (never acknowledged), dropped") }
        if manifestTornBytes > 0 {
            lines.append("the MANIFEST ended in an incomplete record of \(manifestTornBytes) bytes (never acknowledged), cut off")
        }
        lines += skippedCorruption.map { "skipped corruption: \($0)" }
        lines += quarantined.map { "quarantined: \($0)" }
        return lines
    }

    /// True when recovery dropped damaged data or moved files aside: an operator
    /// should look (torn tails alone are the normal remains of a crash).
    public var foundDamage: Bool { !skippedCorruption.isEmpty || !quarantined.isEmpty }
}
