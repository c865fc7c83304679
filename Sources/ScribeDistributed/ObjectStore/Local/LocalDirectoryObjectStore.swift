import LSMEngine

#if canImport(Glibc)
import Glibc
#endif
import ScribeCrypto

/// Objects as files under a root directory: the embedded default, and a stand-in
/// for S3 in tests. A key's `/` separates subdirectories. Every write goes to a
/// temporary file in the target's directory (its name holds `~`, which no key
/// can, so listings never show it), is fsynced, then linked (`ifAbsent`) or
/// renamed into place, and the directory is fsynced. Blocking file I/O runs on the
/// calling task, as the engine's own file I/O does.
public struct LocalDirectoryObjectStore: ObjectStore {
    public let root: String

    /// A store rooted at `root`, created (with parents) if missing.
    public init(root: String) throws {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        try LocalDirectory.create(root)
        self.root = root
    }

    public var location: String { "file://\(root)" }

    func path(_ key: String) -> String { "\(root)/\(key)" }

    @discardableResult
    public func put(_ key: String, bytes: [UInt8], ifAbsent: Bool) async throws -> ObjectInfo {
        try ObjectKey.validate(key)
        let target = path(key)
        try LocalDirectory.create(LocalDirectory.parent(of: target))
        let temporary = try writeTemporary(for: target) { file throws(ObjectStoreError) in
            try file.write(bytes)
        }
        try publish(temporary, as: target, key: key, ifAbsent: ifAbsent)
        return ObjectInfo(key: key, size: UInt64(bytes.count))
    }

    @discardableResult
    public func putFile(_ key: String, path source: String, ifAbsent: Bool) async throws -> ObjectInfo {
        try ObjectKey.validate(key)
        let target = path(key)
        try LocalDirectory.create(LocalDirectory.parent(of: target))
        let sourceFile = try LocalFile.openForReading(source)
        let size = try sourceFile.size()
        if try linkInPlace(source, as: target, key: key, ifAbsent: ifAbsent) {
            try verify(key: key, size: size, digest: nil)
            return ObjectInfo(key: key, size: size)
        }
        var hasher = SHA256.Hasher()
        let temporary = try writeTemporary(for: target) { file throws(ObjectStoreError) in
            var offset: UInt64 = 0
            while offset < size {
                let chunk = try sourceFile.read(at: offset, count: Self.copyChunk)
                guard !chunk.isEmpty else { break }
                hasher.update(chunk)
                try file.write(chunk)
                offset += UInt64(chunk.count)
            }
        }
        try publish(temporary, as: target, key: key, ifAbsent: ifAbsent)
        try verify(key: key, size: size, digest: hasher.finalize())
        return ObjectInfo(key: key, size: size)
    }

    public func get(_ key: String) async throws -> [UInt8] {
        let file = try open(key)
        return try file.read(at: 0, count: Int(try file.size()))
    }

    public func get(_ key: String, range: Range<UInt64>) async throws -> [UInt8] {
        let file = try open(key)
        let size = try file.size()
        guard range.lowerBound < size else { return [] }
        return try file.read(at: range.lowerBound, count: Int(min(range.upperBound, size) - range.lowerBound))
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        try ObjectKey.validate(key)
        var info = stat()
        guard stat(path(key), &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw LocalFile.error("stat", path(key))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }
        return ObjectInfo(key: key, size: UInt64(info.st_size))
    }

    public func list(prefix: String, startAfter: String?) async throws -> [ObjectInfo] {
        try ObjectKey.validatePrefix(prefix)
        // Only the subtree that can hold the prefix is walked.
        let base = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? ""
        var keys: [String] = []
        try walk(base, into: &keys)
        keys = keys.filter { key in key.hasPrefix(prefix) && startAfter.map { key > $0 } ?? true }.sorted()
        var result: [ObjectInfo] = []
        for key in keys {
            if let info = try await head(key) { result.append(info) }
        }
        return result
    }

