import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import ScribeTestSupport
import ServiceLifecycle
import Testing
@testable import ScribeServer

/// Needs `openssl` (to make a throwaway certificate) and `curl` (an HTTPS client that
/// can trust exactly that certificate) on the PATH's usual locations.
@Suite struct SecurityTLSTests {
    /// A self-signed certificate for localhost/127.0.0.1 and its key, in `directory`.
    func makeCertificate(in directory: String, name: String) async throws -> (certificate: String, key: String) {
        let certificate = "\(directory)/\(name).crt"
        let key = "\(directory)/\(name).key"
        let result = try await ChildProcess.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ])
        try #require(result.status == 0, "openssl failed to make a certificate")
        return (certificate, key)
    }

    @Test func missingFilesAreNamed() async throws {
        let directory = try TemporaryDirectory()
        let pair = try await makeCertificate(in: directory.path, name: "server")
        let missing = directory.path + "/missing.pem"
        #expect(throws: TLSSetupError.self) { try TLSSetup.serverConfiguration(certificatePath: missing, keyPath: pair.key) }
        do {
            _ = try TLSSetup.serverConfiguration(certificatePath: missing, keyPath: pair.key)
        } catch let error as TLSSetupError {
            #expect(error.path == missing)
            #expect(error.description.contains(missing))
            #expect(error.description.contains("No such file"))
        }
        do {
            _ = try TLSSetup.serverConfiguration(certificatePath: pair.certificate, keyPath: missing)
            Issue.record("a missing key file was accepted")
        } catch let error as TLSSetupError {
            #expect(error.path == missing)
        }
    }

    @Test func invalidContentsAreNamed() async throws {
        let directory = try TemporaryDirectory()
        let pair = try await makeCertificate(in: directory.path, name: "server")
        let garbage = directory.path + "/garbage.pem"
        try Data("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n".utf8)
            .write(to: URL(fileURLWithPath: garbage))
        let empty = directory.path + "/empty.pem"
        try Data().write(to: URL(fileURLWithPath: empty))
        for (certificate, key, blamed) in [
            (garbage, pair.key, garbage), (empty, pair.key, empty), (pair.certificate, garbage, garbage),
            (pair.certificate, pair.certificate, pair.certificate), (directory.path, pair.key, directory.path),
        ] {
            do {
                _ = try TLSSetup.serverConfiguration(certificatePath: certificate, keyPath: key)
                Issue.record("\(certificate) with \(key) was accepted")
            } catch let error as TLSSetupError {
                #expect(error.path == blamed)
            }
        }
    }

    @Test func keyOfAnotherCertificateIsRejected() async throws {
        let directory = try TemporaryDirectory()
        let first = try await makeCertificate(in: directory.path, name: "first")
        let second = try await makeCertificate(in: directory.path, name: "second")
        do {
            _ = try TLSSetup.serverConfiguration(certificatePath: first.certificate, keyPath: second.key)
            Issue.record("a key that does not match the certificate was accepted")
        } catch let error as TLSSetupError {
            #expect(error.path == second.key)
            #expect(error.description.contains(first.certificate))
        }
    }

    @Test func serverSpeaksHTTPSWithTheConfiguredCertificateOnly() async throws {
        let directory = try TemporaryDirectory()
        let pair = try await makeCertificate(in: directory.path, name: "server")
        let configuration = try TLSSetup.serverConfiguration(certificatePath: pair.certificate, keyPath: pair.key)
        #expect(configuration.minimumTLSVersion == .tlsv12)

        let router = Router(context: ScribeRequestContext.self)
        router.get("/health") { _, _ in "ok" }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "tls-test")
        logger.logLevel = .critical
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: configuration),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let curl = "/usr/bin/curl"
            let common = ["--silent", "--max-time", "10"]

            let trusted = try await ChildProcess.run(curl, common + ["--cacert", pair.certificate, "https://127.0.0.1:\(port)/health"])
            #expect(trusted.status == 0)
            #expect(trusted.stdout == "ok")

            let untrusted = try await ChildProcess.run(curl, common + ["https://127.0.0.1:\(port)/health"])
            #expect(untrusted.status != 0)
            #expect(untrusted.stdout.isEmpty)

            let plain = try await ChildProcess.run(curl, common + ["http://127.0.0.1:\(port)/health"])
            #expect(plain.status != 0)
            #expect(plain.stdout.isEmpty)

            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}
