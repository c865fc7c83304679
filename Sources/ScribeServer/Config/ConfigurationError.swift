/// Why a configuration could not be loaded. The message is meant for the person
/// starting the node: it names the key, the rejected value, where the value came
/// from (file and line, environment variable or command-line flag) and what is allowed.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The dotted key concerned (`network.client_port`), or nil for a syntax error
    /// in the file that is not about one key.
    public let key: String?
    /// The complete human-readable explanation.
    public let message: String

    public init(key: String?, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { message }

    /// A syntax error at a position of a TOML file.
    static func syntax(file: String, at position: TOMLPosition, _ reason: String) -> ConfigurationError {
        ConfigurationError(key: nil, message: "\(file):\(position): \(reason)")
    }
}
