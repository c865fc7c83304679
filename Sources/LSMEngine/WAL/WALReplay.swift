/// Replays the WAL files recovery finds, in order, into one memtable, and keeps
/// what the rest of recovery needs to know about them: the sequences they held,
/// where the newest one ends, and which had damage skipped.
struct WALReplay {
    /// The manifest's last sequence: entries at or below it are in segments already.
    let flushed: SequenceNumber
    /// The newest sequence the store holds (the manifest's, or the newest replayed).
    private(set) var lastSequence: SequenceNumber
    /// The oldest sequence replayed into the memtable; nil when none was.
    private(set) var firstReplayed: SequenceNumber?
    /// The offset just past the last complete record of the last file replayed.
    private(set) var lastLogEnd: UInt64 = 0
    /// WAL files whose damage `.skipCorruption` skipped.
    private(set) var damagedLogs: [UInt64] = []

    init(flushed: SequenceNumber) {
        self.flushed = flushed
        lastSequence = flushed
    }

    /// Replays WAL `number` of the store in `directory` (read through `fileSystem`)
    /// into `memtable`, skipping entries already in segments, and adds what it found
    /// to `report`.
    mutating func apply(
        _ number: UInt64, in directory: String, fileSystem: any FileSystem, into memtable: Memtable, mode: RecoveryMode,
        report: inout RecoveryReport
    ) throws {
        let file = directory + "/" + StoreFiles.walName(number)
        var reader = try WALReader(path: file, mode: mode, fileSystem: fileSystem)
        let flushed = self.flushed
        var first = firstReplayed
        var last = lastSequence
        while let record = try reader.next() {
            try record.payload.withUnsafeBytes { raw in
                try WriteBatch.forEach(encoded: record.payload, file: file, offset: record.offset) { sequence, op in
                    guard sequence > flushed else { return }
                    memtable.add(
                        sequence: sequence, kind: op.kind,
                        key: UnsafeRawBufferPointer(rebasing: raw[op.key]),
                        value: UnsafeRawBufferPointer(rebasing: raw[op.value]))
                    first = min(first ?? sequence, sequence)
                    last = max(last, sequence)
                }
            }
            report.batchesReplayed += 1
        }
        firstReplayed = first
        lastSequence = last
        lastLogEnd = reader.validEnd
        report.walFilesReplayed += 1
        report.walTornTail = report.walTornTail || reader.tornTail
        report.walTornBytes += reader.tornBytes
        if !reader.skipped.isEmpty {
            damagedLogs.append(number)
            report.skippedCorruption += reader.skipped.map { $0.description }
        }
    }

    /// True when the store holds every write of a segment spanning `sequences`: all
    /// at or below the manifest's last sequence, or all within what was replayed.
    func holds(_ sequences: ClosedRange<SequenceNumber>) -> Bool {
        if sequences.upperBound <= flushed { return true }
        guard let firstReplayed else { return false }
        return sequences.lowerBound >= firstReplayed && sequences.upperBound <= lastSequence
    }
}
