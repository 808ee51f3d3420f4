// swift-tools-version:6.1
import PackageDescription

// Data flows one way: exports -> ChatParsers (messages) -> ScanEngine (rules from RuleKit, compiled once) -> hits -> Reports.
let package = Package(
    name: "ChatSieve",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chatsieve", targets: ["chatsieve"]),
        .library(name: "ChatSieveKit", targets: ["ChatModel", "ChatParsers", "RuleKit", "ScanEngine", "Reports", "CorpusKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CPCRE2", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CHyperscan", providers: [.apt(["libhyperscan-dev"])]),
        .target(name: "CScanKernels"),
        .target(name: "ChatModel", dependencies: ["CScanKernels"]),
        .target(name: "ChatParsers", dependencies: [
            "ChatModel", "CScanKernels",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "RuleKit", dependencies: [
            "ChatModel", "CPCRE2",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "ScanEngine", dependencies: ["ChatModel", "ChatParsers", "RuleKit", "CPCRE2", "CHyperscan", "CScanKernels",
            .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Reports", dependencies: [
            "ChatModel", "RuleKit",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["README-sql.md"]),
        .target(name: "CorpusKit", dependencies: [
            "ChatModel",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .executableTarget(name: "chatsieve", dependencies: [
            "ChatModel", "ChatParsers", "RuleKit", "ScanEngine", "Reports", "CorpusKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "TestScratch", path: "Tests/TestScratch"),
        .testTarget(name: "ChatParsersTests", dependencies: ["ChatParsers", "ChatModel", "TestScratch",
            .product(name: "ZIPFoundation", package: "ZIPFoundation")], resources: [.copy("Samples")]),
        .testTarget(name: "RuleKitTests", dependencies: ["RuleKit", "ChatModel", "TestScratch"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ScanEngineTests", dependencies: ["ScanEngine", "RuleKit", "ChatParsers", "ChatModel", "CorpusKit",
            "CScanKernels", "TestScratch"]),
        .testTarget(name: "CorpusKitTests", dependencies: ["CorpusKit", "ChatModel", "ChatParsers", "TestScratch",
            .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "ScanEngine", "RuleKit", "ChatModel", "TestScratch"]),
    ],
    swiftLanguageModes: [.v5]
)
