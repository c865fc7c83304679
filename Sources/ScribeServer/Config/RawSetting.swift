/// Where a setting's value came from, named in every error about it.
enum SettingOrigin: Sendable, Equatable, CustomStringConvertible {
    /// The built-in default.
    case builtIn
    /// A TOML file, at a line and column.
    case file(path: String, position: TOMLPosition)
    /// A `SCRIBE_*` environment variable.
    case environment(variable: String)
    /// A command-line flag, given as the dotted key it sets.
    case flag(key: String)

    var description: String {
        switch self {
        case .builtIn: return "the built-in default"
        case let .file(path, position): return "\(path):\(position)"
        case let .environment(variable): return "environment variable \(variable)"
        case let .flag(key): return "command-line flag for \(key)"
        }
    }
}

/// One key's value as one layer gave it, not yet checked against the key's type.
struct RawSetting: Sendable, Equatable {
    /// Text comes from the environment, flags and defaults; TOML values from a file.
    enum Value: Sendable, Equatable {
        case text(String)
        case toml(TOMLValue)
    }

    var value: Value
    var origin: SettingOrigin

    /// The value as the user wrote it, for error messages.
    var shown: String {
        switch value {
        case let .text(text): return "\"\(text)\""
        case let .toml(value): return Self.render(value)
        }
    }

    private static func render(_ value: TOMLValue) -> String {
        switch value {
        case let .string(text): return "\"\(text)\""
        case let .integer(integer): return String(integer)
        case let .float(float): return String(float)
        case let .boolean(boolean): return String(boolean)
        case let .array(nodes): return "[" + nodes.map { render($0.value) }.joined(separator: ", ") + "]"
        case .table: return "{ … }"
        case .tableArray: return "[[ … ]]"
        }
    }
}
