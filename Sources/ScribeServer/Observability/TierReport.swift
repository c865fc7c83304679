public import ScribeDistributed
public import ScribeVerifier

/// The `tier` section of `GET /metrics` on a node with an object store:
///
/// ```
/// {"object_store_available": bool, "replicated_sequence": n, "published_manifest_version": n,
///  "manifests_published": n, "objects_deleted": n,
///  "segments": {"uploaded", "bytes_uploaded", "upload_failures", "backlog", "backlog_bytes",
///               "last_upload_microseconds", "upload_microseconds_total"},
///  "wal": {"objects_uploaded", "bytes_uploaded", "upload_failures", "backlog_bytes", "waiters",
///          "last_upload_microseconds"},
///  "segment_cache": {"hits", "range_reads", "bytes", "evictions"}}
/// ```
///
/// Times are whole microseconds (the JSON model has no fractions); `/metrics/prometheus`
/// gives them in seconds.
public enum TierReport {
    /// Builds the section from one statistics snapshot.
    public static func make(_ tier: DurableTierStatistics) -> JSONValue {
        .object([
            ("object_store_available", .bool(tier.objectStoreAvailable)),
            ("replicated_sequence", .integer(tier.replicatedSequence)),
            ("published_manifest_version", .integer(tier.publishedManifestVersion)),
            ("manifests_published", .integer(tier.manifestsPublished)),
            ("objects_deleted", .integer(tier.objectsDeleted)),
            (
                "segments",
                .object([
                    ("uploaded", .integer(tier.segmentsUploaded)),
                    ("bytes_uploaded", .integer(tier.segmentBytesUploaded)),
                    ("upload_failures", .integer(tier.segmentUploadFailures)),
                    ("backlog", .integer(UInt64(clamping: tier.segmentBacklog))),
                    ("backlog_bytes", .integer(tier.segmentBacklogBytes)),
                    ("last_upload_microseconds", microseconds(tier.lastSegmentUploadSeconds)),
                    ("upload_microseconds_total", microseconds(tier.segmentUploadSecondsTotal)),
                ])
            ),
            (
                "wal",
                .object([
                    ("objects_uploaded", .integer(tier.walObjectsUploaded)),
                    ("bytes_uploaded", .integer(tier.walBytesUploaded)),
                    ("upload_failures", .integer(tier.walUploadFailures)),
                    ("backlog_bytes", .integer(UInt64(clamping: tier.walBacklogBytes))),
                    ("waiters", .integer(UInt64(clamping: tier.walWaiters))),
                    ("last_upload_microseconds", microseconds(tier.lastWALUploadSeconds)),
                ])
            ),
            (
                "segment_cache",
                .object([
                    ("hits", .integer(tier.cacheHits)),
                    ("range_reads", .integer(tier.cacheRangeReads)),
                    ("bytes", .integer(tier.cacheBytes)),
                    ("evictions", .integer(tier.cacheEvictions)),
                ])
            ),
        ])
    }

    /// Seconds as whole microseconds; negative or non-finite figures read as 0.
    private static func microseconds(_ seconds: Double) -> JSONValue {
        let value = seconds * 1_000_000
        guard value.isFinite, value > 0 else { return .integer(0) }
        return .integer(value >= 1.8e19 ? UInt64.max : UInt64(value))
    }
}
