public import Logging
import ScribeVerifier

/// A swift-log backend writing one JSON object per line, for log collectors:
///
/// `{"time":"2025-01-31T23:59:59.123Z","level":"info","label":"scribe","message":"...","source":"ScribeServer",`
/// `"error.message":"...","error.type":"...","hb.request.id":"..."}`
///
/// `time` is RFC 3339 in UTC with milliseconds; `level` is swift-log's name (`trace` ...
/// `critical`). `error.message` and `error.type` (the error's description and type, named
/// as swift-log's `StreamLogHandler` names them) appear only when the event carries an
/// error. Metadata (the handler's, then the metadata provider's, then the event's, later
/// ones winning) is flattened into the top-level object with sorted keys: nested
/// dictionaries become dotted keys (`a.b`), arrays stay arrays, every leaf is a string. A
/// metadata key that collides with a fixed field is written as `metadata.<key>`.
///
/// Bootstrap with `LoggingSystem.bootstrap { JSONLogHandler(label: $0) }`. Each event costs
/// building the line in memory and one `write(2)`.
public struct JSONLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let output: LogOutput

    /// Fields every line has (plus the error's), which metadata may not overwrite.
    static let fixedFields: Set<String> = ["time", "level", "label", "message", "source", "error.message", "error.type"]

    public init(
        label: String, level: Logger.Level = .info, output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.logLevel = level
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var line = Array(JSONWriter.write(Self.object(for: event, label: label, metadata: merged), pretty: false).utf8)
        line.append(0x0a)
        output.write(line)
    }

    /// The JSON object of one event.
    static func object(for event: LogEvent, label: String, metadata: Logger.Metadata) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("time", .string(LogTimestamp.now())),
            ("level", .string(event.level.rawValue)),
            ("label", .string(label)),
            ("message", .string(event.message.description)),
            ("source", .string(event.source)),
        ]
        if let error = event.error {
            members.append(("error.message", .string(String(describing: error))))
            members.append(("error.type", .string(String(reflecting: type(of: error)))))
        }
        var flat: [String: JSONValue] = [:]
        for (key, value) in metadata { flatten(value, key: key, into: &flat) }
        for key in flat.keys.sorted() {
            guard let value = flat[key] else { continue }
            members.append((fixedFields.contains(key) ? "metadata.\(key)" : key, value))
        }
        return .object(members)
    }

    /// Adds `value` under `key`, dictionaries as dotted keys.
    private static func flatten(_ value: Logger.MetadataValue, key: String, into flat: inout [String: JSONValue]) {
        if case .dictionary(let nested) = value {
            for (inner, innerValue) in nested { flatten(innerValue, key: "\(key).\(inner)", into: &flat) }
        } else {
            flat[key] = json(value)
        }
    }

    /// A metadata value as JSON: strings, arrays of them, objects with sorted keys.
    private static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let elements): .array(elements.map(json))
        case .dictionary(let members): .object(members.keys.sorted().compactMap { key in members[key].map { (key, json($0)) } })
        }
    }
}
