import FuzzSupport
import ScribeTestSupport

/// `FuzzRouter`'s structure-aware mutation, which its libFuzzer entry uses for half of
/// the mutations (libFuzzer's own, dictionary included, make the other half): it edits
/// the request an input encodes rather than its bytes — sets the path to one of the
/// API's routes, adds a query item of the API's or replaces a query item's value, adds
/// a header, or changes the method — with values from `values`: the numbers at and past
/// the bounds of the API's limits, `Int` and `UInt64`, and malformed ones (and, for
/// headers, the values they take). Byte
/// mutations alone rarely line a 19-digit number up right after a query name on the
/// right route; these make such requests a few mutations away from any input.
extension FuzzRouter {
    static let routes = [
        "/kv", "/kv/k", "/kv/k/versions", "/batch", "/put", "/get/k", "/verify/k", "/k", "/health", "/metrics",
        "/metrics/prometheus", "/cluster/info", "/cluster/nodes", "/cluster/leader/info", "/admin/flush",
    ]
    static let queryNames = ["limit", "version", "cursor", "prefix", "start", "end"]
    static let headerNames = ["Content-Length", "X-Scribe-Durability", "Content-Type", "Authorization"]
    /// Query values: numbers at and past the bounds, malformed numbers and escapes, a hex cursor.
    static let values = [
        "0", "1", "16", "17", "1000", "1001", "9223372036854775807", "9223372036854775808", "18446744073709551615",
        "18446744073709551616", "99999999999999999999999999", "-1", "+1", "1e3", "0x10", "", "%zz", "6b",
    ]
    /// Header values: the query values and what the API's headers take.
    static let headerValues = values + ["local", "buffered", "replicated", "synced", "application/json", "Bearer k"]

    /// `bytes` with one structural edit chosen by `seed`.
    public static func mutate(_ bytes: [UInt8], seed: UInt32) -> [UInt8] {
        var random = SeededGenerator(seed: UInt64(seed))
        let hasMethod = bytes.first.map { $0 < 0x10 } ?? false
        var method = hasMethod ? Array(bytes.prefix(1)) : []
        let body = hasMethod ? bytes.dropFirst() : bytes[...]
        let end = body.firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
        let target = String(decoding: body[..<end], as: UTF8.self)
        var rest = Array(body[end...])
        var path = String(target.prefix { $0 != "?" })
        var items = target.contains("?")
            ? target.drop { $0 != "?" }.dropFirst().split(separator: "&", omittingEmptySubsequences: false).map(String.init)
            : []
        switch random.below(5) {
        case 0:
            path = random.pick(from: routes)
        case 1:
            items.append("\(random.pick(from: queryNames))=\(random.pick(from: values))")
        case 2:
            if items.isEmpty {
                items.append("\(random.pick(from: queryNames))=\(random.pick(from: values))")
            } else {
                let i = random.below(items.count)
                items[i] = "\(items[i].prefix { $0 != "=" })=\(random.pick(from: values))"
            }
        case 3:
            let header = Array("\n\(random.pick(from: headerNames)): \(random.pick(from: headerValues))".utf8)
            rest = rest.isEmpty ? header + [UInt8(ascii: "\n")] : header + rest
        default:
            method = random.below(2) == 0 ? [] : [UInt8(random.below(methods.count))]
        }
        let query = items.isEmpty ? "" : "?" + items.joined(separator: "&")
        return method + Array((path + query).utf8) + rest
    }
}

extension SeededGenerator {
    /// A number in 0..<count (0 when count < 1).
    fileprivate mutating func below(_ count: Int) -> Int { count < 1 ? 0 : Int.random(in: 0..<count, using: &self) }

    fileprivate mutating func pick(from choices: [String]) -> String { choices.randomElement(using: &self) ?? "" }
}
