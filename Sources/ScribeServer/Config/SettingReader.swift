/// The merged settings of every layer (later layers win) with typed accessors
/// that check each value against its key and explain a rejection: key, value,
/// origin and what is allowed.
struct SettingReader {
    private var settings: [String: RawSetting] = [:]
    private let fallbacks: [String: RawSetting]

    /// Merges `layers`, lowest precedence first. `fallbacks` replace built-in defaults
    /// only: they lose to every layer and do not count as set (the standard `AWS_*`
    /// variables give S3 credentials without enabling S3).
    init(layers: [[String: RawSetting]], fallbacks: [String: RawSetting] = [:]) {
        for layer in layers {
            settings.merge(layer) { _, higher in higher }
        }
        self.fallbacks = fallbacks
    }

    /// Whether some layer set `name` (a built-in default or a fallback does not count).
    func isSet(_ name: String) -> Bool {
        settings[name] != nil
    }

    /// The winning setting for `name`, else its fallback, else its built-in default.
    func setting(_ name: String) -> RawSetting {
        settings[name] ?? fallbacks[name]
            ?? RawSetting(value: .text(Self.key(name).defaultValue), origin: .builtIn)
    }

    /// Where the winning value of `name` came from.
    func origin(_ name: String) -> SettingOrigin {
        setting(name).origin
    }

    func string(_ name: String) throws -> String {
        let setting = setting(name)
        switch setting.value {
        case let .text(text), let .toml(.string(text)):
            return text
        case .toml:
            throw invalid(name, setting)
        }
    }

    func boolean(_ name: String) throws -> Bool {
        let setting = setting(name)
        switch setting.value {
        case .text("true"), .toml(.boolean(true)): return true
        case .text("false"), .toml(.boolean(false)): return false
        default: throw invalid(name, setting)
        }
    }

    func integer(_ name: String) throws -> Int {
        let setting = setting(name)
        let parsed: Int64?
        switch setting.value {
        case let .text(text): parsed = TOMLNumberSyntax.integer(text[...])
        case let .toml(.integer(integer)): parsed = integer
        case .toml: parsed = nil
        }
        guard let parsed, case let .integer(range) = Self.key(name).kind, range.contains(parsed),
            let value = Int(exactly: parsed)
        else { throw invalid(name, setting) }
        return value
    }

    func positiveDouble(_ name: String) throws -> Double {
        let setting = setting(name)
        let parsed: Double?
        switch setting.value {
        case let .text(text):
            parsed = TOMLNumberSyntax.float(text[...]) ?? TOMLNumberSyntax.integer(text[...]).map(Double.init)
        case let .toml(.float(float)): parsed = float
        case let .toml(.integer(integer)): parsed = Double(integer)
        case .toml: parsed = nil
        }
        guard let parsed, parsed.isFinite, parsed > 0 else { throw invalid(name, setting) }
        return parsed
    }

    /// A duration string (`"10s"`, `"2ms"`, `"7d"`) within the key's range.
    func duration(_ name: String) throws -> Duration {
        let setting = setting(name)
        guard let text = try? string(name), let parsed = DurationSyntax.parse(text),
            case let .duration(range) = Self.key(name).kind, range.contains(parsed)
        else { throw invalid(name, setting) }
        return parsed
    }

    func choice<Choice: RawRepresentable<String>>(_ name: String, as type: Choice.Type) throws -> Choice {
        let setting = setting(name)
        guard let text = try? string(name), let value = Choice(rawValue: text) else { throw invalid(name, setting) }
        return value
    }

    /// The error for a value that `name` does not accept, with an optional extra reason.
    func invalid(_ name: String, _ setting: RawSetting, _ reason: String? = nil) -> ConfigurationError {
        ConfigurationError(
            key: name,
            message: "invalid \(name) = \(setting.shown) from \(setting.origin): "
                + (reason ?? "must be \(Self.key(name).allowed)"))
    }

    /// An error about `name` whose value is fine alone but not with the others.
    func conflict(_ name: String, _ reason: String) -> ConfigurationError {
        invalid(name, setting(name), reason)
    }

    private static func key(_ name: String) -> ConfigurationKey {
        guard let key = ConfigurationCatalog.key(named: name) else {
            preconditionFailure("\(name) is not in ConfigurationCatalog")
        }
        return key
    }
}
