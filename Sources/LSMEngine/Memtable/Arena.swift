import Synchronization

/// A bump allocator for memtable nodes: memory is carved out of large chunks
/// and released all at once when the arena is deinitialised.
///
/// Costs: one `UnsafeMutableRawPointer.allocate` per chunk (default 4 MiB), a
/// pointer bump per allocation otherwise. A request larger than a quarter of a
/// chunk gets a dedicated chunk of exactly its size, so a huge value never
/// wastes the rest of the current chunk.
///
/// Threading: `allocate` is for the single writer only. `memoryUsage` may be
/// read from any thread.
final class Arena {
    /// Every allocation is rounded up to this many bytes and starts on such a boundary.
    static let alignment = 8

    /// The size of a regular chunk.
    let chunkSize: Int
    private var chunks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0
    private let usage = Atomic<Int>(0)

    /// Creates an empty arena; no memory is allocated until the first request.
    init(chunkSize: Int) {
        precondition(chunkSize >= 64, "arena chunk size must be at least 64 bytes")
        self.chunkSize = (chunkSize + Arena.alignment - 1) & ~(Arena.alignment - 1)
    }

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }

    /// Bytes consumed so far: every allocation (rounded up to the alignment),
    /// plus the unused tails of chunks that were retired because a request did
    /// not fit. The unused remainder of the current chunk is not counted, so the
    /// figure grows with every allocation and never overstates by more than one chunk.
    var memoryUsage: Int { usage.load(ordering: .relaxed) }

    /// Returns `byteCount` bytes (rounded up to a multiple of 8), 8-byte aligned,
    /// uninitialised, valid until the arena is deinitialised. Single writer only.
    func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        precondition(byteCount >= 0, "negative arena allocation")
        let size = (byteCount + Arena.alignment - 1) & ~(Arena.alignment - 1)
        if size <= remaining, let start = cursor {
            cursor = start + size
            remaining -= size
            usage.wrappingAdd(size, ordering: .relaxed)
            return start
        }
        if size > chunkSize / 4 {
            let dedicated = newChunk(size)
            usage.wrappingAdd(size, ordering: .relaxed)
            return dedicated
        }
        let start = newChunk(chunkSize)
        usage.wrappingAdd(remaining + size, ordering: .relaxed)
        cursor = start + size
        remaining = chunkSize - size
        return start
    }

    private func newChunk(_ size: Int) -> UnsafeMutableRawPointer {
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: Arena.alignment)
        chunks.append(chunk)
        return chunk
    }
}
