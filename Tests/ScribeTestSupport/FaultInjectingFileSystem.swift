#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import LSMEngine

/// A `FileSystem` for tests: every operation goes to `PosixFileSystem`, except
/// that chosen ones fail (`inject`) and a crash can be simulated (`simulateCrash`),
/// after LevelDB's `FaultInjectionTestEnv`. A store opened with it
/// (`StoreOptions.fileSystem`) meets the faults wherever it touches the disk.
///
/// **Faults.** A rule names an operation, optionally the paths it applies to, and
/// which of the matching operations fail: counting from 1 the matching operations
/// issued after the rule was added, the `nth` fails and so do the next `times - 1`
/// (`times: nil`: every one from the `nth` on, until `removeAllFaults`). Every rule
/// counts every matching operation, whether it fires or another rule does; when
/// several fire at once the first added wins. A failing operation throws
/// `LSMError.io` with the rule's errno, as `PosixFileSystem` would: EIO for a failed
/// device, ENOSPC for a full disk (`isOutOfSpace`). It changes nothing on disk,
/// except a short or torn write, which writes a prefix first.
///
/// **Crash.** For every file written through it the injector remembers the length
/// at the last successful `sync`/`syncData`, and which files were created since
/// their directory's last `syncDirectory`. `simulateCrash` makes the disk what a
/// power loss would leave (each file cut back to its synced length, files never made
/// durable by a directory sync deleted) and makes the files opened before it fail
/// with EIO, as the crashed process's descriptors would be gone; the directory
/// locks taken through it are released. The store opened on it must be idle (no
/// write, flush or compaction running) and is then dropped; reopening a store on the
/// same injector is the restart. Renames and removals are kept as done: a real file
/// system could still undo them until the directory is synced, which this model
/// does not simulate (the engine syncs the directory right after each).
///
/// Thread-safe: one lock, held across each mutating operation so that a crash
/// never falls in the middle of one; reads run outside it.
package final class FaultInjectingFileSystem: FileSystem {
    /// The operations a fault can hit.
    package enum Operation: Sendable, Hashable {
        /// `create` and `openForAppending`.
        case create
        /// `openForReading`.
        case open
        /// `read` of a file opened for reading.
        case read
        /// `write` of a file opened for writing.
        case write
        /// `sync` and `syncData` of a file.
        case sync
        /// `truncate` and `rewind` of a file.
        case truncate
        /// `rename` (a rule's paths match either name).
        case rename
        /// `remove`.
        case remove
        /// `syncDirectory`.
        case syncDirectory
    }

    /// What happens to an operation a rule hits.
    package enum Fault: Sendable, Equatable {
        /// Nothing is done; the operation throws `LSMError.io` with this errno.
        case error(Int32)
        /// A write puts its first `bytes` bytes in the file, then throws with `errno`:
        /// what a `write(2)` that transferred part of the buffer and then failed leaves.
        case shortWrite(bytes: Int, errno: Int32)
        /// A write puts its first `bytes` bytes in the file and reports success: the
        /// rest is lost without a word, as on a device that acknowledged a write it did
        /// not finish. Later appends follow the prefix, so the file's content no longer
        /// matches what its writer believes; only checksums can tell.
        case tornWrite(bytes: Int)
    }

    /// Which paths a rule applies to.
    package enum Paths: Sendable, Equatable {
        case any
        case suffix(String)
        case prefix(String)

        func matches(_ path: String) -> Bool {
            switch self {
            case .any: return true
            case let .suffix(suffix): return path.hasSuffix(suffix)
            case let .prefix(prefix): return path.hasPrefix(prefix)
            }
        }
    }

    /// What `simulateCrash` did.
    package struct CrashOutcome: Sendable, Equatable {
        /// Bytes cut off each file that had unsynced bytes, by path.
        package var droppedBytes: [String: UInt64] = [:]
        /// Files deleted because no directory sync covered their creation, sorted.
        package var removedFiles: [String] = []
    }

    fileprivate struct Rule {
        let operation: Operation
        let paths: Paths
        let nth: Int
        let times: Int?
        let fault: Fault
        /// Matching operations seen since the rule was added.
        var seen = 0

        /// Counts one matching operation; true when the rule fails it.
        mutating func fires() -> Bool {
            seen += 1
            guard seen >= nth else { return false }
            guard let times else { return true }
            return seen < nth + times
        }
    }

    /// What the crash model knows of one file written through the injector.
    fileprivate struct WrittenFile {
        /// The file's length at its last successful sync (or when first seen).
        var syncedLength: UInt64
        /// Created (or named by a rename) since its directory's last sync.
        var createdSinceDirectorySync: Bool
    }

    fileprivate struct State {
        var rules: [Rule] = []
        var counts: [Operation: Int] = [:]
        var faultsInjected = 0
        /// Files written through the injector since the last crash, by normalized path.
        var written: [String: WrittenFile] = [:]
        /// Bumped by each crash: files opened in an earlier epoch fail.
        var epoch = 0
        /// The locks taken through the injector and not yet dropped.
        var locks: [WeakLock] = []
        var freeSpace: UInt64?

        /// Counts `operation` on `paths` and returns the fault of the first rule
        /// that fires for it (every matching rule counts it).
        mutating func fault(for operation: Operation, _ paths: [String]) -> Fault? {
            counts[operation, default: 0] += 1
            var fault: Fault?
            for index in rules.indices where rules[index].operation == operation {
                guard paths.contains(where: rules[index].paths.matches) else { continue }
                if rules[index].fires(), fault == nil { fault = rules[index].fault }
            }
            if fault != nil { faultsInjected += 1 }
            return fault
        }

        /// Throws the error of a fault that fires for a directory-level operation.
        mutating func admit(_ operation: Operation, _ paths: String..., name: String) throws {
            if case let .error(code) = fault(for: operation, paths) {
                throw LSMError.io(operation: name + " (injected)", path: paths[0], errno: code)
            }
        }

        /// A successful sync made the first `length` bytes of `path` durable.
        mutating func synced(_ path: String, length: UInt64) {
            written[normalized(path)]?.syncedLength = length
        }

        /// `path` was cut to `length` bytes: no more than those can survive a crash.
        mutating func truncated(_ path: String, to length: UInt64) {
            let key = normalized(path)
            if let synced = written[key]?.syncedLength { written[key]?.syncedLength = min(synced, length) }
        }
    }

    fileprivate struct WeakLock {
        weak var lock: InjectedLock?
    }

    private let base = PosixFileSystem()
    private let state = Locked(State())

    package init() {}

    // MARK: Faults

    /// Makes matching operations fail (see the type): the `nth` operation of kind
    /// `operation` on `paths` issued from now on, and the `times - 1` after it
    /// (`times: nil`: all of them until `removeAllFaults`). Short and torn writes
    /// apply to `.write` only.
    package func inject(_ fault: Fault, on operation: Operation, paths: Paths = .any, nth: Int = 1, times: Int? = 1) {
        precondition(nth >= 1 && (times ?? 1) >= 1, "nth and times count from 1")
        if case .error = fault {} else {
            precondition(operation == .write, "short and torn writes apply to .write only")
        }
        state.withLock { $0.rules.append(Rule(operation: operation, paths: paths, nth: nth, times: times, fault: fault)) }
    }

    /// Removes every rule: operations succeed again.
    package func removeAllFaults() {
        state.withLock { $0.rules.removeAll() }
    }

    /// Operations of kind `operation` issued so far, failed ones included.
    package func count(_ operation: Operation) -> Int {
        state.withLock { $0.counts[operation] ?? 0 }
    }

    /// Operations a rule made fail so far.
    package var faultsInjected: Int {
        state.withLock { $0.faultsInjected }
    }

    /// What `availableBytes` reports instead of `statvfs` (nil: the real figure), so
    /// a store's free-space probe can agree with an injected ENOSPC.
    package var freeSpace: UInt64? {
        get { state.withLock { $0.freeSpace } }
        set { state.withLock { $0.freeSpace = newValue } }
    }

    // MARK: Crash

    /// Makes the disk what a power loss now would leave (see the type): each file
    /// written through the injector is cut back to its length at its last sync plus
    /// at most `kept` bytes of what followed (0, the default, is LevelDB's model:
    /// every unsynced byte is lost; more models the first pages of the tail having
    /// reached the disk, which tears the last record), files created since their
    /// directory's last sync are deleted, files opened before now fail from now on
    /// and the locks taken through the injector are released. Afterwards every file
    /// on disk counts as durable at its length.
    @discardableResult
    package func simulateCrash(keepingUnsyncedBytes kept: UInt64 = 0) throws -> CrashOutcome {
        try state.withLock { state in
            state.epoch += 1
            for entry in state.locks { entry.lock?.release() }
            state.locks.removeAll()
            var outcome = CrashOutcome()
            for (path, file) in state.written.sorted(by: { $0.key < $1.key }) {
                if file.createdSinceDirectorySync {
                    try base.remove(path)
                    outcome.removedFiles.append(path)
                    continue
                }
                guard base.fileExists(path) else { continue }
                let handle = try base.openForAppending(path)
                let length = try handle.size()
                guard length > file.syncedLength else { continue }
                let durable = file.syncedLength + min(kept, length - file.syncedLength)
                if durable < length {
                    try handle.truncate(to: durable)
                    outcome.droppedBytes[path] = length - durable
                }
            }
            state.written.removeAll()
            return outcome
        }
    }

    // MARK: FileSystem

    package func openForReading(_ path: String) throws -> any ReadableFile {
        let epoch = try state.withLock { state in
            try state.admit(.open, path, name: "open")
            return state.epoch
        }
        return InjectedReadableFile(file: try base.openForReading(path), path: path, owner: self, epoch: epoch)
    }

    package func create(_ path: String) throws -> any WritableFile {
        try openForWriting(path) { try base.create($0) }
    }

    package func openForAppending(_ path: String) throws -> any WritableFile {
        try openForWriting(path) { try base.openForAppending($0) }
    }

    package func fileExists(_ path: String) -> Bool {
        base.fileExists(path)
    }

    package func isDirectory(_ path: String) -> Bool {
        base.isDirectory(path)
    }

    package func createDirectory(_ path: String) throws {
        try base.createDirectory(path)
    }

    package func listDirectory(_ path: String) throws -> [String] {
        try base.listDirectory(path)
    }

    package func rename(_ from: String, to: String) throws {
        try state.withLock { state in
            try state.admit(.rename, from, to, name: "rename to \(to)")
            let replaced = base.fileExists(to)
            try base.rename(from, to: to)
            let target = normalized(to)
            guard let source = state.written.removeValue(forKey: normalized(from)) else {
                // A file never written through the injector counts as durable.
                state.written[target] = nil
                return
            }
            // The new name is as durable as the one it replaced, or as the source's
            // (the replaced content is not restored at a crash: see the type).
            let created = replaced
                ? state.written[target]?.createdSinceDirectorySync ?? false : source.createdSinceDirectorySync
            state.written[target] = WrittenFile(syncedLength: source.syncedLength, createdSinceDirectorySync: created)
        }
    }

    package func remove(_ path: String) throws {
        try state.withLock { state in
            try state.admit(.remove, path, name: "unlink")
            try base.remove(path)
            state.written[normalized(path)] = nil
        }
    }

    package func syncDirectory(_ path: String) throws {
        try state.withLock { state in
            try state.admit(.syncDirectory, path, name: "fsync directory")
            try base.syncDirectory(path)
            let directory = normalized(path)
            for file in state.written.keys where parent(of: file) == directory {
                state.written[file]?.createdSinceDirectorySync = false
            }
        }
    }

    package func availableBytes(_ path: String) -> UInt64? {
        state.withLock { $0.freeSpace } ?? base.availableBytes(path)
    }

    package func lock(_ path: String) throws -> any FileLock {
        let lock = InjectedLock(try base.lock(path))
        state.withLock { state in
            state.locks.removeAll { $0.lock == nil }
            state.locks.append(WeakLock(lock: lock))
        }
        return lock
    }

    // MARK: Files

    /// `create` or `openForAppending` (`open`), counted as `.create`, starting to
    /// track the file: a new one was created now, an existing one met for the first
    /// time is taken as durable at its current length.
    private func openForWriting(_ path: String, _ open: (String) throws -> any WritableFile) throws -> any WritableFile {
        try state.withLock { state in
            try state.admit(.create, path, name: "open")
            let existed = base.fileExists(path)
            let file = try open(path)
            let key = normalized(path)
            if !existed {
                state.written[key] = WrittenFile(syncedLength: 0, createdSinceDirectorySync: true)
            } else if state.written[key] == nil {
                state.written[key] = WrittenFile(syncedLength: try file.size(), createdSinceDirectorySync: false)
            }
            return InjectedWritableFile(file: file, path: path, owner: self, epoch: state.epoch)
        }
    }

    /// Runs `body`, one operation on a file opened in `epoch`, under the lock — unless
    /// a crash came since (EIO) or a rule fails it with an error. A short or torn
    /// write is handed to `body` to carry out. `operation` nil: never faulted.
    fileprivate func withFile<R>(
        _ operation: Operation?, _ path: String, epoch: Int, name: String,
        _ body: (_ fault: Fault?, _ state: inout State) throws -> R
    ) throws -> R {
        try state.withLock { state in
            guard epoch == state.epoch else {
                throw LSMError.io(operation: name + " (after a simulated crash)", path: path, errno: EIO)
            }
            let fault = operation.flatMap { state.fault(for: $0, [path]) }
            if case let .error(code) = fault {
                throw LSMError.io(operation: name + " (injected)", path: path, errno: code)
            }
            return try body(fault, &state)
        }
    }
}

