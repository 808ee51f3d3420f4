import ChatModel
import Foundation

/// One file on disk that a chat source reads: what the evidence manifest lists (the engine computes SHA-256).
public struct SourceFile: Sendable, Equatable, Hashable {
    /// Path as given on the command line, or joined under the folder that was given.
    public var path: String
    public var size: Int
    public init(path: String, size: Int) { self.path = path; self.size = size }
}

/// One chat export found in the inputs, ready to be read by `ChatReader`.
///
/// A source is a single file (WhatsApp `.txt`, a `lines` file, an E2EE or Telegram JSON), a member of a zip
/// archive (WhatsApp `_chat.txt`), or every `message_N.json` of one Messenger/Instagram thread.
public struct ChatSource: Sendable, Equatable {
    /// Where the content of a source is stored.
    public enum Location: Sendable, Equatable {
        /// A single file on disk.
        case file(String)
        /// A member of a zip archive, read after inflating it (byte offsets are offsets in the inflated member).
        case zipMember(zip: String, member: String)
        /// The `message_N.json` files of one thread, in the order message_1, message_2, …
        case thread([String])
    }

    /// How the source is named in messages, issues and reports (`archive.zip!/_chat.txt`, a thread's folder).
    public var displayPath: String
    public var format: SourceFormat
    public var location: Location
    /// The files on disk behind this source, with their sizes (a zip member lists its zip).
    public var files: [SourceFile]
    /// Chat name taken from the file or zip name (`WhatsApp Chat - X.zip` gives `X`), used when
    /// `ParseOptions.chatName` is nil.
    public var chatNameHint: String?

    public init(displayPath: String, format: SourceFormat, location: Location, files: [SourceFile], chatNameHint: String? = nil) {
        self.displayPath = displayPath; self.format = format; self.location = location; self.files = files
        self.chatNameHint = chatNameHint
    }

    /// True for sources read as one run of text bytes (WhatsApp text or zip member, `lines`), which
    /// `ChatReader.withMappedBytes` can hand out.
    public var isSingleText: Bool {
        if case .thread = location { return false }
        return format == .whatsapp || format == .lines
    }

    /// Total size in bytes of the files behind the source.
    public var totalSize: Int { files.reduce(0) { $0 + $1.size } }
}

/// Turns command-line paths (files and folders) into chat sources.
///
/// Folders are walked recursively in sorted order. Every file is classified by its content (`FormatDetector`);
/// files that are not chat exports are skipped and listed as warnings (`skipped: not a chat export (...)`);
/// files that should be chats but cannot be read (a zip without a chat, unreadable files, binary data under a chat
/// name) are errors. The `message_N.json` files of one Messenger/Instagram thread (same folder) become one source.
/// Inputs are only ever opened for reading.
public enum InputCollector {
    public static func collect(paths: [String], options: ParseOptions) -> (sources: [ChatSource], issues: [ParseIssue]) {
        var state = Walk(options: options)
        for path in paths {
            state.visit(path: path, explicit: true)
        }
        return (groupThreads(state.sources), state.issues)
    }

    /// Joins the Messenger/Instagram `message_N.json` files of the same folder into one thread source.
    static func groupThreads(_ sources: [ChatSource]) -> [ChatSource] {
        var out: [ChatSource] = []
        var threadAt: [String: Int] = [:]   // folder -> index in `out`
        for s in sources {
            guard s.format == .messenger || s.format == .instagram, case .file(let path) = s.location,
                  let n = messagePartNumber(path) else {
                out.append(s); continue
            }
            let folder = (path as NSString).deletingLastPathComponent
            if let at = threadAt[folder], case .thread(var files) = out[at].location {
                files.append(path)
                var parts = out[at].files + s.files
                let order = files.indices.sorted { messagePartNumber(files[$0])! < messagePartNumber(files[$1])! }
                files = order.map { files[$0] }
                parts = order.map { parts[$0] }
                out[at].location = .thread(files)
                out[at].files = parts
            } else {
                threadAt[folder] = out.count
                _ = n
                out.append(ChatSource(displayPath: folder.isEmpty ? "." : folder, format: s.format,
                                      location: .thread([path]), files: s.files))
            }
        }
        return out
    }

