/// A 1-based line and column (in bytes) of a TOML document.
struct TOMLPosition: Sendable, Equatable, CustomStringConvertible {
    var line: Int
    var column: Int

    var description: String { "\(line):\(column)" }
}

/// A value read from a TOML document together with where it starts, so that a
/// later check (range, allowed values) can point at the exact line.
struct TOMLNode: Sendable, Equatable {
    var value: TOMLValue
    var position: TOMLPosition
}

/// The values of the TOML subset scribe-node reads (see `TOMLParser`).
enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// An inline array `[a, b]`; its elements may be of any type.
    case array([TOMLNode])
    /// A table, from a `[header]`, dotted keys or an inline `{ … }`.
    case table(TOMLTable)
    /// An array of tables built by repeated `[[header]]` sections.
    case tableArray([TOMLNode])

    /// The TOML name of the value's type, for error messages.
    var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        case .tableArray: return "an array of tables"
        }
    }
}

/// A TOML table: keys in the order they were written, each with its node.
///
/// `definition` records how the table came to exist, which decides whether a
/// later header or dotted key may still add to it (TOML forbids defining a table twice).
struct TOMLTable: Sendable, Equatable {
    /// How a table was introduced into the document.
    enum Definition: Sendable, Equatable {
        /// Created only as the parent of a deeper `[a.b]` header; a later `[a]` may define it.
        case implicit
        /// Defined by its own `[header]`.
        case header
        /// Created by a dotted key such as `tls.enabled = true`.
        case dottedKey
        /// Written inline as `{ … }`; closed to any later addition.
        case inline
    }

    var definition: Definition
    private(set) var keys: [String] = []
    private var nodes: [String: TOMLNode] = [:]

    init(definition: Definition) {
        self.definition = definition
    }

    subscript(key: String) -> TOMLNode? {
        get { nodes[key] }
        set {
            if nodes[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            nodes[key] = newValue
        }
    }

    /// The entries in document order.
    var entries: [(key: String, node: TOMLNode)] {
        keys.compactMap { key in nodes[key].map { (key, $0) } }
    }
}
