import LSMEngine

/// When a write is acknowledged, unless a request asks otherwise (`X-Scribe-Durability`).
public enum Durability: String, Sendable, Equatable, CaseIterable {
    /// After the WAL bytes are `fdatasync`ed on this node: survives a power loss.
    case local
    /// Once the bytes are in the OS page cache: survives a process crash, not a power loss.
    case buffered
    /// After the local `fdatasync` and once the WAL batch is an object in the object
    /// store: survives the loss of the node and its disk. Needs an object store.
    case replicated

    /// The older name of `local`, accepted in configuration and in the header.
    public static let localAlias = "synced"

    /// Every spelling accepted, for messages and the configuration catalogue.
    public static let acceptedNames = allCases.map(\.rawValue) + [localAlias]

    /// The mode a name denotes: a case's raw value, or `synced` for `local`.
    public init?(rawValue: String) {
        switch rawValue {
        case "local", Self.localAlias: self = .local
        case "buffered": self = .buffered
        case "replicated": self = .replicated
        default: return nil
        }
    }

    /// The engine's write options for this mode: every mode but `buffered` syncs the
    /// local WAL (a `replicated` write is locally durable before it is shipped).
    public var writeOptions: WriteOptions {
        self == .buffered ? .buffered : .synced
    }
}
