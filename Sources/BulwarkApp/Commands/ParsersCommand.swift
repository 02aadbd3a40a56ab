import BulwarkCore
import BulwarkParsers
import Vapor

/// `bulwark parsers`: every registered scan type with its dedupe configuration.
struct ParsersCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Lists the registered scan types and how each deduplicates." }

    func run(using context: CommandContext, signature: Signature) async throws {
        for descriptor in ParserRegistry.descriptors {
            let fields = descriptor.dedupe.hashFields.map { $0.map(\.rawValue).joined(separator: ", ") } ?? "legacy (title, cwe, line, file_path, description)"
            context.console.print("\(descriptor.scanType.rawValue)\t\(descriptor.dedupe.algorithm.rawValue)\t\(fields)\tv\(descriptor.version)")
        }
    }
}
