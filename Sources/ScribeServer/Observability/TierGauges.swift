public import ScribeDistributed
import Prometheus

extension RequestMetrics {
    /// Copies a durable tier snapshot into the registry, the way `storeGauges` does the
    /// engine's; call it just before emitting the registry.
    ///
    /// Gauges: `scribe_tier_object_store_available` (1 or 0), `scribe_tier_replicated_sequence`,
    /// `scribe_tier_published_manifest_version`, `scribe_tier_segment_backlog`,
    /// `scribe_tier_segment_backlog_bytes`, `scribe_tier_wal_backlog_bytes`, `scribe_tier_wal_waiters`,
    /// `scribe_tier_last_segment_upload_seconds`, `scribe_tier_last_wal_upload_seconds`,
    /// `scribe_tier_segment_cache_bytes`.
    ///
    /// Counters (advanced by the growth since the previous call): `scribe_tier_segments_uploaded_total`,
    /// `scribe_tier_segment_uploaded_bytes_total`, `scribe_tier_segment_upload_failures_total`,
    /// `scribe_tier_segment_upload_seconds_total`, `scribe_tier_wal_objects_uploaded_total`,
    /// `scribe_tier_wal_uploaded_bytes_total`, `scribe_tier_wal_upload_failures_total`,
    /// `scribe_tier_manifests_published_total`, `scribe_tier_objects_deleted_total`,
    /// `scribe_tier_segment_cache_hits_total`, `scribe_tier_segment_cache_range_reads_total`,
    /// `scribe_tier_segment_cache_evictions_total`.
    public func tierGauges(_ tier: DurableTierStatistics) {
        storeCounterBaselines.withLock { baselines in
            let gauges: [(String, String, Double)] = [
                ("object_store_available", "1 while the object store answers, 0 after a failed call.",
                 tier.objectStoreAvailable ? 1 : 0),
                ("replicated_sequence", "The newest sequence in an uploaded WAL object or published segment.",
                 Double(tier.replicatedSequence)),
                ("published_manifest_version", "The newest manifest version published to the object store.",
                 Double(tier.publishedManifestVersion)),
                ("segment_backlog", "Segments of the current version not yet in the object store.",
                 Double(tier.segmentBacklog)),
                ("segment_backlog_bytes", "Bytes of the segments not yet in the object store.",
                 Double(tier.segmentBacklogBytes)),
                ("wal_backlog_bytes", "Committed WAL bytes not yet in an uploaded object.", Double(tier.walBacklogBytes)),
                ("wal_waiters", "Replicated writes waiting for their WAL object.", Double(tier.walWaiters)),
                ("last_segment_upload_seconds", "Seconds the last segment upload took.", tier.lastSegmentUploadSeconds),
                ("last_wal_upload_seconds", "Seconds the last WAL object upload took.", tier.lastWALUploadSeconds),
                ("segment_cache_bytes", "Bytes of whole segments in the local segment cache.", Double(tier.cacheBytes)),
            ]
            for (name, help, value) in gauges { gauge("tier", name, help).set(value) }

            let counters: [(String, String, UInt64)] = [
                ("segments_uploaded", "Segments uploaded and verified.", tier.segmentsUploaded),
                ("segment_uploaded_bytes", "Bytes of segments uploaded.", tier.segmentBytesUploaded),
                ("segment_upload_failures", "Failed segment upload attempts.", tier.segmentUploadFailures),
                ("wal_objects_uploaded", "WAL objects uploaded.", tier.walObjectsUploaded),
                ("wal_uploaded_bytes", "Bytes of WAL objects uploaded.", tier.walBytesUploaded),
                ("wal_upload_failures", "Failed WAL object upload attempts.", tier.walUploadFailures),
                ("manifests_published", "Manifest versions published.", tier.manifestsPublished),
                ("objects_deleted", "Objects removed by retention.", tier.objectsDeleted),
                ("segment_cache_hits", "Segment reads served from whole cached files.", tier.cacheHits),
                ("segment_cache_range_reads", "Segment reads served by ranged GETs.", tier.cacheRangeReads),
                ("segment_cache_evictions", "Cached segment files evicted.", tier.cacheEvictions),
            ]
            for (name, help, value) in counters {
                advance(counter("tier", name, help), to: value, key: "tier_" + name, baselines: &baselines)
            }

            // Seconds advance in whole microseconds, so the baseline stays an integer.
            let uploadMicroseconds = UInt64(clamping: Int64(exactly: (tier.segmentUploadSecondsTotal * 1e6).rounded(.down)) ?? 0)
            let key = "tier_segment_upload_microseconds"
            let previous = baselines[key] ?? 0
            let seconds = counter("tier", "segment_upload_seconds", "Seconds spent uploading segments.")
            if uploadMicroseconds > previous { seconds.increment(by: Double(uploadMicroseconds - previous) / 1e6) }
            baselines[key] = uploadMicroseconds
        }
    }
}
