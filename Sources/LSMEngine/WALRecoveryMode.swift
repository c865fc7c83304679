/// How the WAL reader treats damage in the middle of a log (damage followed by
/// valid records). A torn tail — an incomplete final write left by a crash — is
/// never an error in either mode.
public enum WALRecoveryMode: Sendable, Equatable {
    /// Mid-log corruption is an error (default).
    case strict
    /// Mid-log corruption is skipped; each skipped region is reported in `WALReader.skipped`.
    case skipCorruption
}