/// `path` without repeated and trailing slashes, so a file's directory compares
/// equal to the path `syncDirectory` is given.
private func normalized(_ path: String) -> String {
    var result = ""
    for character in path where !(character == "/" && result.hasSuffix("/")) { result.append(character) }
    while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
    return result
}

/// The directory part of a normalized path.
private func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// A file opened for reading through a `FaultInjectingFileSystem`: reads are
/// checked under its lock and run outside it.
private final class InjectedReadableFile: ReadableFile {
    let file: any ReadableFile
    let path: String
    let owner: FaultInjectingFileSystem
    let epoch: Int

    init(file: any ReadableFile, path: String, owner: FaultInjectingFileSystem, epoch: Int) {
        self.file = file
        self.path = path
        self.owner = owner
        self.epoch = epoch
    }

    func size() throws -> UInt64 {
        try owner.withFile(nil, path, epoch: epoch, name: "fstat") { _, _ in }
        return try file.size()
    }

    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        try owner.withFile(.read, path, epoch: epoch, name: "pread") { _, _ in }
        return try file.read(at: offset, count: count)
    }
}

/// A file opened for writing through a `FaultInjectingFileSystem`: every operation
/// runs under its lock, and syncs and truncations update its crash model.
private final class InjectedWritableFile: WritableFile {
    let file: any WritableFile
    let path: String
    let owner: FaultInjectingFileSystem
    let epoch: Int

