import ScribeBytes

public import LSMEngine
public import ScribeDistributed
public import ScribeVerifier

/// The JSON document of `GET /metrics`: a human-sized summary of the node.
///
/// ```
/// {"node": "...",
///  "keys": {"entries": n, "memtable_entries": n, "segment_entries": n, "note": "..."},
///  "requests": {"total": n, "put": n, "get": n, ...},
///  "storage": {"bytes", "segments", "memtable_bytes", "memtable_entries", "immutable_memtables",
///              "last_sequence", "pending_compaction_bytes", "segments_awaiting_deletion",
///              "levels": [{"level", "segments", "bytes", "entries"}],
///              "writes": "available" | "out_of_space" | "failed" | "read_only" | "closed",
///              "writes_reason": "..." (when writes cannot succeed)},
///  "recovery": {"wal_files_replayed", "batches_replayed", "wal_torn_bytes", "manifest_torn_bytes",
///               "skipped_corruption", "quarantined", "findings": ["..."]},
///  "compaction": {"flushes", "compactions", "trivial_moves", "bytes_read", "bytes_written",
///                 "entries_dropped", "write_stalls", "write_slowdowns"},
///  "wal": {"groups", "batches", "syncs"},
///  "cache": {"block": {"hits", "misses", "entries", "bytes", "capacity"}, "table": {...}},
///  "manifest": {"version", "digest", "root"},
///  "tier": {...}}   (only with an object store: `TierReport`)
/// ```
///
/// The engine keeps no exact count of distinct live keys (it would cost a read on every
/// write), so `keys.entries` is the number of stored entries: every version and tombstone in
/// the segments plus the active memtable's entries. It is an upper bound on live keys that
/// shrinks as compaction drops old versions. Digests are lowercase hex.
public enum MetricsReport {
    /// Explains `keys.entries` in the document itself.
    public static let keysNote =
        "entries counts every stored version and tombstone (segments plus the active memtable); "
        + "the engine keeps no exact count of distinct live keys"

    /// Builds the document; `tier` adds the durable tier's section. Costs a walk over
    /// the levels; no I/O.
    public static func make(
        node: String, stats: StoreStats, requests: [(operation: RequestOperation, count: UInt64)],
        tier: DurableTierStatistics? = nil
    ) -> JSONValue {
        let memtableEntries = UInt64(clamping: stats.memtableEntries)
        let segmentEntries = stats.levels.reduce(UInt64(0)) { $0 &+ $1.entries }
        let total = requests.reduce(UInt64(0)) { $0 &+ $1.count }
        let tierSection: [(key: String, value: JSONValue)] = tier.map { [("tier", TierReport.make($0))] } ?? []
        return .object([
            ("node", .string(node)),
            (
                "keys",
                .object([
                    ("entries", .integer(segmentEntries &+ memtableEntries)),
                    ("memtable_entries", .integer(memtableEntries)),
                    ("segment_entries", .integer(segmentEntries)),
                    ("note", .string(keysNote)),
                ])
            ),
            ("requests", .object([("total", .integer(total))] + requests.map { ($0.operation.rawValue, .integer($0.count)) })),
            ("storage", storage(stats)),
            ("recovery", recovery(stats.recovery)),
            (
                "compaction",
                .object([
                    ("flushes", .integer(stats.flushes)),
                    ("compactions", .integer(stats.compactions)),
                    ("trivial_moves", .integer(stats.trivialMoves)),
                    ("bytes_read", .integer(stats.compactionBytesRead)),
                    ("bytes_written", .integer(stats.compactionBytesWritten)),
                    ("entries_dropped", .integer(stats.compactionEntriesDropped)),
                    ("write_stalls", .integer(stats.writeStalls)),
                    ("write_slowdowns", .integer(stats.writeSlowdowns)),
                ])
            ),
            (
                "wal",
                .object([
                    ("groups", .integer(stats.walGroups)),
                    ("batches", .integer(stats.walBatches)),
                    ("syncs", .integer(stats.walSyncs)),
                ])
            ),
            ("cache", .object([("block", cache(stats.blockCache)), ("table", cache(stats.tableCache))])),
            (
                "manifest",
                .object([
                    ("version", .integer(stats.manifestVersion)),
                    ("digest", .string(Hex.encode(stats.manifestDigest))),
                    ("root", .string(Hex.encode(stats.manifestRoot))),
                ])
            ),
        ] + tierSection)
    }

    /// What opening the store found: counts, and each finding as a line.
    private static func recovery(_ report: RecoveryReport) -> JSONValue {
        .object([
            ("wal_files_replayed", .integer(UInt64(clamping: report.walFilesReplayed))),
            ("batches_replayed", .integer(UInt64(clamping: report.batchesReplayed))),
            ("wal_torn_bytes", .integer(report.walTornBytes)),
            ("manifest_torn_bytes", .integer(report.manifestTornBytes)),
            ("skipped_corruption", .integer(UInt64(clamping: report.skippedCorruption.count))),
            ("quarantined", .integer(UInt64(clamping: report.quarantined.count))),
            ("findings", .array(report.findings.map(JSONValue.string))),
        ])
    }

    /// `writes` and, when writes cannot succeed, `writes_reason`.
    private static func writes(_ availability: WriteAvailability) -> [(key: String, value: JSONValue)] {
        switch availability {
        case .available: [("writes", .string("available"))]
        case let .outOfSpace(reason): [("writes", .string("out_of_space")), ("writes_reason", .string(reason))]
        case let .failed(reason): [("writes", .string("failed")), ("writes_reason", .string(reason))]
        case .readOnly: [("writes", .string("read_only"))]
        case .closed: [("writes", .string("closed"))]
        }
    }

    private static func storage(_ stats: StoreStats) -> JSONValue {
        .object(writes(stats.writeAvailability) + [
            ("bytes", .integer(stats.segmentBytes)),
            ("segments", .integer(UInt64(clamping: stats.segmentCount))),
            ("memtable_bytes", .integer(UInt64(clamping: stats.memtableBytes))),
            ("memtable_entries", .integer(UInt64(clamping: stats.memtableEntries))),
            ("immutable_memtables", .integer(UInt64(clamping: stats.immutableMemtables))),
            ("last_sequence", .integer(stats.lastSequence)),
            ("pending_compaction_bytes", .integer(stats.pendingCompactionBytes)),
            ("segments_awaiting_deletion", .integer(UInt64(clamping: stats.segmentsAwaitingDeletion))),
            (
                "levels",
                .array(
                    stats.levels.map { level in
                        .object([
                            ("level", .integer(UInt64(clamping: level.level))),
                            ("segments", .integer(UInt64(clamping: level.segments))),
                            ("bytes", .integer(level.bytes)),
                            ("entries", .integer(level.entries)),
                        ])
                    })
            ),
        ])
    }

    private static func cache(_ cache: CacheStats) -> JSONValue {
        .object([
            ("hits", .integer(cache.hits)),
            ("misses", .integer(cache.misses)),
            ("entries", .integer(UInt64(clamping: cache.entries))),
            ("bytes", .integer(UInt64(clamping: cache.bytes))),
            ("capacity", .integer(UInt64(clamping: cache.capacity))),
        ])
    }
}
