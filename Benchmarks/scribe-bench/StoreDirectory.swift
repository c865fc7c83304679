#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// db_bench's `DestroyDB` for a Scribe store: removes only the files a store
/// owns (`LOCK`, `CURRENT`, `MANIFEST-*`, `*.log`, `*.sst`, `*.tmp`), then the
/// directory if that left it empty, so a mistyped `--db` cannot wipe unrelated
/// files. The engine has no destroy call of its own.
enum StoreDirectory {
    static func destroy(_ path: String) {
        guard let directory = opendir(path) else { return }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            names.append(name)
        }
        closedir(directory)
        for name in names where isStoreFile(name) {
            unlink(path + "/" + name)
        }
        rmdir(path)
    }

    private static func isStoreFile(_ name: String) -> Bool {
        name == "LOCK" || name == "CURRENT" || name.hasPrefix("MANIFEST-")
            || name.hasSuffix(".log") || name.hasSuffix(".sst") || name.hasSuffix(".tmp")
    }
}
