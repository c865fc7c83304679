
/// Decides when a segment file may be deleted: once compaction has removed it
/// from the current version (`retire`) and no pinned version still lists it.
/// Readers and snapshots reach segments only through a `PinnedVersion`, so a
/// file is never deleted while anything can still read it.
final class SegmentLifetimes: Sendable {
    private struct State {
        var uses: [SegmentID: Int] = [:]
        var retired: Set<SegmentID> = []
    }

    private let state = Locked(State())
    private let directory: String
    private let fileSystem: any FileSystem
    /// Called after a segment's file is deleted (to drop cached readers and blocks).
    private let onDelete: @Sendable (SegmentID) -> Void

    init(directory: String, fileSystem: any FileSystem, onDelete: @escaping @Sendable (SegmentID) -> Void) {
        self.directory = directory
        self.fileSystem = fileSystem
        self.onDelete = onDelete
    }

    /// Counts one more user of each of `ids`.
    func acquire(_ ids: [SegmentID]) {
        state.withLock { s in
            for id in ids { s.uses[id, default: 0] += 1 }
        }
    }

    /// Drops one use of each of `ids`, deleting retired segments nothing uses.
    func release(_ ids: [SegmentID]) {
        let doomed = state.withLock { s -> [SegmentID] in
            var doomed: [SegmentID] = []
            for id in ids {
                let n = (s.uses[id] ?? 1) - 1
                s.uses[id] = n > 0 ? n : nil
                if n <= 0, s.retired.remove(id) != nil { doomed.append(id) }
            }
            return doomed
        }
        delete(doomed)
    }

    /// Marks `ids` as no longer in the current version; each is deleted as soon as nothing uses it.
    func retire(_ ids: [SegmentID]) {
        let doomed = state.withLock { s -> [SegmentID] in
            var doomed: [SegmentID] = []
            for id in ids {
                if s.uses[id] == nil { doomed.append(id) } else { s.retired.insert(id) }
            }
            return doomed
        }
        delete(doomed)
    }

    /// Segments retired but still in use (for tests and stats).
    var pendingDeletion: Int { state.withLock { $0.retired.count } }

    private func delete(_ ids: [SegmentID]) {
        for id in ids {
            // A failed unlink leaves a file the manifest no longer lists;
            // the next open removes it.
            try? fileSystem.remove(directory + "/" + id.fileName)
            onDelete(id)
        }
    }
}

/// A version whose segment files exist for as long as the instance lives: the
/// store holds one for the current version and every read view holds the one
/// it was taken from.
final class PinnedVersion: Sendable {
    let version: Version
    private let ids: [SegmentID]
    private let lifetimes: SegmentLifetimes

    init(version: Version, lifetimes: SegmentLifetimes) {
        self.version = version
        self.ids = version.allSegments.map(\.id)
        self.lifetimes = lifetimes
        lifetimes.acquire(ids)
    }

    deinit {
        lifetimes.release(ids)
    }
}
