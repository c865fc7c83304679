import Foundation
import ScribeVerifier
import ScribeBytes

/// The JSON bodies of `POST /batch` and `POST|PUT /put`.
///
/// - batch: `{"operations": [{"op": "put", "key": K, "value": V}, {"op": "delete", "key": K}], "encoding": E}`
/// - put: `{"key": K, "value": V, "encoding": E}`
///
/// Keys and values are JSON strings in `encoding`: `utf8` (default), `hex` or `base64`;
/// an operation may carry its own `encoding`. Unknown members are errors.
enum BatchDocument {
    /// The most operations one batch may hold.
    static let maxOperations = 100_000

    static func operations(_ document: JSONValue, reading: RequestReading) throws -> [BatchOperation] {
        let top = try object(document, path: "body")
        try rejectUnknown(top, allowed: ["operations", "encoding"], path: "body")
        let encoding = try encodingMember(top, path: "body") ?? .utf8
        guard case .array(let items)? = member(top, "operations") else {
            throw APIError.badRequest("bad_json", "body.operations must be an array")
        }
        guard !items.isEmpty, items.count <= maxOperations else {
            throw APIError.badRequest("bad_json", "body.operations must hold 1...\(maxOperations) operations")
        }
        return try items.enumerated().map { i, item in
            let path = "body.operations[\(i)]"
            let op = try object(item, path: path)
            try rejectUnknown(op, allowed: ["op", "key", "value", "encoding"], path: path)
            let itemEncoding = try encodingMember(op, path: path) ?? encoding
            let key = try reading.checkedKey(try bytes(op, "key", itemEncoding, path: path), source: "\(path).key")
            switch member(op, "op") {
            case .string("put")?:
                let value = try bytes(op, "value", itemEncoding, path: path)
                guard value.count <= reading.settings.maxValueSize else { throw APIError.tooLarge(reading.settings.maxValueSize) }
                return .put(key: key, value: value)
            case .string("delete")?:
                guard member(op, "value") == nil else {
                    throw APIError.badRequest("bad_json", "\(path): a delete takes no value")
                }
                return .delete(key: key)
            default:
                throw APIError.badRequest("bad_json", "\(path).op must be \"put\" or \"delete\"")
            }
        }
    }

    static func keyValue(_ document: JSONValue, reading: RequestReading) throws -> (key: [UInt8], value: [UInt8]) {
        let top = try object(document, path: "body")
        try rejectUnknown(top, allowed: ["key", "value", "encoding"], path: "body")
        let encoding = try encodingMember(top, path: "body") ?? .utf8
        let key = try reading.checkedKey(try bytes(top, "key", encoding, path: "body"), source: "body.key")
        let value = try bytes(top, "value", encoding, path: "body")
        guard value.count <= reading.settings.maxValueSize else { throw APIError.tooLarge(reading.settings.maxValueSize) }
        return (key, value)
    }

    private enum Encoding: String { case utf8, hex, base64 }

    private typealias Members = [(key: String, value: JSONValue)]

    private static func object(_ value: JSONValue, path: String) throws -> Members {
        guard case .object(let members) = value else { throw APIError.badRequest("bad_json", "\(path) must be an object") }
        return members
    }

    private static func member(_ members: Members, _ name: String) -> JSONValue? {
        members.first { $0.key == name }?.value
    }

    private static func rejectUnknown(_ members: Members, allowed: Set<String>, path: String) throws {
        if let unknown = members.first(where: { !allowed.contains($0.key) }) {
            throw APIError.badRequest("bad_json", "\(path).\(unknown.key) is not a known member")
        }
    }

    private static func encodingMember(_ members: Members, path: String) throws -> Encoding? {
        guard let value = member(members, "encoding") else { return nil }
        guard case .string(let text) = value, let encoding = Encoding(rawValue: text) else {
            throw APIError.badRequest("bad_json", "\(path).encoding must be \"utf8\", \"hex\" or \"base64\"")
        }
        return encoding
    }

    private static func bytes(_ members: Members, _ name: String, _ encoding: Encoding, path: String) throws -> [UInt8] {
        guard case .string(let text)? = member(members, name) else {
            throw APIError.badRequest("bad_json", "\(path).\(name) must be a string")
        }
        switch encoding {
        case .utf8:
            return Array(text.utf8)
        case .hex:
            guard let bytes = Hex.decode(text) else {
                throw APIError.badRequest("bad_json", "\(path).\(name) is not lowercase hex of even length")
            }
            return bytes
        case .base64:
            guard let data = Data(base64Encoded: text) else {
                throw APIError.badRequest("bad_json", "\(path).\(name) is not base64")
            }
            return Array(data)
        }
    }
}
