import HTTPTypes
import Hummingbird
import LSMEngine
import NIOCore
import ScribeVerifier
import ScribeBytes

/// The key-value routes: `/kv/{key}` (PUT, GET with `?version=N`, DELETE),
/// `/kv/{key}/versions`, `GET /kv` listings, `POST /batch`, and the seed-compatible
/// forms `PUT|GET /{key}`, `POST|PUT /put`, `GET /get/{key}`. docs/api.md lists them.
struct DataRoutes {
    let service: any KVService
    let reading: RequestReading

    /// Path names the operational routes use; `PUT /{key}` refuses them as keys.
    static let reservedNames: Set<String> = [
        "kv", "batch", "put", "get", "verify", "health", "metrics", "cluster", "admin",
    ]

    func add(to router: Router<ScribeRequestContext>) {
        router.put("/kv/{key}") { request, context in try await put(request, context) }
        router.get("/kv/{key}") { request, context in try await get(request, context) }
        router.delete("/kv/{key}") { request, context in try await delete(request, context) }
        router.get("/kv/{key}/versions") { _, context in try await versions(context) }
        router.get("/kv") { request, _ in try await list(request) }
        router.post("/batch") { request, _ in try await batch(request) }
        router.post("/put") { request, _ in try await putJSON(request) }
        router.put("/put") { request, _ in try await putJSON(request) }
        router.get("/get/{key}") { request, context in try await get(request, context) }
        router.put("/{key}") { request, context in
            try rejectReserved(context)
            return try await put(request, context)
        }
        router.get("/{key}") { request, context in
            try rejectReserved(context)
            return try await get(request, context)
        }
    }

    private func rejectReserved(_ context: ScribeRequestContext) throws {
        if let name = context.parameters.get("key"), Self.reservedNames.contains(name) { throw Self.reserved(name) }
    }

    /// The refusal of a reserved name as a seed-form key.
    static func reserved(_ name: String) -> APIError {
        APIError.badRequest("reserved_key", "\(name) names an API route; use /kv/\(name) for this key")
    }

    private func put(_ request: Request, _ context: ScribeRequestContext) async throws -> Response {
        let key = try reading.key(context)
        let durability = try reading.durability(request)
        let value = try await reading.body(request, limit: reading.settings.maxValueSize)
        let sequence = try await service.put(key: key, value: value, durability: durability)
        return written(key: key, sequence: sequence, durability: durability)
    }

    private func get(_ request: Request, _ context: ScribeRequestContext) async throws -> Response {
        let key = try reading.key(context)
        let version = try reading.integer(try reading.query(request), "version", in: 0...UInt64.max)
        guard let found = try await service.lookup(key: key, atSequence: version) else {
            throw APIError.notFound("no version of the key" + (version.map { " at or below sequence \($0)" } ?? ""))
        }
        var headers: HTTPFields = [.scribeSequence: String(found.sequence), .scribeKind: found.isDeleted ? "delete" : "put"]
        if found.isDeleted {
            throw APIError(.notFound, code: "deleted", "the key was deleted at sequence \(found.sequence)", headers: headers)
        }
        headers[.contentType] = "application/octet-stream"
        headers[.scribeValueHash] = Hex.encode(PortableSHA256.hash(found.value))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: found.value)))
    }

    private func delete(_ request: Request, _ context: ScribeRequestContext) async throws -> Response {
        let key = try reading.key(context)
        let durability = try reading.durability(request)
        let sequence = try await service.delete(key: key, durability: durability)
        return written(key: key, sequence: sequence, durability: durability)
    }

    private func versions(_ context: ScribeRequestContext) async throws -> Response {
        let key = try reading.key(context)
        let all = try await service.versions(key: key)
        guard !all.isEmpty else { throw APIError.notFound("no version of the key") }
        let list = all.map { v -> JSONValue in
            .object([
                ("sequence", .integer(v.sequence)), ("kind", .string(v.isDeleted ? "delete" : "put")),
                ("size", .integer(UInt64(v.value.count))), ("valueHash", .string(Hex.encode(PortableSHA256.hash(v.value)))),
            ])
        }
        return JSONResponse.make(.object(keyMembers(key) + [("versions", .array(list))]))
    }

    private func list(_ request: Request) async throws -> Response {
        let items = try reading.query(request)
        let maxLimit = max(1, reading.settings.maxListLimit)
        let limit = try reading.integer(items, "limit", in: 1...maxLimit) ?? maxLimit
        var after: [UInt8]?
        if let cursor = items["cursor"] {
            guard let decoded = Hex.decode(String(decoding: cursor, as: UTF8.self)), !decoded.isEmpty else {
                throw APIError.badRequest("bad_query", "cursor must be the lowercase hex a previous page returned")
            }
            after = decoded
        }
        let page = try await service.list(ListQuery(
            prefix: items["prefix"].flatMap { $0.isEmpty ? nil : $0 }, start: items["start"].flatMap { $0.isEmpty ? nil : $0 },
            end: items["end"].flatMap { $0.isEmpty ? nil : $0 }, after: after, limit: limit))
        let entries = page.entries.map { e -> JSONValue in
            .object(keyMembers(e.key) + [("sequence", .integer(e.sequence)), ("size", .integer(UInt64(e.value.count)))])
        }
        return JSONResponse.make(.object([
            ("entries", .array(entries)), ("cursor", page.continueAfter.map { .string(Hex.encode($0)) } ?? .null),
        ]))
    }

    private func batch(_ request: Request) async throws -> Response {
        let durability = try reading.durability(request)
        let document = try await json(request)
        let operations = try BatchDocument.operations(document, reading: reading)
        let sequence = try await service.apply(operations, durability: durability)
        return JSONResponse.make(
            .object([("sequence", .integer(sequence)), ("count", .integer(UInt64(operations.count))),
                     ("durability", .string(durability.rawValue))]),
            headers: [.scribeSequence: String(sequence)])
    }

    private func putJSON(_ request: Request) async throws -> Response {
        let durability = try reading.durability(request)
        let (key, value) = try BatchDocument.keyValue(try await json(request), reading: reading)
        let sequence = try await service.put(key: key, value: value, durability: durability)
        return written(key: key, sequence: sequence, durability: durability)
    }

    private func json(_ request: Request) async throws -> JSONValue {
        let body = try await reading.body(request, limit: reading.settings.maxJSONBodySize)
        do {
            return try JSONParser.parse(body, maxDepth: 8, maxBytes: reading.settings.maxJSONBodySize)
        } catch let error as JSONError {
            throw APIError.badRequest("bad_json", "the body is not valid JSON: \(error)")
        }
    }

    private func written(key: [UInt8], sequence: SequenceNumber, durability: Durability) -> Response {
        JSONResponse.make(
            .object(keyMembers(key) + [("sequence", .integer(sequence)), ("durability", .string(durability.rawValue))]),
            headers: [.scribeSequence: String(sequence)])
    }

    private func keyMembers(_ key: [UInt8]) -> [(key: String, value: JSONValue)] {
        [("key", JSONResponse.text(key)), ("keyHex", .string(Hex.encode(key)))]
    }
}
