/// Why a parsed proof document does not have the shape the proof format requires.
public struct ProofDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The full path of the offending field, e.g. `latest.segments[2].probe.before.sequence`.
    public let path: String
    /// What was wrong, e.g. `expected an integer`.
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Typed access to the members of one JSON object, for decoding proofs. Every failure is a
/// `ProofDecodingError` naming the full path of the field, so a user can find it in the file.
///
/// Lookups scan the members linearly: proof objects have a handful of fields.
public struct JSONObjectReader: Sendable {
    /// The path of this object in the document (empty for the top level).
    public let path: String
    /// The object's members, in document order.
    public let members: [(key: String, value: JSONValue)]

    /// A reader of `value`, which must be an object; `path` names it in errors.
    public init(_ value: JSONValue, path: String) throws {
        guard case .object(let members) = value else {
            throw ProofDecodingError(path: path, message: "expected an object")
        }
        self.path = path
        self.members = members
    }

    /// The path of the member `key`: `path.key`, or just `key` at the top level.
    public func path(of key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// Whether the object has a member `key` (even one whose value is null).
    public func has(_ key: String) -> Bool {
        members.contains { $0.key == key }
    }

    /// The value of the member `key`, or nil when it is absent.
    public func optionalValue(_ key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    /// The value of the member `key`; throws "missing field" when it is absent.
    public func value(_ key: String) throws -> JSONValue {
        guard let value = optionalValue(key) else {
            throw ProofDecodingError(path: path(of: key), message: "missing field")
        }
        return value
    }

    /// The string member `key`.
    public func string(_ key: String) throws -> String {
        guard case .string(let text) = try value(key) else { throw mismatch(key, "a string") }
        return text
    }

    /// The integer member `key`.
    public func integer(_ key: String) throws -> UInt64 {
        guard case .integer(let number) = try value(key) else { throw mismatch(key, "an integer") }
        return number
    }

    /// The boolean member `key`.
    public func bool(_ key: String) throws -> Bool {
        guard case .bool(let flag) = try value(key) else { throw mismatch(key, "a boolean") }
        return flag
    }

    /// The array member `key`.
    public func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let elements) = try value(key) else { throw mismatch(key, "an array") }
        return elements
    }

    /// The array member `key`, whose elements must all be objects; element `i` reads with
    /// the path `path.key[i]`.
    public func objects(_ key: String) throws -> [JSONObjectReader] {
        let arrayPath = path(of: key)
        return try array(key).enumerated().map { index, element in
            try JSONObjectReader(element, path: "\(arrayPath)[\(index)]")
        }
    }

    /// The object member `key`.
    public func object(_ key: String) throws -> JSONObjectReader {
        try JSONObjectReader(value(key), path: path(of: key))
    }

    /// The object member `key`, or nil when it is absent or explicitly null.
    public func optionalObject(_ key: String) throws -> JSONObjectReader? {
        guard let value = optionalValue(key), value != .null else { return nil }
        return try JSONObjectReader(value, path: path(of: key))
    }

    /// Throws for the first member (in document order) whose key is not in `allowed`.
    public func rejectUnknownKeys(allowed: Set<String>) throws {
        if let unknown = members.first(where: { !allowed.contains($0.key) }) {
            throw ProofDecodingError(path: path(of: unknown.key), message: "unknown field")
        }
    }

    /// The error for member `key` having the wrong type.
    private func mismatch(_ key: String, _ expected: String) -> ProofDecodingError {
        ProofDecodingError(path: path(of: key), message: "expected \(expected)")
    }
}
