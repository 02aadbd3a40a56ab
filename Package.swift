// swift-tools-version:6.2
import PackageDescription

/// Swift settings shared by every target: Swift 6 language mode plus the upcoming features
/// the Vapor template and Penny use.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "bulwark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bulwark", targets: ["bulwark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", exact: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", exact: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", exact: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", exact: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", exact: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", exact: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", exact: "1.13.2"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
        .package(url: "https://github.com/JohnSundell/Plot.git", exact: "0.14.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
    ],
    targets: [
        // MARK: Domain
        /// Findings, severities, hash codes, dedupe and reimport decisions, SLA maths. No I/O, no dependencies.
        .target(name: "BulwarkCore", swiftSettings: strict),

        // MARK: Tool integrations
        /// One parser per scan type plus the explicit `ParserRegistry`. Pure: bytes in, findings out.
        .target(
            name: "BulwarkParsers",
            dependencies: ["BulwarkCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict),

        /// One connector per tool API plus the explicit `ConnectorRegistry`, over an injected HTTP
        /// transport (AsyncHTTPClient in production, replay in tests). HTTP in, findings out, no database.
        .target(
            name: "BulwarkConnectors",
            dependencies: ["BulwarkCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl")],
            swiftSettings: strict),

        // MARK: Persistence
        /// Declarations of the SQLite C functions (sqlite-nio's built-in copy) that read connections call.
        .target(name: "CBulwarkSQLite"),
        /// Fluent models, migrations and SQLKit fast paths. Dialect-neutral (SQLite and PostgreSQL).
        .target(
            name: "BulwarkStorage",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                "CBulwarkSQLite",
            ],
            swiftSettings: strict),

        // MARK: Shared HTTP layer
        /// What API and Web both need: request limits, form parsing, CSRF, hashed sessions, security headers, upload files.
        .target(
            name: "BulwarkHTTP",
            dependencies: ["BulwarkCore", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            swiftSettings: strict),

        // MARK: Application
        /// Use cases: users and tokens, import/reimport, dedupe. Writes go through here.
        .target(
            name: "BulwarkServices",
            dependencies: ["BulwarkCore", "BulwarkParsers", "BulwarkConnectors", "BulwarkStorage",
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        /// DefectDojo API v2: controllers, DTOs, filters, pagination, error mapping.
        .target(
            name: "BulwarkAPI",
            dependencies: ["BulwarkServices", "BulwarkHTTP", .product(name: "Vapor", package: "vapor"),
                           .product(name: "Fluent", package: "fluent")],
            swiftSettings: strict),
        /// Server-rendered HTML pages: one Model/View pair per page (Plot), thin handlers calling the services.
        .target(
            name: "BulwarkWeb",
            dependencies: ["BulwarkServices", "BulwarkHTTP", .product(name: "Vapor", package: "vapor"),
                           .product(name: "Fluent", package: "fluent"), .product(name: "Plot", package: "Plot")],
            swiftSettings: strict),
        /// Composition root: `AppConfig` (the only reader of the environment), `configure`, commands.
        .target(
            name: "BulwarkApp",
            dependencies: [
                "BulwarkAPI", "BulwarkWeb", "BulwarkHTTP",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            swiftSettings: strict),
        /// The executable: `entrypoint.swift` only.
        .executableTarget(name: "bulwark", dependencies: ["BulwarkApp"], swiftSettings: strict),

        // MARK: Tests
        /// Test support: per-test SQLite databases, app builders, small fixtures.
        .target(
            name: "BulwarkTesting",
            dependencies: ["BulwarkApp", "BulwarkConnectors", .product(name: "VaporTesting", package: "vapor"), .product(name: "Fluent", package: "fluent"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                           .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver")],
            path: "Tests/BulwarkTesting",
            swiftSettings: strict),
        .testTarget(name: "BulwarkCoreTests", dependencies: ["BulwarkCore"]),
        .testTarget(
            name: "BulwarkParsersTests",
            dependencies: ["BulwarkParsers", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "BulwarkStorageTests",
            dependencies: ["BulwarkStorage", .product(name: "SQLiteNIO", package: "sqlite-nio"),
                           .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "BulwarkServicesTests", dependencies: ["BulwarkServices"]),
        .testTarget(name: "BulwarkConnectorsTests", dependencies: ["BulwarkConnectors", "BulwarkTesting"]),
        .testTarget(
            name: "BulwarkAPITests",
            dependencies: ["BulwarkTesting", "BulwarkHTTP", .product(name: "VaporTesting", package: "vapor")]),
        /// Page views rendered from model values against golden HTML files, and the pages' routes.
        .testTarget(
            name: "BulwarkWebTests",
            dependencies: ["BulwarkTesting", "BulwarkWeb", "BulwarkHTTP", .product(name: "VaporTesting", package: "vapor")],
            exclude: ["Golden"]),
    ]
)
