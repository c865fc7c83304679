import S3Protocol

/// libFuzzer target: the input is an S3 reply body, untrusted XML. `XMLReader`
/// parses it and every S3 document decoder reads it (any outcome but a trap is
/// fine). Invariants: a parsed tree, written back out with its text escaped,
/// parses to an equal tree; it parses with `maxDepth` equal to its depth and not
/// with one less; a decoded listing that is truncated has a continuation token.
public enum FuzzS3XML {
    public static func run(_ bytes: [UInt8]) {
        _ = try? S3ErrorDocument.decode(bytes)
        _ = try? InitiateMultipartUploadResult.decode(bytes)
        _ = try? CompleteMultipartUploadReply.decode(bytes)
        if let page = try? ListObjectsV2Result.decode(bytes) {
            FuzzSupport.check(!page.isTruncated || !(page.nextContinuationToken ?? "").isEmpty,
                              "truncated listing without a continuation token")
        }
        guard let root = try? XMLReader.parse(bytes) else { return }
        let written = Array(write(root).utf8)
        let again = try? XMLReader.parse(written)
        FuzzSupport.check(again == root, "a parsed tree written back out does not parse to an equal tree")
        let levels = depth(root)
        FuzzSupport.check((try? XMLReader.parse(bytes, maxDepth: levels)) != nil, "a tree of depth \(levels) rejected at that depth")
        FuzzSupport.check((try? XMLReader.parse(bytes, maxDepth: levels - 1)) == nil, "a tree of depth \(levels) accepted below it")
    }

    /// `element` as XML: its escaped text, then its children.
    static func write(_ element: XMLElement) -> String {
        var text = ""
        for character in element.text.unicodeScalars {
            switch character {
            case "<": text += "&lt;"
            case "&": text += "&amp;"
            case ">": text += "&gt;"
            case "\r": text += "&#13;"
            default: text.unicodeScalars.append(character)
            }
        }
        return "<\(element.name)>\(text)\(element.children.map(write).joined())</\(element.name)>"
    }

    /// Levels of elements, the root counting as 1.
    static func depth(_ element: XMLElement) -> Int {
        1 + (element.children.map(depth).max() ?? 0)
    }

    /// S3 replies of each kind the store reads, and XML that exercises the reader.
    public static func seeds() throws -> [[UInt8]] {
        [
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>p/segments/1.sst</Key>\
            <RequestId>7A5B3C1D2E</RequestId><HostId>aGVsbG8=</HostId></Error>
            """,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><Prefix>p/</Prefix>\
            <KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>\
            <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>\
            <Contents><Key>p/a.sst</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>\
            <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size>\
            <StorageClass>STANDARD</StorageClass></Contents><Contents><Key>p/b&amp;c</Key><Size>0</Size></Contents>\
            </ListBucketResult>
            """,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket>\
            <Key>k</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>
            """,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <CompleteMultipartUploadResult><Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key>\
            <ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag></CompleteMultipartUploadResult>
            """,
            """
            <!-- c --><s3:a xmlns:s3='u' x="&amp;&#65;"><b>&lt;&#x1F600;<![CDATA[<raw>]]></b><c/><?pi x?></s3:a>
            """,
        ].map { Array($0.utf8) }
    }
}
