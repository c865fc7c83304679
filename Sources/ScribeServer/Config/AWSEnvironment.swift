/// The standard AWS variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN`, `AWS_REGION` or else `AWS_DEFAULT_REGION`) as fallbacks for
/// the `storage.s3` credentials and region: used only where no layer (file,
/// `SCRIBE_*`, flag) sets the key, reported with their own names as origin, and never
/// enabling S3 by themselves.
///
/// Credentials go as a set: when any layer sets `access_key_id`, `secret_access_key`
/// or `session_token`, none of the three comes from `AWS_*`, so a key from one place
/// is never paired with a secret from another.
enum AWSEnvironment {
    /// The credential keys and the variables that supply them.
    static let credentials: [(key: String, variable: String)] = [
        ("storage.s3.access_key_id", "AWS_ACCESS_KEY_ID"),
        ("storage.s3.secret_access_key", "AWS_SECRET_ACCESS_KEY"),
        ("storage.s3.session_token", "AWS_SESSION_TOKEN"),
    ]

    /// The variables that supply the region, preferred first.
    static let regionVariables = ["AWS_REGION", "AWS_DEFAULT_REGION"]

    /// The fallback settings `environment` gives where `layers` set nothing; empty
    /// variables count as absent.
    static func fallbackSettings(_ environment: [String: String], layers: [[String: RawSetting]])
        -> [String: RawSetting]
    {
        func isSet(_ key: String) -> Bool { layers.contains { $0[key] != nil } }
        func value(_ variable: String) -> RawSetting? {
            guard let text = environment[variable], !text.isEmpty else { return nil }
            return RawSetting(value: .text(text), origin: .environment(variable: variable))
        }
        var settings: [String: RawSetting] = [:]
        if !credentials.contains(where: { isSet($0.key) }) {
            for (key, variable) in credentials { settings[key] = value(variable) }
        }
        if !isSet("storage.s3.region") {
            settings["storage.s3.region"] = regionVariables.lazy.compactMap(value).first
        }
        return settings
    }
}