    /// `N` of a file named `message_N.json`, else nil.
    static func messagePartNumber(_ path: String) -> Int? {
        let name = (path as NSString).lastPathComponent
        guard name.hasPrefix("message_"), name.hasSuffix(".json") else { return nil }
        return Int(name.dropFirst("message_".count).dropLast(".json".count))
    }

    /// Extensions whose files are expected to be chats: binary content there is an error, not a skip.
    static let chatExtensions: Set<String> = ["txt", "json", "zip"]

    private struct Walk {
        let options: ParseOptions
        var sources: [ChatSource] = []
        var issues: [ParseIssue] = []
        /// Files already taken, by standardized absolute path, so that a file given twice is read once.
        var seen: Set<String> = []

        init(options: ParseOptions) { self.options = options }

        mutating func visit(path: String, explicit: Bool) {
            let fm = FileManager.default
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                issues.append(ParseIssue(file: path, severity: .error, reason: "no such file or folder")); return
            }
            if isDir.boolValue {
                if !explicit, let type = try? fm.attributesOfItem(atPath: path)[.type] as? FileAttributeType,
                   type == .typeSymbolicLink {
                    issues.append(ParseIssue(file: path, severity: .warning, reason: "skipped: symbolic link to a folder (not followed)"))
                    return
                }
                let names: [String]
                do { names = try fm.contentsOfDirectory(atPath: path).sorted() } catch {
                    issues.append(ParseIssue(file: path, severity: .error, reason: "cannot list folder: \(error.localizedDescription)"))
                    return
                }
                for name in names {
                    visit(path: path.hasSuffix("/") ? path + name : path + "/" + name, explicit: false)
                }
                return
            }
            visitFile(path: path, explicit: explicit)
        }

        mutating func visitFile(path: String, explicit: Bool) {
            let key = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            guard seen.insert(key).inserted else {
                issues.append(ParseIssue(file: path, severity: .warning, reason: "skipped: already read (given more than once)"))
                return
            }
            // A named pipe, socket or device is not evidence on disk, and reading a pipe without a writer would
            // wait forever.
            if let kind = Self.specialFileKind(path) {
                if explicit { issues.append(ParseIssue(file: path, severity: .error, reason: "not a regular file (\(kind))")) }
                else { issues.append(ParseIssue(file: path, severity: .warning, reason: "skipped: not a regular file (\(kind))")) }
                return
            }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
                issues.append(ParseIssue(file: path, severity: .error, reason: "cannot read file: \(error.localizedDescription)"))
                return
            }
            let size = data.count
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let sniff = data.withUnsafeBytes { FormatDetector.sniff($0, path: absolute) }
            let ext = (path as NSString).pathExtension.lowercased()
            let file = [SourceFile(path: path, size: size)]

            func add(_ format: SourceFormat) {
                sources.append(ChatSource(displayPath: path, format: format, location: .file(path), files: file,
                                          chatNameHint: format == .whatsapp ? WhatsAppParser.chatName(fromFileName: (path as NSString).lastPathComponent) : nil))
            }
            func skip(_ why: String) {
                issues.append(ParseIssue(file: path, severity: .warning, reason: "skipped: not a chat export (\(why))"))
            }
            func fail(_ why: String) { issues.append(ParseIssue(file: path, severity: .error, reason: why)) }

            // a forced format applies to every file named on the command line, but in a folder walk only to files
            // of the same family (JSON or text), so that `--format lines` does not read JSON files next to the text
            if let forced = options.format, !explicit {
                let wantsJSON = Self.jsonFormats.contains(forced)
                var fits = true
                var what = ""
                switch sniff {
                case .chat(let f): fits = Self.jsonFormats.contains(f) == wantsJSON; what = "\(f.rawValue) export"
                case .otherJSON: fits = wantsJSON; what = "JSON"
                case .plainText, .invalidUTF8: fits = !wantsJSON; what = "text"
                case .zipArchive: fits = !wantsJSON; what = "zip archive"
                case .binary, .empty: break
                }
                if !fits { skip("\(what) does not fit --format \(forced.rawValue)"); return }
            }

