import Foundation

/// The description of one configuration key: its dotted name, the type and
/// range of its values, its default (as it would be written on the command
/// line) and its help text. The catalogue of these (`ConfigurationCatalog`)
/// drives parsing, the environment-variable mapping, `--help` and the docs.
struct ConfigurationKey: Sendable {
    /// The values a key accepts.
    enum Kind: Sendable {
        case string
        case boolean
        /// An integer in the closed range.
        case integer(ClosedRange<Int64>)
        /// A finite float greater than zero.
        case positiveDouble
        /// One of the listed strings.
        case choice([String])
        /// A duration in the closed range, written as a number and a unit (`DurationSyntax`).
        case duration(ClosedRange<Duration>)
        /// The API key list: an array of tables in a file, `name:role:sha256,…` as text.
        case apiKeys
    }

    /// The dotted name, such as `network.client_port`.
    let name: String
    let kind: Kind
    /// The default in command-line syntax; parsing it must give the built-in default.
    let defaultValue: String
    let help: String

    /// `SCRIBE_` + the dotted name upper-cased with `.` replaced by `_`.
    var environmentVariable: String {
        "SCRIBE_" + name.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// The table the key lives in (`storage.s3` for `storage.s3.bucket`).
    var table: String {
        name.split(separator: ".").dropLast().joined(separator: ".")
    }

    /// The TOML type, for the documentation.
    var typeName: String {
        switch kind {
        case .string, .choice: return "string"
        case .duration: return "duration"
        case .boolean: return "boolean"
        case .integer: return "integer"
        case .positiveDouble: return "float"
        case .apiKeys: return "array of tables"
        }
    }

    /// What is allowed, phrased to end a sentence: "must be \(allowed)".
    var allowed: String {
        switch kind {
        case .string: return "a string"
        case .boolean: return "true or false"
        case let .integer(range): return "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .positiveDouble: return "a number greater than 0"
        case let .choice(values): return "one of " + values.map { "\"\($0)\"" }.joined(separator: ", ")
        case let .duration(range):
            return "a duration such as \"250ms\", \"10s\" or \"7d\" (units us, ms, s, m, h, d) from "
                + "\(DurationSyntax.format(range.lowerBound)) to \(DurationSyntax.format(range.upperBound))"
        case .apiKeys:
            return "a list of { name, sha256, role } tables in the file, or name:role:sha256 entries separated by commas"
        }
    }
}
