/// One element of a parsed XML document: its name as written, the character data
/// directly inside it (entities decoded, chunks between children concatenated) and
/// its child elements in document order. Attributes are not kept.
public struct XMLElement: Sendable, Equatable {
    /// The qualified name (`Key`, `s3:Key`).
    public var name: String
    public var text: String
    public var children: [XMLElement]

    public init(name: String, text: String = "", children: [XMLElement] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// The name without a namespace prefix (`s3:Key` → `Key`).
    public var localName: String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// The first child whose local name is `name`.
    public func child(_ name: String) -> XMLElement? {
        children.first { $0.localName == name }
    }

    /// Every child whose local name is `name`, in document order.
    public func children(named name: String) -> [XMLElement] {
        children.filter { $0.localName == name }
    }
}