    init(file: any WritableFile, path: String, owner: FaultInjectingFileSystem, epoch: Int) {
        self.file = file
        self.path = path
        self.owner = owner
        self.epoch = epoch
    }

    func size() throws -> UInt64 {
        try owner.withFile(nil, path, epoch: epoch, name: "fstat") { _, _ in try file.size() }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try owner.withFile(.write, path, epoch: epoch, name: "write") { fault, _ in
            switch fault {
            case let .shortWrite(count, code)?:
                try file.write(UnsafeRawBufferPointer(rebasing: bytes.prefix(count)))
                throw LSMError.io(operation: "write (injected short write)", path: path, errno: code)
            case let .tornWrite(count)?:
                try file.write(UnsafeRawBufferPointer(rebasing: bytes.prefix(count)))
            case .error?, nil:
                try file.write(bytes)
            }
        }
    }

    func syncData() throws {
        try owner.withFile(.sync, path, epoch: epoch, name: "fdatasync") { _, state in
            try file.syncData()
            state.synced(path, length: try file.size())
        }
    }

    func sync() throws {
        try owner.withFile(.sync, path, epoch: epoch, name: "fsync") { _, state in
            try file.sync()
            state.synced(path, length: try file.size())
        }
    }

    func truncate(to length: UInt64) throws {
        try owner.withFile(.truncate, path, epoch: epoch, name: "ftruncate") { _, state in
            try file.truncate(to: length)
            state.truncated(path, to: length)
        }
    }

    func rewind(to length: UInt64) throws {
        try owner.withFile(.truncate, path, epoch: epoch, name: "ftruncate") { _, state in
            try file.rewind(to: length)
            state.truncated(path, to: length)
        }
    }
}

/// A lock taken through a `FaultInjectingFileSystem`, which releases it at a crash.
private final class InjectedLock: FileLock {
    let lock: any FileLock

    init(_ lock: any FileLock) {
        self.lock = lock
    }

    func release() {
        lock.release()
    }
}
