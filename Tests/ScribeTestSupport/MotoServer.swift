import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A moto_server (PyPI `moto[server]`) on a free loopback port: an in-memory S3
/// for tests. Everything is lost when it stops.
public final class MotoServer: @unchecked Sendable {
    public let endpoint: String
    public let accessKeyID: String
    public let secretAccessKey: String
    private let process: Process
    private let logDirectory: TemporaryDirectory
    private let lock = NSLock()
    private var stopped = false

    private init(process: Process, endpoint: String, accessKeyID: String, secretAccessKey: String,
                 logDirectory: TemporaryDirectory) {
        self.process = process
        self.endpoint = endpoint
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.logDirectory = logDirectory
    }

    deinit {
        stop()
    }

    /// IAM calls made before signatures are checked: create the user, attach its
    /// policy, create its access key.
    private static let unauthenticatedCalls = 3

    /// Starts moto_server on a free loopback port and waits until it answers. With
    /// requireSignatures, starts it with INITIAL_NO_AUTH_ACTION_COUNT and creates an IAM user
    /// with an access key and an allow-all policy in those first calls; accessKeyID/secretAccessKey are then that user's.
    public static func start(requireSignatures: Bool = false) throws -> MotoServer {
        let port = try Loopback.freePort()
        let logDirectory = try TemporaryDirectory("moto")
        let logPath = logDirectory.file("moto.log")
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw TestSupportError("cannot create \(logPath)")
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", "\(port)"]
        var environment = ProcessInfo.processInfo.environment
        if requireSignatures { environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "\(unauthenticatedCalls)" }
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        let endpoint = "http://127.0.0.1:\(port)"
        do {
            let started = Date()
            while !Loopback.isListening(port) {
                guard process.isRunning, Date().timeIntervalSince(started) < 60 else {
                    let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                    throw TestSupportError("moto_server did not start on port \(port): \(output.suffix(2000))")
                }
                usleep(50_000)
            }
            var keys = ["test", "test"]
            if requireSignatures {
                keys = try PythonScript.run(createUserScript, arguments: [endpoint]).split(separator: "\n").map(String.init)
                guard keys.count == 2 else { throw TestSupportError("IAM setup printed \(keys)") }
            }
            return MotoServer(process: process, endpoint: endpoint, accessKeyID: keys[0], secretAccessKey: keys[1],
                              logDirectory: logDirectory)
        } catch {
            terminate(process)
            throw error
        }
    }

    /// Creates bucket `name` with boto3, signed with this server's keys.
    public func createBucket(_ name: String) throws {
        _ = try PythonScript.run(
            Self.clientPrelude + "s3.create_bucket(Bucket=sys.argv[4])\n",
            arguments: [endpoint, accessKeyID, secretAccessKey, name])
    }

    /// Lists with boto3 in a python3 subprocess (independent of our client): key and size, sorted by key.
    public func listObjects(bucket: String, prefix: String) throws -> [(key: String, size: UInt64)] {
        let output = try PythonScript.run(
            Self.clientPrelude + """
            rows = []
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[4], Prefix=sys.argv[5]):
                for item in page.get("Contents", []):
                    rows.append((item["Key"], item["Size"]))
            for key, size in sorted(rows):
                print(f"{key}\\t{size}")

            """, arguments: [endpoint, accessKeyID, secretAccessKey, bucket, prefix])
        return try output.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let size = UInt64(fields[1]) else { throw TestSupportError("bad listing line \(line)") }
            return (String(fields[0]), size)
        }
    }

    /// SIGSTOP: unreachable, data kept.
    public func suspend() {
        kill(process.processIdentifier, SIGSTOP)
    }

    /// SIGCONT.
    public func resume() {
        kill(process.processIdentifier, SIGCONT)
    }

    /// Stops the server (also on deinit), suspended or not.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        Self.terminate(process)
    }

    /// SIGKILL: moto keeps nothing worth a graceful exit, and its threaded server
    /// can wait forever on open keep-alive connections after SIGTERM.
    private static func terminate(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A boto3 S3 client from `sys.argv[1:4]` (endpoint, key id, secret), path style.
    private static let clientPrelude = """
        import sys, boto3
        from botocore.config import Config
        s3 = boto3.client("s3", endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2],
                          aws_secret_access_key=sys.argv[3], region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}))

        """

    /// Creates user `scribe` with an allow-all inline policy and an access key
    /// (three IAM calls); prints the key id and secret on two lines.
    private static let createUserScript = """
        import sys, json, boto3
        iam = boto3.client("iam", endpoint_url=sys.argv[1], aws_access_key_id="test",
                           aws_secret_access_key="test", region_name="us-east-1")
        iam.create_user(UserName="scribe")
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        iam.put_user_policy(UserName="scribe", PolicyName="all", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName="scribe")["AccessKey"]
        print(key["AccessKeyId"])
        print(key["SecretAccessKey"])

        """
}
