// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mailscrub",
    products: [
        .executable(name: "mailscrub", targets: ["mailscrub"]),
        .library(name: "MailScrubCore", targets: ["MailScrubCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // libcrypto (OpenSSL) for HMAC-SHA256 and random bytes; apt provider libssl-dev.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        // Decompressors for archived logs, each through its distribution's library.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(name: "CLZMA", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"]), .brew(["xz"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        // libbz2 ships no pkg-config file on Debian; its header and library are on the default paths.
        .systemLibrary(name: "CBzip2", providers: [.apt(["libbz2-dev"]), .brew(["bzip2"])]),
        .target(
            name: "Decompression",
            dependencies: ["CZlib", "CLZMA", "CZstd", "CBzip2"]
        ),
        // The core, split along the data's flow so that an arrow running backwards does
        // not compile: the base (byte helpers, log times, IP literals) knows nothing of
        // mail; parsing (syslog, Postfix lines) knows no keys or rules; correlation knows
        // parsing only; keys (HMAC, key rings, pseudonyms, the policy they write under)
        // know the base but no Postfix line, config file or rule; the core (scrub rules,
        // policy files, rendering, the pipeline) sits on all of them.
        .target(name: "MailScrubBase"),
        .target(name: "MailScrubParsing", dependencies: ["MailScrubBase"]),
        .target(name: "MailScrubCorrelation", dependencies: ["MailScrubBase", "MailScrubParsing"]),
        .target(name: "MailScrubKeys", dependencies: ["MailScrubBase", "COpenSSL"]),
        .target(
            name: "MailScrubCore",
            dependencies: [
                "MailScrubBase",
                "MailScrubParsing",
                "MailScrubCorrelation",
                "MailScrubKeys",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "mailscrub",
            dependencies: [
                "MailScrubCore",
                "Decompression",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "MailScrubCoreTests",
            dependencies: ["MailScrubCore", "MailScrubBase", "MailScrubParsing", "MailScrubCorrelation", "MailScrubKeys"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["mailscrub", "MailScrubCore"]
        ),
        .testTarget(
            name: "DecompressionTests",
            dependencies: ["Decompression"],
            exclude: ["Fixtures"]
        ),
    ]
)
