/// Severity levels, least severe first (the names of swift-log's levels).
public enum LogLevel: String, Sendable, Equatable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// How log lines are written.
public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    /// For people reading a terminal.
    case text
    /// One JSON object per line, for log collectors.
    case json
}

/// `[logging]`.
public struct LoggingConfiguration: Sendable, Equatable {
    /// Least severe level written.
    public var level: LogLevel = .info
    public var format: LogFormat = .text

    public init(level: LogLevel = .info, format: LogFormat = .text) {
        self.level = level
        self.format = format
    }

    init(reading settings: SettingReader) throws {
        level = try settings.choice("logging.level", as: LogLevel.self)
        format = try settings.choice("logging.format", as: LogFormat.self)
    }
}
