import Foundation

/// The repository the tests were built from, for what tests read from the source
/// tree rather than their bundle (docs, the fuzz corpus, the vectors they regenerate).
public enum SourceTree {
    /// The repository root, found from this file's path (`Tests/ScribeTestSupport/`).
    public static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// `root/relative`.
    public static func path(_ relative: String) -> String { root + "/" + relative }
}
