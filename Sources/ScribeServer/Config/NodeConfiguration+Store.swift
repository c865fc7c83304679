import LSMEngine

extension NodeConfiguration {
    /// The engine options for the node's store: the `[storage]` limits and
    /// tuning over the engine's defaults (which cover everything not configured here).
    public func storeOptions() -> StoreOptions {
        var options = StoreOptions()
        options.maxKeySize = storage.maxKeySize
        options.maxValueSize = storage.maxValueSize
        options.memtableSize = storage.memtableSize
        options.blockCacheSize = storage.blockCacheSize
        options.compression = storage.compression
        options.historyPolicy = storage.historyPolicy
        options.recoveryMode = storage.recoveryMode
        return options
    }

    /// The write options of the default acknowledgment mode (`storage.durability`).
    public var writeOptions: WriteOptions {
        storage.durability.writeOptions
    }
}
