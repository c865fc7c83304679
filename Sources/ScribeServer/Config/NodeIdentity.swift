/// `[node]`: who this node is and where it keeps its data.
public struct NodeIdentity: Sendable, Equatable {
    /// Name of the node in logs, metrics and (later) cluster membership.
    public var id = "node-1"
    /// Directory of the store, the local object store and the default audit log.
    public var dataDir = "./data"

    public init(id: String = "node-1", dataDir: String = "./data") {
        self.id = id
        self.dataDir = dataDir
    }

    init(reading settings: SettingReader) throws {
        id = try settings.string("node.id")
        dataDir = try settings.string("node.data_dir")
        guard Self.isValidName(id) else {
            throw settings.conflict("node.id", "must be 1 to 64 letters, digits, '.', '_' or '-'")
        }
        guard !dataDir.isEmpty else { throw settings.conflict("node.data_dir", "must not be empty") }
    }

    /// Names of nodes and API keys: 1 to 64 ASCII letters, digits, '.', '_' or '-'.
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }
}
