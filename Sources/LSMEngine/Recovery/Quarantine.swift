/// The store directory's `lost/`: where recovery puts what it will not use instead of
/// deleting it — segment files the manifest does not list but that hold writes the
/// store lacks, files that do not parse, WAL files whose damage was skipped, and the
/// bytes cut off a MANIFEST. An operator (or `scribe-kv dump-segment`) can inspect
/// them; the engine never reads them again.
struct Quarantine {
    static let directoryName = "lost"

    /// The store directory.
    let directory: String
    /// What the moves and copies go through (the store's).
    let fileSystem: any FileSystem

    /// Moves `name` from the store directory into `lost/`, under a name not taken
    /// there yet, and makes the move durable. Returns the new path relative to the store.
    func move(_ name: String) throws -> String {
        let target = try freeName(for: name)
        try fileSystem.rename(directory + "/" + name, to: directory + "/" + target)
        try fileSystem.syncDirectory(directory + "/" + Self.directoryName)
        try fileSystem.syncDirectory(directory)
        return target
    }

    /// Writes `bytes` (what is about to be cut off a file) as a new file in `lost/`
    /// named after `name`. Returns its path relative to the store.
    func preserve(_ bytes: [UInt8], as name: String) throws -> String {
        let target = try freeName(for: name)
        let handle = try fileSystem.create(directory + "/" + target)
        try handle.write(bytes)
        try handle.sync()
        try fileSystem.syncDirectory(directory + "/" + Self.directoryName)
        return target
    }

    /// `lost/name`, or `lost/name.1`, `.2`, … when taken; creates `lost/` if needed.
    private func freeName(for name: String) throws -> String {
        let lost = directory + "/" + Self.directoryName
        if !fileSystem.isDirectory(lost) {
            try fileSystem.createDirectory(lost)
            try fileSystem.syncDirectory(directory)
        }
        var candidate = Self.directoryName + "/" + name
        var suffix = 0
        while fileSystem.fileExists(directory + "/" + candidate) {
            suffix += 1
            candidate = Self.directoryName + "/" + name + "." + String(suffix)
        }
        return candidate
    }
}
