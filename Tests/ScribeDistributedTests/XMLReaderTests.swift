import S3Protocol
import Testing

@Suite struct XMLReaderTests {
    static func parse(_ text: String) throws -> XMLElement {
        try XMLReader.parse(Array(text.utf8))
    }

    @Test func readsElementsTextAndChildrenSkippingPrologCommentsAndAttributes() throws {
        let root = try Self.parse("""
            \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <a xmlns="http://s3.amazonaws.com/doc/2006-03-01/" x='1'>
              <b>one</b><?pi data?><c/><b attr="&amp;">two<!-- inner -->three</b>
            </a>
            <!-- after -->
            """)
        #expect(root.name == "a")
        #expect(root.children.map(\.name) == ["b", "c", "b"])
        #expect(root.children(named: "b").map(\.text) == ["one", "twothree"])
        #expect(root.child("c") == XMLElement(name: "c"))
        #expect(root.child("missing") == nil)
    }

    @Test func decodesEntitiesCharacterReferencesAndCDATA() throws {
        let root = try Self.parse("<t>&lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#x1F600; <![CDATA[<raw>&amp;]]>é</t>")
        #expect(root.text == "<>&\"' AB😀 <raw>&amp;é")
    }

    @Test func namespacePrefixesAreStrippedForLookups() throws {
        let root = try Self.parse("<s3:Error xmlns:s3=\"u\"><s3:Code>X</s3:Code></s3:Error>")
        #expect(root.localName == "Error")
        #expect(root.child("Code")?.text == "X")
    }

    @Test func rejectsMalformedDocuments() {
        let malformed = [
            "", "   ", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a/><b/>", "<a/>text", "<a>&unknown;</a>",
            "<a>&#0;</a>", "<a>&#xD800;</a>", "<a>&#x110000;</a>", "<a>&#99999999999;</a>", "<a>& b</a>", "<a>&amp</a>",
            "<a b></a>", "<a b=1></a>", "<a b=\"<\"></a>", "<a b=\"1\"c=\"2\"></a>", "<a b=\"1\" b=\"2\"/>",
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "<a><!DOCTYPE x></a>", "<a><!-- -- --></a>", "<a><!-- x",
            "<?xml version=\"1.0\"", "<a><![CDATA[x</a>", "<a>]]></a>", "<1a/>", "<a>\u{01}</a>", "</a>", "<a></a >x",
            "<a><b></b></a><", "<>", "< a/>",
        ]
        for text in malformed {
            #expect(throws: XMLError.self, "accepted \(text.debugDescription)") { try Self.parse(text) }
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: XMLError.self) { try XMLReader.parse(Array("<a>".utf8) + [0xC3, 0x28] + Array("</a>".utf8)) }
        #expect(throws: XMLError.self) { try XMLReader.parse([0x3C, 0xFF, 0x2F, 0x3E]) }
    }

    @Test func boundsNestingDepth() throws {
        let deep = String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40)
        #expect(throws: XMLError.self) { try Self.parse(deep) }
        let shallow = String(repeating: "<a>", count: 8) + String(repeating: "</a>", count: 8)
        #expect(try XMLReader.parse(Array(shallow.utf8), maxDepth: 8).name == "a")
        #expect(throws: XMLError.self) { try XMLReader.parse(Array(shallow.utf8), maxDepth: 7) }
    }

    @Test func errorsCarryTheOffset() {
        do {
            _ = try Self.parse("<a><b></c></a>")
            Issue.record("accepted a mismatched close")
        } catch let error as XMLError {
            #expect(error.offset == 6)
            #expect(error.description.contains("</c> closes <b>"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
