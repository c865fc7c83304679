/// The engine's file seam: every file operation a store makes goes through one
/// instance of this protocol, `StoreOptions.fileSystem`, which the store hands to
/// each component that touches the disk — WAL writer and reader, MANIFEST, segment
/// writer and reader, recovery, quarantine, the directory lock and the free-space
/// probe. `PosixFileSystem` (Glibc calls) is the default; a test can put a
/// fault-injecting implementation in its place (`ScribeTestSupport`'s
/// `FaultInjectingFileSystem`). LevelDB's `Env` plays the same role.
///
/// Implementations report every failure as `LSMError.io` with the C error number
/// (`ENOSPC` and `EDQUOT` make it `isOutOfSpace`), so what the engine does about a
/// failure never depends on which implementation it runs on. Implementations are
/// thread-safe; the files they open are as documented on `ReadableFile` and
/// `WritableFile`.
package protocol FileSystem: Sendable {
    /// Opens an existing file read-only.
    func openForReading(_ path: String) throws -> any ReadableFile
    /// Creates (or truncates) a file for writing from its start.
    func create(_ path: String) throws -> any WritableFile
    /// Opens a file for appending, creating it if needed.
    func openForAppending(_ path: String) throws -> any WritableFile
    /// True when something (file or directory) exists at `path`.
    func fileExists(_ path: String) -> Bool
    /// True when `path` is a directory.
    func isDirectory(_ path: String) -> Bool
    /// Creates the directory `path`; one that exists already is not an error.
    func createDirectory(_ path: String) throws
    /// The names (not paths) of the entries of `path`, without "." and "..", sorted.
    func listDirectory(_ path: String) throws -> [String]
    /// Renames `from` to `to`, replacing `to` if it exists.
    func rename(_ from: String, to: String) throws
    /// Deletes the file `path`; one that does not exist is not an error.
    func remove(_ path: String) throws
    /// Makes the creations, renames and removals inside directory `path` durable.
    func syncDirectory(_ path: String) throws
    /// Bytes an unprivileged process may still write on the file system holding
    /// `path`, or nil when that cannot be found out.
    func availableBytes(_ path: String) -> UInt64?
    /// Takes an exclusive lock on the file `path` (created if needed) without
    /// waiting; throws `LSMError.locked` when another holder has it.
    func lock(_ path: String) throws -> any FileLock
}

/// A file open for reading at any offset; `read` may be called from any thread.
package protocol ReadableFile: AnyObject, Sendable {
    /// The file's current size in bytes.
    func size() throws -> UInt64
    /// Exactly `count` bytes at `offset`, or fewer only at the end of the file.
    func read(at offset: UInt64, count: Int) throws -> [UInt8]
}

/// A file open for writing at its write position. Not thread-safe: one owner
/// writes, syncs and truncates.
package protocol WritableFile: AnyObject {
    /// The file's current size in bytes.
    func size() throws -> UInt64
    /// Writes all of `bytes` at the write position (the end, for a file opened
    /// for appending). On failure some prefix of `bytes` may have been written.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes file data (not necessarily metadata) to stable storage.
    func syncData() throws
    /// Flushes file data and metadata to stable storage.
    func sync() throws
    /// Cuts the file to `length` bytes.
    func truncate(to length: UInt64) throws
    /// Cuts the file to `length` bytes and moves the write position there, so the
    /// next `write` continues at `length` (after a failed write that left part of
    /// its bytes behind).
    func rewind(to length: UInt64) throws
}

/// An exclusive lock held until released or dropped (or the process ends).
package protocol FileLock: AnyObject, Sendable {
    /// Releases the lock; later calls do nothing.
    func release()
}

extension WritableFile {
    /// `write(_:)` for an array, without copying it.
    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}

extension FileSystem {
    /// Writes `bytes` to `path` atomically: temp file, fsync, rename, directory fsync.
    func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws {
        let temp = path + ".tmp"
        let handle = try create(temp)
        try handle.write(bytes)
        try handle.sync()
        try rename(temp, to: path)
        try syncDirectory(directory)
    }

    /// Reads a whole file; refuses files larger than `limit` bytes.
    package func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        let handle = try openForReading(path)
        let size = try handle.size()
        guard size <= UInt64(limit) else {
            throw LSMError.corruption(file: path, offset: 0, reason: "file of \(size) bytes exceeds limit \(limit)")
        }
        return try handle.read(at: 0, count: Int(size))
    }
}
