#if canImport(Glibc)
import Glibc
#endif

/// The directory operations `LocalDirectoryObjectStore` needs, on paths, with
/// failures as `ObjectStoreError.io`.
enum LocalDirectory {
    /// Creates `path` and any missing parents, fsyncing each parent that gained an
    /// entry, so a new directory survives a crash once a file in it is synced.
    static func create(_ path: String) throws(ObjectStoreError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            let parent = current.isEmpty ? "/" : current
            current += "/" + component
            if mkdir(current, 0o755) == 0 {
                try sync(parent)
            } else if errno != EEXIST {
                throw LocalFile.error("mkdir", current)
            }
        }
    }

    /// fsync of the directory itself, making renames, links and unlinks in it durable.
    static func sync(_ path: String) throws(ObjectStoreError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw LocalFile.error("open", path) }
        defer { close(descriptor) }
        while fsync(descriptor) != 0 {
            if errno != EINTR { throw LocalFile.error("fsync", path) }
        }
    }

    /// The directory part of `path` (`/a/b/c` → `/a/b`).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// What a directory entry is.
    enum EntryKind {
        case file
        case directory
        case other
    }

    /// The entries of directory `path` (without `.` and `..`), or none when it does
    /// not exist.
    static func entries(_ path: String) throws(ObjectStoreError) -> [(name: String, kind: EntryKind)] {
        guard let directory = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw LocalFile.error("opendir", path)
        }
        defer { closedir(directory) }
        var result: [(name: String, kind: EntryKind)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            result.append((name, kind(Int32(entry.pointee.d_type), path: path + "/" + name)))
        }
        return result
    }

    private static func kind(_ type: Int32, path: String) -> EntryKind {
        switch type {
        case Int32(DT_REG): return .file
        case Int32(DT_DIR): return .directory
        case Int32(DT_UNKNOWN):
            var info = stat()
            guard lstat(path, &info) == 0 else { return .other }
            switch info.st_mode & S_IFMT {
            case S_IFREG: return .file
            case S_IFDIR: return .directory
            default: return .other
            }
        default: return .other
        }
    }
}
