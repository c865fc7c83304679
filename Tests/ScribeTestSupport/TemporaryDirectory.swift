import Foundation

/// A unique directory `scribe-<label>-<UUID>` under the system's temporary
/// directory, removed with everything in it when the value is released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "test") throws {
        path = NSTemporaryDirectory() + "scribe-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/name`.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `contents` to `name` inside the directory and returns the file's path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    /// The names of the entries in the directory, sorted.
    public var fileNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
}

/// Runs `body` with the path of a fresh temporary directory, removed afterwards.
public func withTemporaryDirectory<R>(_ label: String = "test", _ body: (String) throws -> R) throws -> R {
    let directory = try TemporaryDirectory(label)
    return try withExtendedLifetime(directory) { try body(directory.path) }
}
