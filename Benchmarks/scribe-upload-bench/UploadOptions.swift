import ScribeDistributed

/// The command line of `scribe-upload-bench`.
struct UploadOptions {
    var settings: S3ObjectStoreSettings
    /// Files uploaded at once.
    var concurrency = 4
    /// Keys are `keyPrefix` + the file's base name.
    var keyPrefix = ""
    var files: [String] = []

    static let usage = """
        usage: scribe-upload-bench --endpoint URL --bucket NAME [options] FILE...
          --region NAME            signing region (us-east-1)
          --access-key ID          with --secret-key; both absent: unsigned requests
          --secret-key SECRET
          --prefix PREFIX          the store's key prefix ("")
          --key-prefix TEXT        prepended to each file's base name ("")
          --virtual-host           virtual-host addressing (default: path style)
          --concurrency N          files uploaded at once (4)
          --part-size MIB          multipart part size (5)
          --part-concurrency N     parts in flight per file (4)
          --threshold MIB          files above this go up in parts (8)
        Uploads every FILE with S3ObjectStore.putFile (verified by HEAD) and prints MiB/s.
        """

    /// Parses `arguments` (without the program name); throws a message for bad input.
    static func parse(_ arguments: [String]) throws(UsageError) -> UploadOptions {
        var values: [String: String] = [:]
        var virtualHost = false
        var files: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--virtual-host" {
                virtualHost = true
            } else if argument.hasPrefix("--") {
                guard index + 1 < arguments.count else { throw UsageError("\(argument) needs a value") }
                values[String(argument.dropFirst(2))] = arguments[index + 1]
                index += 1
            } else {
                files.append(argument)
            }
            index += 1
        }
        guard let endpoint = values.removeValue(forKey: "endpoint"), let bucket = values.removeValue(forKey: "bucket")
        else { throw UsageError("--endpoint and --bucket are required") }
        guard !files.isEmpty else { throw UsageError("no files to upload") }
        var settings = S3ObjectStoreSettings(
            endpoint: endpoint, bucket: bucket, region: values.removeValue(forKey: "region") ?? "us-east-1",
            accessKeyID: values.removeValue(forKey: "access-key") ?? "",
            secretAccessKey: values.removeValue(forKey: "secret-key") ?? "", pathStyle: !virtualHost,
            prefix: values.removeValue(forKey: "prefix") ?? "")
        var options = UploadOptions(settings: settings, files: files)
        options.keyPrefix = values.removeValue(forKey: "key-prefix") ?? ""
        options.concurrency = try integer(values.removeValue(forKey: "concurrency"), "concurrency") ?? 4
        settings.partSize = (try integer(values.removeValue(forKey: "part-size"), "part-size") ?? 5) << 20
        settings.partConcurrency = try integer(values.removeValue(forKey: "part-concurrency"), "part-concurrency") ?? 4
        settings.multipartThreshold = (try integer(values.removeValue(forKey: "threshold"), "threshold") ?? 8) << 20
        options.settings = settings
        if let unknown = values.keys.sorted().first { throw UsageError("unknown option --\(unknown)") }
        return options
    }

    private static func integer(_ text: String?, _ name: String) throws(UsageError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value > 0, value < 1 << 20 else {
            throw UsageError("--\(name) must be a positive integer")
        }
        return value
    }
}

/// A command line `UploadOptions` cannot use.
struct UsageError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
