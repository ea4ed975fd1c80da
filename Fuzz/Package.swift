// swift-tools-version:6.0
// Coverage-guided fuzz targets, one per output mode. Kept out of the main package: they
// only link with `-sanitize=fuzzer`, which would reach every target of a shared build.
// Build and run them with Fuzz/run.sh.
import Foundation
import PackageDescription

// A path dependency is named after its folder, which is whatever the clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "mailscrub-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "MailScrubCore", package: root.lastPathComponent)]
        ),
        .executableTarget(name: "fuzz-lines", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "fuzz-events", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "fuzz-records", dependencies: ["FuzzSupport"]),
    ]
)
