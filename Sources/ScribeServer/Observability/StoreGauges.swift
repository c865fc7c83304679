public import LSMEngine
import Prometheus

extension RequestMetrics {
    /// Copies a store snapshot into the registry; call it just before emitting the registry.
    ///
    /// Point-in-time figures become gauges:
    /// `scribe_store_level_segments{level}`, `scribe_store_level_bytes{level}`,
    /// `scribe_store_level_entries{level}`, `scribe_store_memtable_bytes`,
    /// `scribe_store_memtable_entries`, `scribe_store_immutable_memtables`,
    /// `scribe_store_last_sequence`, `scribe_store_manifest_version`,
    /// `scribe_store_pending_compaction_bytes`, `scribe_store_segments_awaiting_deletion`,
    /// `scribe_store_writes_available` (1 or 0), what recovery found at open —
    /// `scribe_recovery_wal_torn_bytes`, `scribe_recovery_manifest_torn_bytes`,
    /// `scribe_recovery_skipped_corruption`, `scribe_recovery_quarantined_files` —
    /// and `scribe_cache_entries{cache}`, `scribe_cache_bytes{cache}`,
    /// `scribe_cache_capacity{cache}` with `cache` = `block` or `table`.
    ///
    /// Figures the store counts since it opened become counters (they only grow, so
    /// Prometheus' `rate()` applies): `scribe_store_flushes_total`,
    /// `scribe_store_compactions_total`, `scribe_store_trivial_moves_total`,
    /// `scribe_store_compaction_read_bytes_total`, `scribe_store_compaction_written_bytes_total`,
    /// `scribe_store_compaction_dropped_entries_total`, `scribe_store_write_stalls_total`,
    /// `scribe_store_write_slowdowns_total`, `scribe_store_wal_groups_total`,
    /// `scribe_store_wal_batches_total`, `scribe_store_wal_syncs_total`,
    /// `scribe_cache_hits_total{cache}`, `scribe_cache_misses_total{cache}`. Each counter is
    /// advanced by the growth since the previous call; a figure that went down (another
    /// store behind the same metrics) only moves the baseline.
    ///
    /// Concurrent calls are serialised. Costs one registry lookup per series (about 40).
    public func storeGauges(_ stats: StoreStats) {
        storeCounterBaselines.withLock { baselines in
            for level in stats.levels {
                let labels = [("level", String(level.level))]
                gauge("store", "level_segments", "Segments in the level.", labels).set(Double(level.segments))
                gauge("store", "level_bytes", "Segment bytes in the level.", labels).set(Double(level.bytes))
                gauge("store", "level_entries", "Entries (versions and tombstones) in the level's segments.", labels)
                    .set(Double(level.entries))
            }
            gauge("store", "writes_available", "1 while writes can succeed; 0 while the disk is full, after a sticky failure, or read-only.")
                .set(Double(stats.writeAvailability == .available ? 1 : 0))
            let recovery = stats.recovery
            gauge("recovery", "wal_torn_bytes", "Bytes of incomplete final WAL writes cut off when the store opened.")
                .set(Double(recovery.walTornBytes))
            gauge("recovery", "manifest_torn_bytes", "Bytes of an incomplete final MANIFEST record cut off when the store opened.")
                .set(Double(recovery.manifestTornBytes))
            gauge("recovery", "skipped_corruption", "Damaged records skip_corruption dropped when the store opened.")
                .set(Double(recovery.skippedCorruption.count))
            gauge("recovery", "quarantined_files", "Files moved to lost/ when the store opened.")
                .set(Double(recovery.quarantined.count))
            gauge("store", "memtable_bytes", "Arena bytes in the active memtable.").set(Double(stats.memtableBytes))
            gauge("store", "memtable_entries", "Entries in the active memtable.").set(Double(stats.memtableEntries))
            gauge("store", "immutable_memtables", "Frozen memtables waiting for or in flush.")
                .set(Double(stats.immutableMemtables))
            gauge("store", "last_sequence", "The newest sequence number assigned and visible.")
                .set(Double(stats.lastSequence))
            gauge("store", "manifest_version", "The current manifest version number.").set(Double(stats.manifestVersion))
            gauge("store", "pending_compaction_bytes", "Bytes above the level targets.")
                .set(Double(stats.pendingCompactionBytes))
            gauge("store", "segments_awaiting_deletion", "Removed segments still read by an iterator or view.")
                .set(Double(stats.segmentsAwaitingDeletion))

            let counters: [(String, String, UInt64)] = [
                ("flushes", "Memtables flushed to segments.", stats.flushes),
                ("compactions", "Compactions run, trivial moves included.", stats.compactions),
                ("trivial_moves", "Compactions that moved a segment without rewriting it.", stats.trivialMoves),
                ("compaction_read_bytes", "Segment bytes compactions read.", stats.compactionBytesRead),
                ("compaction_written_bytes", "Segment bytes compactions wrote.", stats.compactionBytesWritten),
                ("compaction_dropped_entries", "Entries compactions dropped.", stats.compactionEntriesDropped),
                ("write_stalls", "Times a writer waited for flushes or compactions.", stats.writeStalls),
                ("write_slowdowns", "Writes delayed by the slowdown thresholds.", stats.writeSlowdowns),
                ("wal_groups", "WAL groups written.", stats.walGroups),
                ("wal_batches", "Write batches carried by WAL groups.", stats.walBatches),
                ("wal_syncs", "WAL syncs.", stats.walSyncs),
            ]
            for (name, help, value) in counters {
                advance(counter("store", name, help), to: value, key: name, baselines: &baselines)
            }

            for (name, cache) in [("block", stats.blockCache), ("table", stats.tableCache)] {
                let labels = [("cache", name)]
                gauge("cache", "entries", "Entries held by the cache.", labels).set(Double(cache.entries))
                gauge("cache", "bytes", "Bytes charged for the entries held.", labels).set(Double(cache.bytes))
                gauge("cache", "capacity", "The cache's bound: bytes (block) or readers (table).", labels)
                    .set(Double(cache.capacity))
                advance(
                    counter("cache", "hits", "Cache lookups that found their entry.", labels), to: cache.hits,
                    key: "cache_hits_\(name)", baselines: &baselines)
                advance(
                    counter("cache", "misses", "Cache lookups that did not.", labels), to: cache.misses,
                    key: "cache_misses_\(name)", baselines: &baselines)
            }
        }
    }

    func gauge(_ subsystem: String, _ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
        let descriptor = MetricNameDescriptor(
            namespace: "scribe", subsystem: subsystem, metricName: name, unitName: "", helpText: help)
        return labels.isEmpty
            ? registry.makeGauge(descriptor: descriptor) : registry.makeGauge(descriptor: descriptor, labels: labels)
    }

    func counter(_ subsystem: String, _ name: String, _ help: String, _ labels: [(String, String)] = [])
        -> Counter
    {
        let descriptor = MetricNameDescriptor(
            namespace: "scribe", subsystem: subsystem, metricName: name, unitName: "total", helpText: help)
        return labels.isEmpty
            ? registry.makeCounter(descriptor: descriptor) : registry.makeCounter(descriptor: descriptor, labels: labels)
    }

    /// Adds to `counter` what `value` grew by since the baseline stored under `key`.
    func advance(_ counter: Counter, to value: UInt64, key: String, baselines: inout [String: UInt64]) {
        let previous = baselines[key] ?? 0
        if value > previous { counter.increment(by: Int64(clamping: value - previous)) }
        baselines[key] = value
    }
}
