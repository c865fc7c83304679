import S3Protocol
import Testing

@Suite struct S3DocumentTests {
    @Test func decodesErrorDocuments() throws {
        let document = try S3ErrorDocument.decode(Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message>
            <Key>a/b</Key><Resource>/bucket/a/b</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>
            """.utf8))
        #expect(document == S3ErrorDocument(code: "NoSuchKey", message: "The resource you requested does not exist",
                                            requestID: "4442587FB7D0A2F9", key: "a/b", resource: "/bucket/a/b"))
        #expect(try S3ErrorDocument.decode(Array("<Error><Code>X</Code></Error>".utf8)).message == "")
        #expect(throws: S3DocumentError.missingElement("Code")) {
            try S3ErrorDocument.decode(Array("<Error><Message>m</Message></Error>".utf8))
        }
        #expect(throws: S3DocumentError.unexpectedRoot(expected: "Error", found: "Other")) {
            try S3ErrorDocument.decode(Array("<Other/>".utf8))
        }
    }

    @Test func decodesListObjectsV2Pages() throws {
        let page = try ListObjectsV2Result.decode(Array("""
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
              <IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
              <Contents><Key>p/a</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
                <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>
              <Contents><Key>p/b&amp;c</Key><Size>0</Size></Contents>
            </ListBucketResult>
            """.utf8))
        #expect(page.objects == [
            .init(key: "p/a", size: 434_234, etag: "fba9dede5f27731c9771645a39863328"), .init(key: "p/b&c", size: 0),
        ])
        #expect(page.isTruncated)
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        let last = try ListObjectsV2Result.decode(Array("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>".utf8))
        #expect(last == ListObjectsV2Result(objects: [], isTruncated: false))
    }

    @Test func rejectsInvalidListings() {
        let invalid: [(String, S3DocumentError)] = [
            ("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>", .missingElement("Key")),
            ("<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult>", .missingElement("Size")),
            ("<ListBucketResult><Contents><Key>a</Key><Size>-1</Size></Contents></ListBucketResult>",
             .invalidValue(element: "Size", value: "-1")),
            ("<ListBucketResult><IsTruncated>yes</IsTruncated></ListBucketResult>",
             .invalidValue(element: "IsTruncated", value: "yes")),
            ("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", .missingElement("NextContinuationToken")),
            ("<Error><Code>X</Code></Error>", .unexpectedRoot(expected: "ListBucketResult", found: "Error")),
        ]
        for (text, expected) in invalid {
            #expect(throws: expected) { try ListObjectsV2Result.decode(Array(text.utf8)) }
        }
    }

    @Test func decodesMultipartReplies() throws {
        let initiated = try InitiateMultipartUploadResult.decode(Array("""
            <InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>
            """.utf8))
        #expect(initiated.uploadID == "VXBsb2FkIElE")
        #expect(throws: S3DocumentError.self) {
            try InitiateMultipartUploadResult.decode(Array("<InitiateMultipartUploadResult><UploadId/></InitiateMultipartUploadResult>".utf8))
        }
        let completed = try CompleteMultipartUploadReply.decode(Array("""
            <CompleteMultipartUploadResult><Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key>
            <ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag></CompleteMultipartUploadResult>
            """.utf8))
        #expect(completed == .completed(CompleteMultipartUploadResult(key: "k", etag: "3858f62230ac3c915f300c664312c11f-9")))
        let moto = try CompleteMultipartUploadReply.decode(Array(
            "<CompleteMultipartUploadResponse><ETag>\"e-2\"</ETag></CompleteMultipartUploadResponse>".utf8))
        #expect(moto == .completed(CompleteMultipartUploadResult(key: nil, etag: "e-2")))
        #expect(throws: S3DocumentError.unexpectedRoot(expected: "CompleteMultipartUploadResult", found: "Other")) {
            try CompleteMultipartUploadReply.decode(Array("<Other><ETag>e</ETag></Other>".utf8))
        }
        let failed = try CompleteMultipartUploadReply.decode(Array("<Error><Code>InternalError</Code><Message>m</Message></Error>".utf8))
        #expect(failed == .failed(S3ErrorDocument(code: "InternalError", message: "m")))
    }

    @Test func completeRequestBodyListsPartsInOrder() throws {
        let body = CompleteMultipartUploadRequest.body(parts: [(2, "bb"), (1, "a&a")])
        let root = try XMLReader.parse(body)
        #expect(root.localName == "CompleteMultipartUpload")
        #expect(root.children(named: "Part").map { $0.child("PartNumber")?.text } == ["1", "2"])
        #expect(root.children(named: "Part").map { $0.child("ETag")?.text } == ["\"a&a\"", "\"bb\""])
    }
}
