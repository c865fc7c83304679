/// The store directory's `lost/`: where recovery puts what it will not use instead of
/// deleting it — segment files the manifest does not list but that hold writes the
/// store lacks, files that do not parse, WAL files whose damage was skipped, and the
/// bytes cut off a MANIFEST. An operator (or `scribe-kv dump-segment`) can inspect
/// them; the engine never reads them again.
enum Quarantine {
    static let directoryName = "lost"

    /// Moves `name` from the store `directory` into `lost/`, under a name not taken
    /// there yet, and makes the move durable. Returns the new path relative to the store.
    static func move(_ name: String, in directory: String) throws -> String {
        let target = try freeName(for: name, in: directory)
        try FileSystem.rename(directory + "/" + name, to: directory + "/" + target)
        try FileSystem.syncDirectory(directory + "/" + directoryName)
        try FileSystem.syncDirectory(directory)
        return target
    }

    /// Writes `bytes` (what is about to be cut off a file) as a new file in `lost/`
    /// named after `name`. Returns its path relative to the store.
    static func preserve(_ bytes: [UInt8], as name: String, in directory: String) throws -> String {
        let target = try freeName(for: name, in: directory)
        let handle = try FileHandle.create(directory + "/" + target)
        try handle.write(bytes)
        try handle.sync()
        try FileSystem.syncDirectory(directory + "/" + directoryName)
        return target
    }

    /// `lost/name`, or `lost/name.1`, `.2`, … when taken; creates `lost/` if needed.
    private static func freeName(for name: String, in directory: String) throws -> String {
        let lost = directory + "/" + directoryName
        if !FileSystem.isDirectory(lost) {
            try FileSystem.createDirectory(lost)
            try FileSystem.syncDirectory(directory)
        }
        var candidate = directoryName + "/" + name
        var suffix = 0
        while FileSystem.fileExists(directory + "/" + candidate) {
            suffix += 1
            candidate = directoryName + "/" + name + "." + String(suffix)
        }
        return candidate
    }
}
