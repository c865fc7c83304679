/// A small strict XML reader for S3 replies: UTF-8 documents of elements and
/// character data. It decodes the five predefined entities and numeric character
/// references and CDATA sections; it skips the XML declaration, processing
/// instructions, comments and attributes (still checking their syntax). Document
/// type declarations are refused (no entity can be defined, so none can expand).
/// Any malformed input, invalid UTF-8 or nesting deeper than `maxDepth` throws
/// `XMLError`; nothing an input contains can trap. One pass, linear in the input.
public struct XMLReader {
    /// Nesting S3 documents never approach (ListObjectsV2 is three levels deep).
    public static let defaultMaxDepth = 32

    /// The root element of `bytes`.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(XMLError) -> XMLElement {
        var reader = XMLReader(bytes: bytes, maxDepth: maxDepth)
        return try reader.document()
    }

    let bytes: [UInt8]
    let maxDepth: Int
    var position = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// An element being read: its name, its character data so far and its children.
    struct OpenElement {
        var name: String
        var text: [UInt8] = []
        var children: [XMLElement] = []
    }

    mutating func document() throws(XMLError) -> XMLElement {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        try skipMiscellany()
        guard peek() == UInt8(ascii: "<") else { throw failure("expected the root element") }
        let root = try rootElement()
        try skipMiscellany()
        guard position == bytes.count else { throw failure("content after the root element") }
        return root
    }

    /// Whitespace, comments and processing instructions (the XML declaration among
    /// them), before or after the root element.
    mutating func skipMiscellany() throws(XMLError) {
        while true {
            skipWhitespace()
            if starts(with: "<?") {
                try skipProcessingInstruction()
            } else if starts(with: "<!--") {
                try skipComment()
            } else if starts(with: "<!") {
                throw failure("document type declarations are not supported")
            } else {
                return
            }
        }
    }

    /// The root element and everything inside it, with an explicit stack (no recursion).
    mutating func rootElement() throws(XMLError) -> XMLElement {
        guard maxDepth > 0 else { throw failure("elements nested deeper than \(maxDepth)") }
        var stack: [OpenElement] = []
        let (rootName, rootEmpty) = try startTag()
        if rootEmpty { return XMLElement(name: rootName) }
        stack.append(OpenElement(name: rootName))
        while let top = stack.last {
            guard position < bytes.count else { throw failure("element <\(top.name)> is not closed") }
            if bytes[position] != UInt8(ascii: "<") {
                try characterData(into: &stack[stack.count - 1].text)
            } else if starts(with: "</") {
                let finished = try close(stack.removeLast())
                guard !stack.isEmpty else { return finished }
                stack[stack.count - 1].children.append(finished)
            } else if starts(with: "<!--") {
                try skipComment()
            } else if starts(with: "<![CDATA[") {
                try cdata(into: &stack[stack.count - 1].text)
            } else if starts(with: "<?") {
                try skipProcessingInstruction()
            } else if starts(with: "<!") {
                throw failure("unexpected markup declaration")
            } else {
                guard stack.count < maxDepth else { throw failure("elements nested deeper than \(maxDepth)") }
                let (name, empty) = try startTag()
                if empty {
                    stack[stack.count - 1].children.append(XMLElement(name: name))
                } else {
                    stack.append(OpenElement(name: name))
                }
            }
        }
        throw failure("no root element")
    }

    /// Reads `</name>` for `element` and returns it finished.
    mutating func close(_ element: OpenElement) throws(XMLError) -> XMLElement {
        let start = position
        position += 2
        let name = try self.name()
        skipWhitespace()
        guard peek() == UInt8(ascii: ">") else { throw failure("expected > after </\(name)") }
        position += 1
        guard name == element.name else {
            throw XMLError(offset: start, reason: "</\(name)> closes <\(element.name)>")
        }
        guard let text = String(validating: element.text, as: UTF8.self) else {
            throw XMLError(offset: start, reason: "invalid UTF-8 in <\(element.name)>")
        }
        return XMLElement(name: element.name, text: text, children: element.children)
    }

    /// Reads `<name attributes...>` or `<name .../>`; returns the name and whether
    /// the element is empty (self-closing).
    mutating func startTag() throws(XMLError) -> (String, Bool) {
        position += 1
        let name = try self.name()
        var seen: [String] = []
        while true {
            let hadSpace = skipWhitespace()
            if starts(with: "/>") {
                position += 2
                return (name, true)
            }
            if peek() == UInt8(ascii: ">") {
                position += 1
                return (name, false)
            }
            guard position < bytes.count else { throw failure("start tag <\(name)> is not closed") }
            guard hadSpace else { throw failure("expected whitespace before an attribute in <\(name)>") }
            let attribute = try self.name()
            guard !seen.contains(attribute) else { throw failure("attribute \(attribute) repeated in <\(name)>") }
            seen.append(attribute)
            skipWhitespace()
            guard peek() == UInt8(ascii: "=") else { throw failure("expected = after attribute \(attribute)") }
            position += 1
            skipWhitespace()
            try skipAttributeValue()
        }
    }

    /// A quoted attribute value: checked (no `<`, valid references), not kept.
    mutating func skipAttributeValue() throws(XMLError) {
        guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw failure("expected a quoted attribute value")
        }
        position += 1
        var scratch: [UInt8] = []
        while true {
            guard let byte = peek() else { throw failure("attribute value is not closed") }
            if byte == quote {
                position += 1
                return
            }
            if byte == UInt8(ascii: "<") { throw failure("< in an attribute value") }
            if byte == UInt8(ascii: "&") {
                try reference(into: &scratch)
            } else {
                try checkCharacter(byte)
                position += 1
            }
        }
    }
}
