import Foundation
import ScribeTestSupport
import Testing

@testable import ScribeServer

/// Loads a configuration from `toml` (written to a temporary `config.toml`, or
/// no file when nil), `environment` and `flags`.
func loadConfiguration(
    toml: String? = nil, environment: [String: String] = [:], flags: [String: String] = [:]
) throws -> NodeConfiguration {
    let directory = try TemporaryDirectory()
    let file = try toml.map { try directory.write("config.toml", $0) }
    return try ConfigurationLoader.load(configFile: file, environment: environment, flags: flags)
}

/// The error loading throws, or nil (recorded as an issue) when loading succeeds.
func configurationError(
    toml: String? = nil, environment: [String: String] = [:], flags: [String: String] = [:],
    sourceLocation: SourceLocation = #_sourceLocation
) -> ConfigurationError? {
    do {
        _ = try loadConfiguration(toml: toml, environment: environment, flags: flags)
        Issue.record("expected a ConfigurationError", sourceLocation: sourceLocation)
        return nil
    } catch let error as ConfigurationError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Expects loading to fail with a message containing every fragment.
func expectConfigurationError(
    toml: String? = nil, environment: [String: String] = [:], flags: [String: String] = [:],
    mentions fragments: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
    guard
        let error = configurationError(
            toml: toml, environment: environment, flags: flags, sourceLocation: sourceLocation)
    else { return }
    for fragment in fragments {
        #expect(
            error.message.contains(fragment), "\"\(fragment)\" missing from: \(error.message)",
            sourceLocation: sourceLocation)
    }
}

/// Parses TOML text with the configuration's parser.
func parseTOML(_ text: String) throws -> TOMLTable {
    try TOMLParser.parse(Array(text.utf8), fileName: "test.toml")
}

/// The syntax error the parser reports for `text`, or nil (recorded as an issue).
func tomlError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    do {
        _ = try TOMLParser.parse(Array(text.utf8), fileName: "test.toml")
        Issue.record("expected a syntax error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return String(describing: error)
    }
}

let sampleHashA = String(repeating: "a", count: 64)
let sampleHashB = String(repeating: "0123456789abcdef", count: 4)
