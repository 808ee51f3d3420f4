import ChatModel
import Foundation

/// The evidence manifest of one run: enough for a second examiner to re-run the scan and check that they got the
/// same hits (tool version, rule packs with content hashes, every input with size and SHA-256, options, command
/// line, working directory, times, hit count, and the SHA-256 of every output file written). Written as JSON beside
/// the outputs and stored in the case database's `runs.manifest`. Input, output and rule paths are recorded as given
/// on the command line; relative ones are relative to `working_directory`.
public struct Manifest: Codable, Sendable, Equatable {
    /// One output written by the run. `sha256` is nil for the case database (it changes with every later run).
    public struct Output: Codable, Sendable, Equatable {
        public var kind: String
        public var path: String
        public var bytes: Int?
        public var sha256: String?
    }
    /// One input: path, size and SHA-256 of the file as read, plus what the scan made of it.
    public struct Input: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int
        public var sha256: String
        public var format: SourceFormat?
        public var messages: Int
        public var unparsedLines: Int
        public var error: String?
        /// Each evidence file behind the input, as stored (a thread has several).
        public var files: [FileDigest]
        enum CodingKeys: String, CodingKey {
            case path, size, sha256, format, messages, error, files
            case unparsedLines = "unparsed_lines"
        }
        public init(_ s: SourceRecord) {
            path = s.path; size = s.size; sha256 = s.sha256; format = s.format; messages = s.messages
            unparsedLines = s.unparsedLines; error = s.error; files = s.files
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decode(String.self, forKey: .path); size = try c.decode(Int.self, forKey: .size)
            sha256 = try c.decode(String.self, forKey: .sha256)
            format = try c.decodeIfPresent(SourceFormat.self, forKey: .format)
            messages = try c.decode(Int.self, forKey: .messages)
            unparsedLines = try c.decode(Int.self, forKey: .unparsedLines)
            error = try c.decodeIfPresent(String.self, forKey: .error)
            files = try c.decodeIfPresent([FileDigest].self, forKey: .files) ?? []
        }
    }
    /// What the run read and found: inputs, bytes, messages, unparsed lines, issues, hit messages, hits, endorsements.
    public struct Totals: Codable, Sendable, Equatable {
        public var sources: Int
        public var bytes: Int
        public var messages: Int
        public var unparsedLines: Int
        public var issues: Int
        public var hitMessages: Int
        public var hits: Int
        public var endorsements: Int
        enum CodingKeys: String, CodingKey {
            case sources, bytes, messages, issues, hits, endorsements
            case unparsedLines = "unparsed_lines", hitMessages = "hit_messages"
        }
    }

    public var schema = "chatsieve-manifest/1"
    public var toolVersion: String
    public var command: [String]
    /// `working_directory`: the absolute directory the scan ran in, the base of the relative paths recorded (absent
    /// in manifests of earlier versions).
    public var workingDirectory: String?
    public var startedAt: String
    public var endedAt: String
    public var options: [String: String]
    public var rulePacks: [RulePackSummary]
    public var rules: Int
    public var inputs: [Input]
    public var totals: Totals
    public var outputs: [Output]

    enum CodingKeys: String, CodingKey {
        case schema, command, options, rules, inputs, totals, outputs
        case toolVersion = "tool_version", startedAt = "started_at", endedAt = "ended_at", rulePacks = "rule_packs"
        case workingDirectory = "working_directory"
    }

    /// Pretty JSON with sorted keys (stable across runs except for times and output hashes).
    public func json() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var d = try enc.encode(self)
        d.append(0x0A)
        return d
    }

    public static func load(_ path: String) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// ISO 8601 UTC, seconds precision.
    public static func now() -> String {
        UTCTimestamp.string(secondsSince1970: Date().timeIntervalSince1970)
    }
}