            switch sniff {
            case .zipArchive:
                addZip(path: path, size: size)
            case .empty:
                if explicit || Self.isChatName(ext) { fail("empty file") } else { skip("empty file") }
            case .binary(let why):
                if explicit || Self.isChatName(ext) { fail("\(why): not a chat export") } else { skip(why) }
            case .invalidUTF8(let at):
                // named or chat-like files are read anyway, so that the error names the line of the bad byte
                if explicit || options.format != nil || Self.isChatName(ext) { add(options.format ?? .lines) }
                else { skip("not UTF-8 text (invalid byte at offset \(at))") }
            case .chat(let f):
                add(options.format ?? f)
            case .plainText:
                if let forced = options.format { add(forced) }
                else if explicit { add(.lines) }
                else { skip("plain text that is no known chat format; name the file or use --format lines to read it line by line") }
            case .otherJSON:
                if let forced = options.format { add(forced) }
                else if explicit { fail("JSON file without chat messages of a known format (Messenger, Instagram, Telegram)") }
                else { skip("JSON without chat messages") }
            }
        }

        static func isChatName(_ ext: String) -> Bool { InputCollector.chatExtensions.contains(ext) }

        /// What `path` is when it exists but is neither a regular file nor a folder (links followed), else nil.
        static func specialFileKind(_ path: String) -> String? {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            switch st.st_mode & S_IFMT {
            case S_IFREG, S_IFDIR: return nil
            case S_IFIFO: return "a named pipe"
            case S_IFSOCK: return "a socket"
            case S_IFCHR: return "a character device"
            case S_IFBLK: return "a block device"
            default: return "not a file"
            }
        }

        static let jsonFormats: Set<SourceFormat> = [.messenger, .instagram, .messengerE2EE, .telegram]

        mutating func addZip(path: String, size: Int) {
            switch ZipExport.findChats(zipPath: path) {
            case .success(let members):
                let format: SourceFormat = options.format == .lines ? .lines : .whatsapp
                if let forced = options.format, forced != .whatsapp, forced != .lines {
                    issues.append(ParseIssue(file: path, severity: .error,
                                             reason: "--format \(forced.rawValue) cannot read a zip archive (only whatsapp or lines); unzip it first"))
                    return
                }
                let zipChat = ZipExport.chatName(fromZipName: (path as NSString).lastPathComponent)
                for member in members {
                    // Several exports bundled in one archive are told apart by their folders.
                    let folder = ((member as NSString).deletingLastPathComponent as NSString).lastPathComponent
                    sources.append(ChatSource(displayPath: "\(path)!/\(member)", format: format,
                                              location: .zipMember(zip: path, member: member),
                                              files: [SourceFile(path: path, size: size)],
                                              chatNameHint: members.count > 1 && !folder.isEmpty ? folder : zipChat))
                }
            case .failure(let error):
                issues.append(ParseIssue(file: path, severity: .error, reason: error.reason))
            }
        }
    }
}

extension ParseOptions {
    /// Builds options from command-line strings (`--format`, `--date-order`, `--chat`), shared by `parse` and `scan`.
    /// Formats take the `SourceFormat` names and the catalogue's names (`whatsapp-txt`, `messenger-json`, …).
    public static func fromCommandLine(format: String?, dateOrder: String?, chatName: String?) throws -> ParseOptions {
        var o = ParseOptions(chatName: chatName)
        if let f = format {
            guard let parsed = SourceFormat.fromName(f) else {
                throw InputError(file: "--format", reason: "unknown format '\(f)' (use one of: \(SourceFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            o.format = parsed
        }
        if let d = dateOrder {
            guard let parsed = DateOrder(rawValue: d.lowercased()) else {
                throw InputError(file: "--date-order", reason: "unknown date order '\(d)' (use dmy, mdy or ymd)")
            }
            o.dateOrder = parsed
        }
        return o
    }
}

extension SourceFormat {
    /// The format for a `--format` value: the raw value or a catalogue name (`whatsapp-txt`, `telegram-json`, …).
    public static func fromName(_ name: String) -> SourceFormat? {
        let n = name.lowercased()
        if let f = SourceFormat(rawValue: n) { return f }
        switch n {
        case "whatsapp-txt", "whatsapp-zip", "txt", "zip": return .whatsapp
        case "messenger-json", "facebook", "fb": return .messenger
        case "messenger-e2ee-json", "e2ee": return .messengerE2EE
        case "instagram-json", "ig": return .instagram
        case "telegram-json", "tg": return .telegram
        case "line", "text", "plain": return .lines
        default: return nil
        }
    }
}
