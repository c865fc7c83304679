import Foundation

/// Reads a TOML configuration file into settings keyed by dotted name, with
/// every value's line and column. Unknown tables and keys are errors naming the
/// key, the file position and the keys that are known there.
enum ConfigurationFile {
    /// Reads and parses `path`. Throws when the file cannot be read, is not valid
    /// TOML (of the supported subset) or holds a key scribe-node does not know.
    static func read(path: String) throws -> [String: RawSetting] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(key: nil, message: "cannot read the configuration file \(path)")
        }
        return try settings(fromTOML: Array(data), path: path)
    }

    /// Parses TOML bytes; `path` labels the origins and errors.
    static func settings(fromTOML bytes: [UInt8], path: String) throws -> [String: RawSetting] {
        let document = try TOMLParser.parse(bytes, fileName: path)
        var settings: [String: RawSetting] = [:]
        try collect(document, prefix: "", path: path, into: &settings)
        return settings
    }

    private static func collect(
        _ table: TOMLTable, prefix: String, path: String, into settings: inout [String: RawSetting]
    ) throws {
        for (key, node) in table.entries {
            let name = prefix.isEmpty ? key : prefix + "." + key
            let origin = SettingOrigin.file(path: path, position: node.position)
            if ConfigurationCatalog.key(named: name) != nil {
                settings[name] = RawSetting(value: .toml(node.value), origin: origin)
                continue
            }
            if prefix == "cluster" {
                throw ConfigurationError(
                    key: name,
                    message: "unknown key \(name) at \(origin): cluster settings arrive with the cluster issue; "
                        + "leave [cluster] empty for now")
            }
            if ConfigurationCatalog.tables.contains(name) {
                guard case let .table(child) = node.value else {
                    throw ConfigurationError(
                        key: name, message: "\(name) at \(origin) must be a table ([\(name)]), not \(node.value.typeName)")
                }
                try collect(child, prefix: name, path: path, into: &settings)
                continue
            }
            throw unknownKey(name, table: prefix, origin: origin)
        }
    }

    private static func unknownKey(_ name: String, table: String, origin: SettingOrigin) -> ConfigurationError {
        let known: [String]
        if table.isEmpty {
            known = ConfigurationCatalog.tables.filter { !$0.contains(".") }.sorted().map { "[\($0)]" }
        } else {
            let subtables = ConfigurationCatalog.tables
                .filter { $0.hasPrefix(table + ".") && !$0.dropFirst(table.count + 1).contains(".") }
                .map { "[\($0)]" }
            known = ConfigurationCatalog.keyNames(inTable: table) + subtables.sorted()
        }
        let place = table.isEmpty ? "at the top level" : "in [\(table)]"
        return ConfigurationError(
            key: name,
            message: "unknown key \(name) at \(origin); known \(place): \(known.joined(separator: ", "))")
    }
}
