import Foundation
import ScribeTestSupport
import Testing

@testable import ScribeServer

@Suite struct ConfigTestsDocs {
    @Test func configurationDocumentListsEveryKeyWithItsEnvironmentVariableAndDefault() throws {
        let text = try String(contentsOfFile: SourceTree.path("docs/configuration.md"), encoding: .utf8)
        // Rows of the six-column "Every key" table (the environment-rule table has two columns).
        let rows = text.split(separator: "\n").filter {
            $0.hasPrefix("| `") && $0.replacingOccurrences(of: "\\|", with: "").split(separator: "|").count == 6
        }
        for key in ConfigurationLoader.allKeys {
            let row = rows.first { $0.hasPrefix("| `\(key.key)` |") }
            #expect(row != nil, "docs/configuration.md has no table row for \(key.key)")
            guard let row, let variable = ConfigurationLoader.environmentVariable(for: key.key) else { continue }
            #expect(row.contains("`\(variable)`"), "row of \(key.key) does not name \(variable)")
            #expect(row.contains("`\"\(key.defaultValue)\"`") || row.contains("`\(key.defaultValue)`"),
                "row of \(key.key) does not show the default \(key.defaultValue)")
        }
        #expect(rows.count == ConfigurationLoader.allKeys.count, "the table lists keys that do not exist")
    }
}
