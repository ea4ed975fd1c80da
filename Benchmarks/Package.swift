// swift-tools-version:6.0
// Benchmark harness, kept out of the main package so the tool never depends on it.
import PackageDescription

let package = Package(
    name: "mailscrub-benchmarks",
    targets: [
        // A single-threaded script-style generator: Swift 5 mode spares it actor annotations.
        .executableTarget(name: "loggen", swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
)
