/// The node's threads for blocking work, in lanes that never wait for each
/// other: a lane's jobs queue only behind that lane's jobs, so reads stuck on an
/// unanswering object store cannot hold up a group commit's fdatasync.
///
/// `NodeRuntime` makes one per node and hands it to the service and the durable
/// tier. Lanes start threads on demand and end idle ones, so an executor made
/// only for a test costs nothing and needs no shutdown. See docs/design.md,
/// "scribe-node" (Blocking work).
public struct NodeExecutor: Sendable {
    /// Group-commit drains: the engine write and its fdatasync. The write
    /// coalescer runs one drain at a time, so one thread is all it uses.
    public let writes: BlockingLane
    /// Reads that may block on the object store for a segment not on local disk
    /// (up to `ObjectSegmentSettings.readTimeout` each), and proofs.
    public let reads: BlockingLane
    /// The tier's and the store's blocking upkeep: opening and replay at start,
    /// flushes, closing.
    public let background: BlockingLane
    /// The object-store calls that blocked segment reads wait for, and segment
    /// downloads into the cache: a task executor of its own, so the calls a
    /// blocked reader waits for never need a thread the reader holds.
    public let objectStore: BlockingLane

    public init(writeThreads: Int = 1, readThreads: Int = 16, backgroundThreads: Int = 2, objectStoreThreads: Int = 8) {
        writes = BlockingLane(threads: writeThreads)
        reads = BlockingLane(threads: readThreads)
        background = BlockingLane(threads: backgroundThreads)
        objectStore = BlockingLane(threads: objectStoreThreads)
    }
}
