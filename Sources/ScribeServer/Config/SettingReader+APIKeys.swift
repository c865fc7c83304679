import Foundation

extension SettingReader {
    /// The API key list: from a file, an array of `{ name, sha256, role }` tables
    /// (`[[security.api_keys]]` sections or an inline array); from the environment
    /// or a flag, `name:role:sha256` entries separated by commas (empty for none).
    /// Each entry is checked, and names and hashes must be unique.
    func apiKeys(_ name: String) throws -> [APIKeyEntry] {
        let setting = setting(name)
        var entries: [(entry: APIKeyEntry, origin: SettingOrigin)] = []
        switch setting.value {
        case let .text(text):
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = item.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty, text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                let fields = trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 3 else {
                    throw invalid(name, setting, "entry \"\(trimmed)\" must be name:role:sha256")
                }
                let entry = try checkedEntry(
                    name: fields[0], role: fields[1], sha256: fields[2], key: name, setting: setting)
                entries.append((entry, setting.origin))
            }
        case let .toml(.tableArray(nodes)), let .toml(.array(nodes)):
            for node in nodes {
                let origin = fileOrigin(setting.origin, node.position)
                entries.append((try entry(from: node, key: name, setting: setting, origin: origin), origin))
            }
        case .toml:
            throw invalid(name, setting)
        }
        for (index, current) in entries.enumerated() {
            for earlier in entries[..<index] {
                if earlier.entry.name == current.entry.name {
                    throw ConfigurationError(
                        key: name,
                        message: "invalid \(name): the name \"\(current.entry.name)\" at \(current.origin) is "
                            + "already used at \(earlier.origin); API key names must be unique")
                }
                if earlier.entry.sha256 == current.entry.sha256 {
                    throw ConfigurationError(
                        key: name,
                        message: "invalid \(name): key \"\(current.entry.name)\" at \(current.origin) has the same "
                            + "sha256 as \"\(earlier.entry.name)\" at \(earlier.origin); every key must be different")
                }
            }
        }
        return entries.map(\.entry)
    }

    private func entry(from node: TOMLNode, key: String, setting: RawSetting, origin: SettingOrigin) throws
        -> APIKeyEntry
    {
        let located = RawSetting(value: .toml(node.value), origin: origin)
        guard case let .table(table) = node.value else {
            throw invalid(key, located, "each entry must be a table { name, sha256, role }")
        }
        var fields: [String: String] = [:]
        for (field, fieldNode) in table.entries {
            let fieldOrigin = fileOrigin(origin, fieldNode.position)
            guard ["name", "sha256", "role"].contains(field) else {
                throw ConfigurationError(
                    key: "\(key).\(field)",
                    message: "unknown key \(key).\(field) at \(fieldOrigin); an API key has name, sha256 and role")
            }
            guard case let .string(text) = fieldNode.value else {
                throw invalid(
                    key, RawSetting(value: .toml(fieldNode.value), origin: fieldOrigin), "\(field) must be a string")
            }
            fields[field] = text
        }
        for field in ["name", "sha256", "role"] where fields[field] == nil {
            throw invalid(key, located, "the entry has no \(field)")
        }
        return try checkedEntry(
            name: fields["name"] ?? "", role: fields["role"] ?? "", sha256: fields["sha256"] ?? "", key: key,
            setting: located)
    }

    private func checkedEntry(name: String, role: String, sha256: String, key: String, setting: RawSetting) throws
        -> APIKeyEntry
    {
        guard NodeIdentity.isValidName(name) else {
            throw invalid(key, setting, "name \"\(name)\" must be 1 to 64 letters, digits, '.', '_' or '-'")
        }
        guard let parsedRole = Role(rawValue: role) else {
            throw invalid(
                key, setting,
                "role \"\(role)\" of \"\(name)\" must be one of "
                    + Role.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        let isLowercaseHex = sha256.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
        }
        guard sha256.utf8.count == 64, isLowercaseHex else {
            throw invalid(
                key, setting,
                "sha256 \"\(sha256)\" of \"\(name)\" must be 64 lowercase hex digits (the SHA-256 of the key, "
                    + "e.g. from `printf %s KEY | sha256sum`)")
        }
        return APIKeyEntry(name: name, sha256: sha256, role: parsedRole)
    }

    /// The origin of a part of a file value: same file, the part's own position.
    private func fileOrigin(_ origin: SettingOrigin, _ position: TOMLPosition) -> SettingOrigin {
        if case let .file(path, _) = origin { return .file(path: path, position: position) }
        return origin
    }
}
