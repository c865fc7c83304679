/// A JSON document as the proof format uses it: objects keep their members in document order,
/// and the only numbers are non-negative integers that fit in a `UInt64` (the format has no
/// use for signs, fractions or exponents, so they are rejected rather than rounded).
public enum JSONValue: Equatable, Sendable {
    /// An object's members in document order. `JSONParser` never produces duplicate keys.
    case object([(key: String, value: JSONValue)])
    /// An array's elements in document order.
    case array([JSONValue])
    /// A string: any Unicode scalars, written as UTF-8.
    case string(String)
    /// A non-negative integer.
    case integer(UInt64)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// Structural equality. Objects are equal only with the same keys in the same order, so
    /// equality is what a byte-for-byte round trip through `JSONWriter` preserves. Strings
    /// compare as Swift strings (canonical equivalence).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.object(left), .object(right)):
            guard left.count == right.count else { return false }
            for (l, r) in zip(left, right) where l.key != r.key || l.value != r.value {
                return false
            }
            return true
        case let (.array(left), .array(right)): return left == right
        case let (.string(left), .string(right)): return left == right
        case let (.integer(left), .integer(right)): return left == right
        case let (.bool(left), .bool(right)): return left == right
        case (.null, .null): return true
        default: return false
        }
    }
}

/// Why `JSONParser` rejected its input, and where.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The byte offset in the input of the first byte that could not be accepted (the input
    /// length when the input ended too early).
    public let offset: Int
    /// What was wrong, in words.
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "JSON error at byte \(offset): \(message)" }
}
