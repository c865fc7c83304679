import Foundation
import ScribeTestSupport
import Testing

/// docs/design.md's package table and Package.swift say the same thing: every
/// target that is not a test bundle has a row, and the row's last column names
/// exactly the targets it depends on and the packages of the products it uses.
@Suite struct PackageTableDocsTests {
    @Test func designDocumentTableMatchesThePackageManifest() throws {
        let manifest = try PackageManifest.load(root: SourceTree.root)
        let rows = try PackageTableRow.parse(
            try String(contentsOfFile: SourceTree.path("docs/design.md"), encoding: .utf8))
        let documented = rows.flatMap(\.targets)
        #expect(Set(documented).count == documented.count, "a target has more than one row")
        for target in manifest.targets where !documented.contains(target.name) {
            Issue.record("docs/design.md's package table has no row for \(target.name)")
        }
        let known = Set(manifest.targets.map(\.name))
        for name in documented where !known.contains(name) {
            Issue.record("docs/design.md's package table lists \(name), which Package.swift does not declare")
        }
        for row in rows {
            let members = manifest.targets.filter { row.targets.contains($0.name) }
            let expected = Set(members.flatMap(\.dependencies)).subtracting(row.targets)
            #expect(row.dependencies == expected,
                "row \(row.targets.joined(separator: ", ")): the table says \(row.dependencies.sorted()), Package.swift says \(expected.sorted())")
        }
    }
}

/// The targets of Package.swift, as `swift package dump-package` reports them.
private struct PackageManifest {
    struct Target {
        let name: String
        /// Target names, and package identities for product dependencies.
        let dependencies: Set<String>
    }

    let targets: [Target]

    static func load(root: String) throws -> PackageManifest {
        // A scratch path of its own: the one the running tests build in is locked.
        let scratch = try TemporaryDirectory("dump-package")
        let run = try ChildProcess.runBlocking(
            "/usr/bin/env", ["swift", "package", "--package-path", root, "--scratch-path", scratch.path, "dump-package"])
        guard run.status == 0,
              let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
              let targets = document["targets"] as? [[String: Any]]
        else { throw ManifestError.unreadable(status: run.status) }
        return PackageManifest(targets: targets.compactMap { target in
            guard let name = target["name"] as? String, target["type"] as? String != "test" else { return nil }
            let dependencies = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency -> String? in
                if let byName = dependency["byName"] as? [Any] { return byName.first as? String }
                if let target = dependency["target"] as? [Any] { return target.first as? String }
                if let product = dependency["product"] as? [Any] { return product.count > 1 ? product[1] as? String : nil }
                return nil
            }
            return Target(name: name, dependencies: Set(dependencies))
        })
    }

    enum ManifestError: Error {
        case unreadable(status: Int32)
    }
}

/// One row of the table under "## Package": `| targets | what | depends on |`,
/// each name in backticks (a path or a note in parentheses is not a name).
private struct PackageTableRow {
    let targets: [String]
    let dependencies: Set<String>

    static func parse(_ text: String) throws -> [PackageTableRow] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let heading = lines.firstIndex(of: "## Package") else { return [] }
        let table = lines[(heading + 1)...].drop { !$0.hasPrefix("| target") }.dropFirst(2).prefix { $0.hasPrefix("|") }
        return table.map { line in
            let columns = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let first = columns.count > 1 ? columns[1] : ""
            let last = columns.count > 3 ? columns[columns.count - 2] : ""
            return PackageTableRow(
                targets: names(in: withoutParentheses(first)), dependencies: Set(names(in: withoutParentheses(last))))
        }
    }

    /// The backticked words of `text`.
    private static func names(in text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// `text` with every parenthesised part removed.
    private static func withoutParentheses(_ text: String) -> String {
        var depth = 0
        return String(text.filter { character in
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1; return false }
            return depth == 0
        })
    }
}
