#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import LSMEngine

/// One segment file being written into a `SegmentCache`: bytes go to a temp
/// file in the cache directory under room the cache reserved; `commit` fsyncs
/// it and renames it to `<id>.sst`. A writer released without a successful
/// commit removes its temp file and gives the room back.
/// Used by one task at a time.
final class SegmentCacheWriter {
    let id: SegmentID
    /// The file's size: the bytes reserved for it.
    let size: UInt64
    private let cache: SegmentCache
    private let temporaryPath: String
    private let descriptor: Int32
    private var isOpen = true
    private var holdsReservation = true
    private var installed = false

    /// Creates the temp file. The caller has reserved `size` bytes in `cache`
    /// and keeps the reservation if this throws.
    init(cache: SegmentCache, id: SegmentID, size: UInt64, temporaryPath: String) throws {
        descriptor = try SegmentFiles.open(temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
        self.cache = cache
        self.id = id
        self.size = size
        self.temporaryPath = temporaryPath
    }

    deinit {
        if isOpen { _ = close(descriptor) }
        if !installed { try? PosixFileSystem().remove(temporaryPath) }
        if holdsReservation { cache.releaseReservation(size) }
    }

    /// Writes `bytes` at `offset` of the temp file.
    func write(_ bytes: [UInt8], at offset: UInt64) throws {
        try SegmentFiles.write(descriptor, bytes, at: offset, path: temporaryPath)
    }

    /// fsyncs the temp file and installs it as the cached file of `id`.
    func commit() throws {
        try SegmentFiles.sync(descriptor, path: temporaryPath)
        isOpen = false
        _ = close(descriptor)
        holdsReservation = false
        try cache.install(id, size: size, temporaryPath: temporaryPath)
        installed = true
    }
}