    public func delete(_ key: String) async throws {
        try ObjectKey.validate(key)
        let target = path(key)
        guard unlink(target) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw LocalFile.error("unlink", target)
        }
        try LocalDirectory.sync(LocalDirectory.parent(of: target))
    }

    /// Bytes read and written at a time when copying a file.
    static let copyChunk = 1 << 20

    private func open(_ key: String) throws(ObjectStoreError) -> LocalFile {
        try ObjectKey.validate(key)
        guard let file = try LocalFile.openForReadingIfExists(path(key)) else { throw .notFound(key: key) }
        return file
    }

    /// Keys of the files under `relative` (a directory relative to the root, "" for the root).
    private func walk(_ relative: String, into keys: inout [String]) throws(ObjectStoreError) {
        let directory = relative.isEmpty ? root : path(relative)
        for entry in try LocalDirectory.entries(directory) where !entry.name.contains("~") {
            let key = relative.isEmpty ? entry.name : relative + "/" + entry.name
            switch entry.kind {
            case .file: keys.append(key)
            case .directory: try walk(key, into: &keys)
            case .other: continue
            }
        }
    }

    /// A new temporary file beside `target`, filled by `fill` and fsynced; its path.
    private func writeTemporary(
        for target: String, _ fill: (LocalFile) throws(ObjectStoreError) -> Void
    ) throws(ObjectStoreError) -> String {
        let temporary = "\(target)~\(UInt64.random(in: 0...UInt64.max))"
        let file = try LocalFile.createNew(temporary)
        do {
            try fill(file)
            try file.sync()
        } catch {
            unlink(temporary)
            throw error
        }
        return temporary
    }

    /// Moves `temporary` to `target`: a hard link that fails on an existing target
    /// (`ifAbsent`) or an atomic rename; then fsyncs the directory.
    private func publish(_ temporary: String, as target: String, key: String, ifAbsent: Bool) throws(ObjectStoreError) {
        defer { if ifAbsent { unlink(temporary) } }
        if ifAbsent {
            guard link(temporary, target) == 0 else {
                if errno == EEXIST { throw .alreadyExists(key: key) }
                throw LocalFile.error("link", target)
            }
        } else {
            guard rename(temporary, target) == 0 else {
                let error = LocalFile.error("rename", target)
                unlink(temporary)
                throw error
            }
        }
        try LocalDirectory.sync(LocalDirectory.parent(of: target))
    }

    /// Hard-links `source` as `target` (segments are immutable, so the link shares
    /// their blocks safely). Returns false when linking is impossible here (another
    /// file system, links not permitted), so the caller copies instead.
    private func linkInPlace(_ source: String, as target: String, key: String, ifAbsent: Bool) throws(ObjectStoreError) -> Bool {
        let linkPath = ifAbsent ? target : "\(target)~\(UInt64.random(in: 0...UInt64.max))"
        guard link(source, linkPath) == 0 else {
            switch errno {
            case EEXIST where ifAbsent: throw .alreadyExists(key: key)
            case EXDEV, EPERM, EMLINK, ENOTSUP: return false
            default: throw LocalFile.error("link", linkPath)
            }
        }
        if !ifAbsent {
            guard rename(linkPath, target) == 0 else {
                let error = LocalFile.error("rename", target)
                unlink(linkPath)
                throw error
            }
        }
        try LocalDirectory.sync(LocalDirectory.parent(of: target))
        return true
    }

    /// Checks the stored file's size, and its SHA-256 when `digest` is given.
    private func verify(key: String, size: UInt64, digest: [UInt8]?) throws(ObjectStoreError) {
        let file = try LocalFile.openForReading(path(key))
        let stored = try file.size()
        guard stored == size else {
            throw .verificationFailed(key: key, reason: "stored \(stored) bytes, expected \(size)")
        }
        guard let digest else { return }
        var hasher = SHA256.Hasher()
        var offset: UInt64 = 0
        while offset < stored {
            let chunk = try file.read(at: offset, count: Self.copyChunk)
            guard !chunk.isEmpty else { break }
            hasher.update(chunk)
            offset += UInt64(chunk.count)
        }
        guard hasher.finalize() == digest else {
            throw .verificationFailed(key: key, reason: "stored SHA-256 differs from the source file's")
        }
    }
}
