/// Reads the two override layers, `SCRIBE_*` environment variables and
/// command-line flags, into settings keyed by dotted name.
enum ConfigurationOverrides {
    /// Variables that start with `SCRIBE_` but are not configuration keys:
    /// `SCRIBE_CONFIG` names the configuration file; the others belong to the
    /// project's build and tests.
    static let reservedEnvironmentVariables: Set<String> = ["SCRIBE_CONFIG", "SCRIBE_FUZZ", "SCRIBE_WRITE_VECTORS"]

    /// The settings given by `SCRIBE_*` variables. Any other `SCRIBE_*` variable
    /// is an error (a typo must not be silently ignored).
    static func environmentSettings(_ environment: [String: String]) throws -> [String: RawSetting] {
        var settings: [String: RawSetting] = [:]
        for (variable, value) in environment.sorted(by: { $0.key < $1.key })
        where variable.hasPrefix("SCRIBE_") && !reservedEnvironmentVariables.contains(variable) {
            guard let key = ConfigurationCatalog.key(environmentVariable: variable) else {
                throw ConfigurationError(
                    key: nil,
                    message: "unknown environment variable \(variable): every SCRIBE_ variable must name a "
                        + "configuration key (SCRIBE_ + the dotted key upper-cased with '.' as '_', such as "
                        + "SCRIBE_NETWORK_CLIENT_PORT); see docs/configuration.md")
            }
            settings[key.name] = RawSetting(value: .text(value), origin: .environment(variable: variable))
        }
        return settings
    }

    /// The settings given on the command line as dotted key → raw text.
    static func flagSettings(_ flags: [String: String]) throws -> [String: RawSetting] {
        var settings: [String: RawSetting] = [:]
        for (name, value) in flags {
            guard ConfigurationCatalog.key(named: name) != nil else {
                throw ConfigurationError(
                    key: name,
                    message: "unknown configuration key \(name) given on the command line; "
                        + "`scribe-node --help` lists the keys")
            }
            settings[name] = RawSetting(value: .text(value), origin: .flag(key: name))
        }
        return settings
    }
}
