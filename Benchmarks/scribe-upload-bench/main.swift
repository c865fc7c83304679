import Foundation
import Logging
import ScribeDistributed

#if canImport(Glibc)
import Glibc
#endif

// scribe-upload-bench: uploads files to an S3 endpoint with `S3ObjectStore.putFile`
// (`--concurrency` files at once, each verified by HEAD) and prints MiB/s.

/// The base name of `path`.
func baseName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}

/// Size of the file at `path`, or nil when it cannot be read.
func fileSize(_ path: String) -> UInt64? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt64(info.st_size)
}

/// Uploads every file, at most `options.concurrency` at once.
func uploadAll(_ options: UploadOptions, to store: S3ObjectStore) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var pending = options.files[...]
        var running = 0
        while !pending.isEmpty || running > 0 {
            while running < options.concurrency, let file = pending.popFirst() {
                group.addTask { try await store.putFile(options.keyPrefix + baseName(file), path: file, ifAbsent: false) }
                running += 1
            }
            try await group.next()
            running -= 1
        }
    }
}

let options: UploadOptions
do {
    options = try UploadOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    print("scribe-upload-bench: \(error)\n\n\(UploadOptions.usage)")
    exit(2)
}
var totalBytes: UInt64 = 0
for file in options.files {
    guard let size = fileSize(file) else {
        print("scribe-upload-bench: cannot read \(file)")
        exit(2)
    }
    totalBytes += size
}
let store = try S3ObjectStore(settings: options.settings, logger: Logger(label: "scribe-upload-bench"))
let clock = ContinuousClock()
let started = clock.now
do {
    try await uploadAll(options, to: store)
} catch {
    try await store.shutdown()
    print("scribe-upload-bench: upload failed: \(error)")
    exit(1)
}
let elapsed = clock.now - started
try await store.shutdown()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let mebibytes = Double(totalBytes) / 1_048_576
print("uploaded \(options.files.count) files, \(String(format: "%.1f", mebibytes)) MiB in \(String(format: "%.2f", seconds)) s")
print("scribe-upload-bench MiB/s: \(String(format: "%.1f", mebibytes / seconds))")
