import ScribeBytes
import ScribeCrypto

/// The entity tags S3 computes for uploads, to check a stored object against the
/// bytes that were sent. Tags are compared without their surrounding quotes.
public enum S3ETag {
    /// A single-part upload's tag: the lowercase hex MD5 of the body.
    public static func singlePart(md5: [UInt8]) -> String {
        Hex.encode(md5)
    }

    /// A multipart upload's tag: the hex MD5 of the parts' binary MD5s concatenated
    /// in part order, then `-` and the number of parts.
    public static func multipart(partMD5s: [[UInt8]]) -> String {
        Hex.encode(MD5.hash(partMD5s.flatMap { $0 })) + "-\(partMD5s.count)"
    }

    /// `tag` without surrounding double quotes (`"abc"` → `abc`); S3 quotes tags in
    /// headers and in listings, and some services do not.
    public static func unquoted(_ tag: String) -> String {
        var text = Substring(tag)
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            text = text.dropFirst().dropLast()
        }
        return String(text)
    }
}
