import NIOHTTP1
import S3Protocol
import ScribeBytes
import ScribeCrypto

/// `putFile`: one PUT up to the multipart threshold, a multipart upload above it,
/// then a HEAD that checks the stored size and entity tag.
extension S3ObjectStore {
    @discardableResult
    public func putFile(_ key: String, path: String, ifAbsent: Bool) async throws -> ObjectInfo {
        try ObjectKey.validate(key)
        let file = try LocalFile.openForReading(path)
        let size = try file.size()
        let expectedTag: String
        if size <= UInt64(max(settings.multipartThreshold, 0)) {
            let body = try file.read(at: 0, count: Int(size))
            guard UInt64(body.count) == size else {
                throw ObjectStoreError.io("\(path) shrank while being read")
            }
            let md5 = MD5.hash(body)
            try await putObject(key, body: body, sha256: Hex.encode(SHA256.hash(body)), md5: md5, ifAbsent: ifAbsent)
            expectedTag = S3ETag.singlePart(md5: md5)
        } else {
            expectedTag = try await multipartUpload(key, file: file, size: size, ifAbsent: ifAbsent)
        }
        guard let stored = try await head(key) else {
            throw ObjectStoreError.verificationFailed(key: key, reason: "not found after upload")
        }
        guard stored.size == size else {
            throw ObjectStoreError.verificationFailed(key: key, reason: "stored \(stored.size) bytes, uploaded \(size)")
        }
        guard stored.etag == expectedTag else {
            throw ObjectStoreError.verificationFailed(
                key: key, reason: "stored ETag \(stored.etag ?? "none"), expected \(expectedTag)")
        }
        return stored
    }

    /// Uploads `file` in parts of `partSize`, at most `partConcurrency` at once,
    /// each part read when its upload starts. Any failure aborts the upload (its
    /// parts are discarded) and is rethrown. Returns the multipart entity tag
    /// expected of the object.
    func multipartUpload(_ key: String, file: LocalFile, size: UInt64, ifAbsent: Bool) async throws -> String {
        if ifAbsent, try await head(key) != nil { throw ObjectStoreError.alreadyExists(key: key) }
        let objectKey = settings.objectKey(key)
        let initiated = try await transport.send(.init(
            method: .POST, objectKey: objectKey, query: [S3Request.QueryItem("uploads")],
            headers: [S3Request.Header("content-type", "application/octet-stream")]))
        guard initiated.isSuccess else { throw S3ErrorMapping.serviceError(initiated, key: key) }
        let uploadID: String
        do {
            uploadID = try InitiateMultipartUploadResult.decode(initiated.body).uploadID
        } catch {
            throw ObjectStoreError.invalidResponse("CreateMultipartUpload of \(key): \(error)")
        }
        do {
            let parts = try await uploadParts(key, uploadID: uploadID, file: file, size: size)
            try await completeMultipartUpload(key, uploadID: uploadID, parts: parts, ifAbsent: ifAbsent)
            return S3ETag.multipart(partMD5s: parts.map(\.md5))
        } catch {
            await abortMultipartUpload(key, uploadID: uploadID)
            throw error
        }
    }

    /// One uploaded part: its number, the tag S3 returned and the MD5 it should be.
    struct UploadedPart: Sendable {
        let number: Int
        let etag: String
        let md5: [UInt8]
    }

    private func uploadParts(_ key: String, uploadID: String, file: LocalFile, size: UInt64) async throws -> [UploadedPart] {
        let partSize = UInt64(settings.effectivePartSize)
        let count = Int((size + partSize - 1) / partSize)
        let concurrency = max(1, settings.partConcurrency)
        return try await withThrowingTaskGroup(of: UploadedPart.self) { group in
            var parts: [UploadedPart] = []
            var next = 1
            while next <= count || !group.isEmpty {
                while next <= count && next - parts.count - 1 < concurrency {
                    let number = next
                    let offset = UInt64(number - 1) * partSize
                    group.addTask {
                        try await self.uploadPart(
                            key, uploadID: uploadID, number: number, file: file, offset: offset,
                            count: Int(min(partSize, size - offset)))
                    }
                    next += 1
                }
                if let part = try await group.next() { parts.append(part) }
            }
            return parts.sorted { $0.number < $1.number }
        }
    }

    private func uploadPart(
        _ key: String, uploadID: String, number: Int, file: LocalFile, offset: UInt64, count: Int
    ) async throws -> UploadedPart {
        let body = try file.read(at: offset, count: count)
        guard body.count == count else { throw ObjectStoreError.io("\(file.path) shrank while being read") }
        let md5 = MD5.hash(body)
        let response = try await transport.send(.init(
            method: .PUT, objectKey: settings.objectKey(key),
            query: [S3Request.QueryItem("partNumber", "\(number)"), S3Request.QueryItem("uploadId", uploadID)],
            body: body))
        guard response.isSuccess else { throw S3ErrorMapping.serviceError(response, key: key) }
        let etag = response.header("etag").map(S3ETag.unquoted) ?? ""
        guard etag == Hex.encode(md5) else {
            throw ObjectStoreError.verificationFailed(
                key: key, reason: "part \(number) stored with ETag \(etag), expected \(Hex.encode(md5))")
        }
        return UploadedPart(number: number, etag: etag, md5: md5)
    }

    private func completeMultipartUpload(
        _ key: String, uploadID: String, parts: [UploadedPart], ifAbsent: Bool
    ) async throws {
        var headers = [S3Request.Header("content-type", "application/xml")]
        if ifAbsent { headers.append(S3Request.Header("if-none-match", "*")) }
        let response = try await transport.send(.init(
            method: .POST, objectKey: settings.objectKey(key), query: [S3Request.QueryItem("uploadId", uploadID)],
            headers: headers, body: CompleteMultipartUploadRequest.body(parts: parts.map { ($0.number, $0.etag) })))
        if response.status == 412 && ifAbsent { throw ObjectStoreError.alreadyExists(key: key) }
        guard response.isSuccess else { throw S3ErrorMapping.serviceError(response, key: key) }
        let reply: CompleteMultipartUploadReply
        do {
            reply = try CompleteMultipartUploadReply.decode(response.body)
        } catch {
            throw ObjectStoreError.invalidResponse("CompleteMultipartUpload of \(key): \(error)")
        }
        if case .failed(let document) = reply {
            throw ObjectStoreError.service(status: response.status, code: document.code, message: document.message,
                                           key: key, requestID: document.requestID)
        }
    }

    /// Discards an unfinished upload's parts; failures are only logged (the bucket's
    /// lifecycle rules are the backstop for uploads never aborted).
    private func abortMultipartUpload(_ key: String, uploadID: String) async {
        do {
            let response = try await transport.send(.init(
                method: .DELETE, objectKey: settings.objectKey(key), query: [S3Request.QueryItem("uploadId", uploadID)]))
            if !response.isSuccess && response.status != 404 {
                logger.warning("could not abort multipart upload", metadata: [
                    "key": "\(key)", "upload": "\(uploadID)", "status": "\(response.status)",
                ])
            }
        } catch {
            logger.warning("could not abort multipart upload", metadata: [
                "key": "\(key)", "upload": "\(uploadID)", "error": "\(error)",
            ])
        }
    }
}
