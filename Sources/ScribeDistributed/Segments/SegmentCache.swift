public import LSMEngine
public import Logging

/// A directory of whole segment files `<id>.sst` fetched from object storage,
/// bounded by bytes: the least recently used file leaves first when room is
/// needed, and a file a read is using (pinned) is never removed — eviction
/// skips it and takes the next candidate.
///
/// Files arrive through `SegmentCacheWriter` (temp file, fsync, rename, directory
/// fsync) after their bytes were reserved, so files plus reservations never
/// exceed `capacity`. At start the cache adopts the `.sst` files already in the
/// directory, newest modification time first, as many as fit; temp files and
/// files that do not fit are removed. Other files are left alone and not counted.
///
/// Thread-safe: one lock around the file table; reads of a file run outside it,
/// under a pin. A cached file's size is checked against the manifest's on every
/// read (`withFile`), so a file that does not match is dropped, not served.
public final class SegmentCache: Sendable {
    struct Entry {
        var size: UInt64
        /// Reads using the file now; a pinned file is never removed.
        var pins = 0
        /// Larger is more recent.
        var lastUse: UInt64
    }

    struct State {
        var entries: [SegmentID: Entry] = [:]
        /// Bytes of the files in `entries`.
        var bytes: UInt64 = 0
        /// Bytes promised to writers still filling their temp files.
        var reserved: UInt64 = 0
        var clock: UInt64 = 0
        var evictions: UInt64 = 0

        mutating func tick() -> UInt64 {
            clock += 1
            return clock
        }
    }

    /// The cache's directory.
    public let directory: String
    /// The most bytes of files (and reservations) the directory holds.
    public let capacity: UInt64
    private let logger: Logger
    /// The cache's files are the tier's, not a store's: always the Glibc calls.
    private let fileSystem = PosixFileSystem()
    private let state: Locked<State>

    /// Opens (creating if needed) the cache in `directory` and adopts the
    /// segment files already there, as described on the type.
    public init(directory: String, capacity: UInt64, logger: Logger = Logger(label: "scribe.segment-cache")) throws {
        self.directory = directory
        self.capacity = capacity
        self.logger = logger
        try fileSystem.createDirectory(directory)
        var adopted: [(id: SegmentID, file: SegmentFiles.Entry)] = []
        var dropped = 0
        for file in try SegmentFiles.files(in: directory) {
            if file.name.hasSuffix(".tmp") {
                try fileSystem.remove(directory + "/" + file.name)
                dropped += 1
            } else if file.name.hasSuffix(".sst"), let id = SegmentID(rawValue: String(file.name.dropLast(4))) {
                adopted.append((id, file))
            }
        }
        adopted.sort { $0.file.modified > $1.file.modified }
        var kept: [(id: SegmentID, size: UInt64)] = []
        var keptBytes: UInt64 = 0
        for (id, file) in adopted {
            guard keptBytes + file.size <= capacity else {
                try fileSystem.remove(directory + "/" + file.name)
                dropped += 1
                continue
            }
            keptBytes += file.size
            kept.append((id, file.size))
        }
        var initial = State()
        for (id, size) in kept.reversed() {  // oldest first: the newest file is the most recently used
            initial.entries[id] = Entry(size: size, lastUse: initial.tick())
        }
        initial.bytes = keptBytes
        state = Locked(initial)
        logger.info(
            "segment cache opened",
            metadata: [
                "directory": "\(directory)", "files": "\(initial.entries.count)", "bytes": "\(initial.bytes)",
                "removed": "\(dropped)",
            ])
    }

    /// The path a cached segment has (whether or not it is cached).
    func path(of id: SegmentID) -> String { directory + "/" + id.fileName }

    /// True when the whole file of `id` is cached.
    public func contains(_ id: SegmentID) -> Bool {
        state.withLock { $0.entries[id] != nil }
    }

