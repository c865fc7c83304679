/// The object store a node ships its segments and WAL batches to: a local directory
/// (`storage.object_store_dir`) or an S3-compatible service (`[storage.s3]`).
public enum ObjectStoreConfiguration: Sendable, Equatable {
    case directory(String)
    case s3(S3Configuration)
}
