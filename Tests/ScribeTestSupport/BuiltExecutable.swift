import Foundation

/// The package's executables (`scribe-kv`, `scribe-bench`, `scribe-node`) as built
/// beside the test bundle, sanitized when the tests are.
public enum BuiltExecutable {
    /// The path of executable `name`: in the test bundle's directory (or the main
    /// bundle's parent, where XCTest runs it from); the first candidate when neither
    /// holds it, so that launching fails naming where it was expected.
    public static func path(_ name: String) -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name).path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}
