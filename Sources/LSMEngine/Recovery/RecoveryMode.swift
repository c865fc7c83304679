/// How recovery treats damage to data that was acknowledged: a complete WAL or
/// MANIFEST record whose checksum fails, damage followed by valid records, or a
/// segment file holding writes the manifest no longer lists. A torn tail — an
/// incomplete final write a crash left, never acknowledged — is not damage and is
/// dropped in either mode (docs/formats.md, "Torn is not corrupt").
public enum RecoveryMode: Sendable, Equatable {
    /// Damage is an error: the store refuses to open, naming the file and offset (default).
    case strict
    /// Damage is dropped and reported exactly (`RecoveryReport`): a damaged WAL record
    /// is skipped; a damaged MANIFEST record is dropped with every record after it; a
    /// segment the manifest no longer lists is moved to `lost/`. Nothing is deleted:
    /// every dropped byte is kept under `lost/` in the store directory.
    case skipCorruption
}
