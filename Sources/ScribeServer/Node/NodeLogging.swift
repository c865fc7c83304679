public import Logging

/// Sets up swift-log for the process from `[logging]`.
public enum NodeLogging {
    /// Bootstraps the logging system (once per process) and returns the node's logger.
    public static func bootstrap(_ configuration: LoggingConfiguration) -> Logger {
        let level = Logger.Level(rawValue: configuration.level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            switch configuration.format {
            case .json:
                return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        var logger = Logger(label: "scribe-node")
        logger.logLevel = Logger.Level(rawValue: configuration.level.rawValue) ?? .info
        return logger
    }
}
