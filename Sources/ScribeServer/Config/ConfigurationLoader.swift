/// Builds a `NodeConfiguration` from its four layers, each overriding the one
/// before: built-in defaults < TOML file < `SCRIBE_*` environment variables <
/// command-line flags. Every key's environment variable is `SCRIBE_` followed by
/// its dotted name upper-cased with `.` replaced by `_`
/// (`network.client_port` → `SCRIBE_NETWORK_CLIENT_PORT`). The standard `AWS_*`
/// variables stand in for the S3 credentials and region that no layer sets (`AWSEnvironment`).
public enum ConfigurationLoader {
    /// Loads and validates the configuration.
    ///
    /// - Parameters:
    ///   - configFile: the TOML file (`--config`); when nil, `SCRIBE_CONFIG` from
    ///     `environment` names it, and without either no file is read.
    ///   - environment: the process environment; unknown `SCRIBE_*` variables are errors;
    ///     `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and
    ///     `AWS_REGION`/`AWS_DEFAULT_REGION` are read as fallbacks.
    ///   - flags: dotted key → value as typed on the command line (`--port 9000`
    ///     arrives as `network.client_port: "9000"`); unknown keys are errors.
    /// - Throws: `ConfigurationError` naming the key, the value, its origin and what is allowed.
    public static func load(configFile: String?, environment: [String: String], flags: [String: String]) throws
        -> NodeConfiguration
    {
        var layers: [[String: RawSetting]] = []
        if let path = configFile ?? environment["SCRIBE_CONFIG"] {
            layers.append(try ConfigurationFile.read(path: path))
        }
        layers.append(try ConfigurationOverrides.environmentSettings(environment))
        layers.append(try ConfigurationOverrides.flagSettings(flags))
        return try NodeConfiguration(
            reading: SettingReader(layers: layers, fallbacks: AWSEnvironment.fallbackSettings(environment, layers: layers)))
    }

    /// Every key with its default (in command-line syntax) and help text, in
    /// documentation order: drives `--help` and `docs/configuration.md`.
    public static var allKeys: [(key: String, defaultValue: String, help: String)] {
        ConfigurationCatalog.keys.map { ($0.name, $0.defaultValue, $0.help) }
    }

    /// The environment variable that sets `key`, or nil for an unknown key.
    public static func environmentVariable(for key: String) -> String? {
        ConfigurationCatalog.key(named: key)?.environmentVariable
    }
}
