/// Why an S3 reply that is well-formed XML is not the document expected.
public enum S3DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The root element is not the one the reply should have.
    case unexpectedRoot(expected: String, found: String)
    /// A required element is absent.
    case missingElement(String)
    /// An element's text is not a valid value (a size that is not a number).
    case invalidValue(element: String, value: String)

    public var description: String {
        switch self {
        case let .unexpectedRoot(expected, found): return "expected <\(expected)>, found <\(found)>"
        case let .missingElement(name): return "missing <\(name)>"
        case let .invalidValue(element, value): return "invalid <\(element)> value \"\(value.prefix(64))\""
        }
    }
}

extension XMLElement {
    /// Throws unless this element's local name is `name`.
    func expectRoot(_ name: String) throws(S3DocumentError) {
        guard localName == name else { throw .unexpectedRoot(expected: name, found: localName) }
    }

    /// The text of the first child named `name`; throws when there is none.
    func requiredText(_ name: String) throws(S3DocumentError) -> String {
        guard let child = child(name) else { throw .missingElement(name) }
        return child.text
    }

    /// The text of the first child named `name` as a boolean (`true`/`false`).
    func boolean(_ name: String) throws(S3DocumentError) -> Bool? {
        guard let text = child(name)?.text else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw .invalidValue(element: name, value: text)
        }
    }
}
