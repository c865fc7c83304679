import ArgumentParser
import LSMEngine
import ScribeBytes

struct FlushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "flush", abstract: "Write the memtable to a segment.")
    @OptionGroup var store: StoreArguments

    func run() throws {
        let db = try store.open()
        defer { try? db.close() }
        try db.flush()
        let stats = db.stats()
        Output.line("flushed: \(stats.segmentCount) segments, manifest version \(stats.manifestVersion)")
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every segment's checksums and Merkle root and the manifest digest chain.")
    @OptionGroup var store: StoreArguments

    func run() throws {
        let db = try store.open(readOnly: true)
        defer { try? db.close() }
        let report = try db.verifyIntegrity()
        for segment in report.segments {
            Output.line("ok segment \(segment.id) entries=\(segment.entryCount) root=\(Hex.encode(segment.root))")
        }
        Output.line("ok manifest: \(report.manifestVersions) versions, digest chain intact, head \(report.manifestVersion) digest \(Hex.encode(report.manifestDigest))")
        let recovery = db.recoveryReport
        let problems = report.problems + recovery.skippedCorruption + recovery.quarantined
        if !problems.isEmpty {
            for problem in problems { Output.error("CORRUPT: \(problem)") }
            throw CommandFailure("check failed: \(problems.count) problem(s)")
        }
        Output.line("check passed: \(report.segments.count) segments, \(report.entries) entries")
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Print store statistics.")
    @OptionGroup var store: StoreArguments

    func run() throws {
        let db = try store.open(readOnly: true)
        defer { try? db.close() }
        let s = db.stats()
        Output.line("last_sequence\t\(s.lastSequence)")
        Output.line("memtable_bytes\t\(s.memtableBytes)")
        Output.line("memtable_entries\t\(s.memtableEntries)")
        Output.line("immutable_memtables\t\(s.immutableMemtables)")
        for level in s.levels where level.segments > 0 {
            Output.line("level\(level.level)\tsegments=\(level.segments) bytes=\(level.bytes) entries=\(level.entries)")
        }
        Output.line("segments\t\(s.segmentCount)")
        Output.line("segment_bytes\t\(s.segmentBytes)")
        Output.line("manifest_version\t\(s.manifestVersion)")
        Output.line("manifest_digest\t\(Hex.encode(s.manifestDigest))")
        Output.line("manifest_root\t\(Hex.encode(s.manifestRoot))")
        let r = db.recoveryReport
        Output.line(
            "recovery\twal_files=\(r.walFilesReplayed) batches=\(r.batchesReplayed) torn_tail=\(r.walTornTail) "
                + "wal_torn_bytes=\(r.walTornBytes) manifest_torn_bytes=\(r.manifestTornBytes) "
                + "skipped=\(r.skippedCorruption.count) quarantined=\(r.quarantined.count)")
        for finding in r.findings { Output.line("recovery_finding\t\(finding)") }
    }
}

struct DumpSegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump-segment", abstract: "Print a segment file's footer, properties, index and entries.")
    @Argument(help: "Path of a .sst segment file.") var file: String

    func run() throws {
        do {
            try SegmentDump.dump(path: file) { Output.line($0) }
        } catch let error as LSMError {
            throw CommandFailure("\(file): \(error)")
        }
    }
}
