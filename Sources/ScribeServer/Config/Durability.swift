import LSMEngine

/// When a write is acknowledged, unless a request asks otherwise.
public enum Durability: String, Sendable, Equatable, CaseIterable {
    /// After the WAL bytes are `fdatasync`ed: survives a power loss.
    case synced
    /// Once the bytes are in the OS page cache: survives a process crash, not a power loss.
    case buffered

    /// The engine's write options for this mode.
    public var writeOptions: WriteOptions {
        switch self {
        case .synced: return .synced
        case .buffered: return .buffered
        }
    }
}
