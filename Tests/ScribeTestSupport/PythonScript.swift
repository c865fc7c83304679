/// Runs Python 3 code in a subprocess: the tests' independent view of a service
/// (boto3 talks to it with its own client).
public enum PythonScript {
    /// Runs `source` with `arguments` (as `sys.argv[1:]`) and returns its standard
    /// output; throws with its standard error when it exits non-zero.
    public static func run(_ source: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> String {
        let result = try ChildProcess.runBlocking(
            "/usr/bin/env", ["python3", "-c", source] + arguments, environment: environment)
        guard result.status == 0 else {
            throw TestSupportError("python3 exited with \(result.status): \(result.stderr)")
        }
        return result.stdout
    }
}
