// swift-tools-version: 6.1
import PackageDescription

/// `Fuzz/run.sh` sets SCRIBE_FUZZ: a libFuzzer build applies its flags to every
/// target, host tools included, so the benchmark plugin (whose tool has its own
/// `main`), its package and `LSMMicroBenchmarks` are left out of that build. The
/// server and its packages stay in: `FuzzRouter` drives the server's router.
let fuzzBuild = Context.environment["SCRIBE_FUZZ"] != nil

let package = Package(
    name: "ScribeLedger",
    products: [
        .library(name: "LSMEngine", targets: ["LSMEngine"]),
        .library(name: "ScribeVerifier", targets: ["ScribeVerifier"]),
        .executable(name: "scribe-kv", targets: ["scribe-kv"]),
        .executable(name: "scribe-bench", targets: ["scribe-bench"]),
        .library(name: "ScribeDistributed", targets: ["ScribeDistributed"]),
        .library(name: "ScribeServer", targets: ["ScribeServer"]),
        .executable(name: "scribe-node", targets: ["scribe-node"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ] + (fuzzBuild ? [] : [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ]),
    targets: [
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CCryptoSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "CLSMSupport"),
        .target(name: "ScribeBytes"),
        .target(name: "ScribeCrypto", dependencies: ["CCryptoSSL", "ScribeBytes"]),
        .target(name: "ScribeVerifier", dependencies: ["ScribeBytes"]),
        .target(name: "LSMEngine", dependencies: ["CLZ4", "CLSMSupport", "ScribeBytes", "ScribeCrypto", "ScribeVerifier"]),
        .target(name: "ScribeObjects", dependencies: ["LSMEngine", "ScribeBytes", "ScribeCrypto", "ScribeVerifier"]),
        .target(name: "S3Protocol", dependencies: ["ScribeBytes", "ScribeCrypto"]),
        .executableTarget(
            name: "scribe-kv",
            dependencies: [
                "LSMEngine", "ScribeBytes", "ScribeVerifier",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "scribe-bench", dependencies: ["LSMEngine", "ScribeVerifier"], path: "Benchmarks/scribe-bench"),
        .target(name: "CNodeSupport"),
        .target(
            name: "ScribeDistributed",
            dependencies: [
                "LSMEngine", "ScribeBytes", "ScribeCrypto", "ScribeObjects", "S3Protocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(
            name: "ScribeServer",
            dependencies: [
                "LSMEngine", "ScribeBytes", "ScribeCrypto", "ScribeVerifier", "ScribeDistributed", "CNodeSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        .executableTarget(
            name: "scribe-node",
            dependencies: [
                "ScribeServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .testTarget(
            name: "ScribeDistributedTests",
            dependencies: [
                "ScribeDistributed", "ScribeObjects", "S3Protocol", "ScribeTestSupport", "ScribeTierTestSupport",
                "LSMEngine", "ScribeBytes", "ScribeCrypto", "ScribeVerifier",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "scribe-upload-bench", dependencies: ["ScribeDistributed", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/scribe-upload-bench"),
        .testTarget(
            name: "ScribeServerTests",
            dependencies: [
                "ScribeServer", "ScribeVerifier", "LSMEngine", "ScribeDistributed", "ScribeTestSupport",
                "ScribeTierTestSupport", "FuzzServerSupport", "ScribeBytes",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .target(name: "FuzzSupport", dependencies: ["LSMEngine", "ScribeVerifier", "ScribeObjects", "S3Protocol"], path: "Fuzz/FuzzSupport"),
        .target(
            name: "FuzzServerSupport",
            dependencies: [
                "FuzzSupport", "ScribeServer", "ScribeVerifier", "ScribeTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Fuzz/FuzzServerSupport"),
        .executableTarget(name: "FuzzSegment", dependencies: ["LSMEngine", "FuzzSupport"], path: "Fuzz/FuzzSegment"),
        .executableTarget(
            name: "FuzzSegmentMutation", dependencies: ["LSMEngine", "FuzzSupport"], path: "Fuzz/FuzzSegmentMutation"),
        .executableTarget(name: "FuzzWAL", dependencies: ["LSMEngine", "FuzzSupport"], path: "Fuzz/FuzzWAL"),
        .executableTarget(name: "FuzzManifest", dependencies: ["LSMEngine", "FuzzSupport"], path: "Fuzz/FuzzManifest"),
        .executableTarget(name: "FuzzBlock", dependencies: ["LSMEngine", "FuzzSupport"], path: "Fuzz/FuzzBlock"),
        .executableTarget(name: "FuzzProof", dependencies: ["FuzzSupport"], path: "Fuzz/FuzzProof"),
        .executableTarget(name: "FuzzObjects", dependencies: ["FuzzSupport"], path: "Fuzz/FuzzObjects"),
        .executableTarget(name: "FuzzS3XML", dependencies: ["FuzzSupport"], path: "Fuzz/FuzzS3XML"),
        .target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(
            name: "FuzzRouter", dependencies: ["FuzzSupport", "FuzzServerSupport", "CLibFuzzer"], path: "Fuzz/FuzzRouter"),
        .target(
            name: "MicroBenchmarkFixtures", dependencies: ["LSMEngine", "ScribeCrypto"],
            path: "Benchmarks/MicroBenchmarkFixtures"),
        .target(name: "ScribeTestSupport", dependencies: ["LSMEngine"], path: "Tests/ScribeTestSupport"),
        .target(
            name: "ScribeTierTestSupport",
            dependencies: ["ScribeDistributed", "LSMEngine", "S3Protocol", "ScribeCrypto", "ScribeTestSupport"],
            path: "Tests/ScribeTierTestSupport"),
        .testTarget(
            name: "LSMEngineTests",
            dependencies: [
                "LSMEngine", "ScribeBytes", "ScribeCrypto", "ScribeVerifier", "FuzzSupport", "ScribeTestSupport",
                "MicroBenchmarkFixtures",
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ScribeVerifierTests", dependencies: ["ScribeBytes", "ScribeVerifier", "ScribeTestSupport"],
            resources: [.copy("Vectors")]),
    ] + (fuzzBuild ? [] : [
        .executableTarget(
            name: "LSMMicroBenchmarks",
            dependencies: ["MicroBenchmarkFixtures", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/LSMMicroBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]),
    swiftLanguageModes: [.v6]
)