    /// Runs `body` with the path of the cached file of `id`, pinned (and marked
    /// most recently used) while `body` runs. Nil when the file is not cached,
    /// or is cached with a size other than `size` (then it is removed unless
    /// another read holds it).
    func withFile<R>(_ id: SegmentID, size: UInt64, _ body: (String) throws -> R) throws -> R? {
        let pinned = state.withLock { state -> Bool in
            guard var entry = state.entries[id] else { return false }
            guard entry.size == size else {
                if entry.pins == 0 {
                    logger.warning(
                        "cached segment has the wrong size; removed",
                        metadata: ["segment": "\(id)", "bytes": "\(entry.size)", "expected": "\(size)"])
                    remove(id, from: &state)
                }
                return false
            }
            entry.pins += 1
            entry.lastUse = state.tick()
            state.entries[id] = entry
            return true
        }
        guard pinned else { return nil }
        defer { state.withLock { $0.entries[id]?.pins -= 1 } }
        return try body(path(of: id))
    }

    /// A writer for the file of `id` with room for `size` bytes reserved
    /// (evicting unpinned files, least recently used first), or nil when the
    /// file is already cached or no room can be made.
    func makeWriter(for id: SegmentID, size: UInt64) throws -> SegmentCacheWriter? {
        let temporary = state.withLock { state -> String? in
            guard state.entries[id] == nil, makeRoom(for: size, in: &state) else { return nil }
            state.reserved += size
            return directory + "/" + id.rawValue + ".\(state.tick()).tmp"
        }
        guard let temporary else { return nil }
        do {
            return try SegmentCacheWriter(cache: self, id: id, size: size, temporaryPath: temporary)
        } catch {
            releaseReservation(size)
            throw error
        }
    }

    /// Gives back bytes reserved by `makeWriter`.
    func releaseReservation(_ size: UInt64) {
        state.withLock { $0.reserved -= size }
    }

    /// Moves a complete, fsynced temp file into place as the file of `id` and
    /// turns its reservation into a cached file. Consumes the reservation even
    /// when it throws; a temp file for an id already cached is removed.
    func install(_ id: SegmentID, size: UInt64, temporaryPath: String) throws {
        try state.withLock { state in
            state.reserved -= size
            guard state.entries[id] == nil else {
                try fileSystem.remove(temporaryPath)
                return
            }
            try fileSystem.rename(temporaryPath, to: path(of: id))
            state.entries[id] = Entry(size: size, lastUse: state.tick())
            state.bytes += size
        }
        try fileSystem.syncDirectory(directory)
    }

    /// Bytes and files cached, and files evicted since start.
    public func statistics() -> SegmentCacheStatistics {
        state.withLock { state in
            var statistics = SegmentCacheStatistics()
            statistics.bytes = state.bytes
            statistics.files = state.entries.count
            statistics.evictions = state.evictions
            return statistics
        }
    }

    /// Evicts unpinned files, least recently used first, until `size` more
    /// bytes fit; evicts nothing and returns false when they cannot fit.
    private func makeRoom(for size: UInt64, in state: inout State) -> Bool {
        let evictable = state.entries.values.reduce(UInt64(0)) { $0 + ($1.pins == 0 ? $1.size : 0) }
        guard size <= capacity, state.bytes + state.reserved - evictable <= capacity - size else { return false }
        while state.bytes + state.reserved > capacity - size {
            let unpinned = state.entries.filter { $0.value.pins == 0 }
            guard let victim = unpinned.min(by: { $0.value.lastUse < $1.value.lastUse }) else { return false }
            remove(victim.key, from: &state)
            state.evictions += 1
            logger.debug("segment evicted from the cache", metadata: ["segment": "\(victim.key)"])
        }
        return true
    }

    /// Forgets the unpinned file of `id` and deletes it (under the lock, so a
    /// new file of the same id cannot be installed in between). A file that
    /// cannot be deleted is only logged: it is no longer counted or served, and
    /// the next start adopts or removes it.
    private func remove(_ id: SegmentID, from state: inout State) {
        guard let entry = state.entries.removeValue(forKey: id) else { return }
        state.bytes -= entry.size
        do {
            try fileSystem.remove(path(of: id))
        } catch {
            logger.warning("could not delete a cached segment", metadata: ["segment": "\(id)", "error": "\(error)"])
        }
    }
}
