import Foundation

/// One `video,caption` row of an OpenVid-style CSV, with the line it starts on (header = line 1).
public struct VideoCaptionRow: Sendable, Equatable {
    public var line: Int
    public var video: String
    public var caption: String
}

/// A problem with one CSV record; parsing continues with the next record.
public struct CSVRowError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var message: String
    public var description: String { "\(source):\(line): \(message)" }
}

/// A problem that makes the whole CSV unusable.
public enum CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(source: String, reason: String)
    case emptyFile(source: String)
    case badHeader(source: String, header: [String], problem: String)

    public var description: String {
        switch self {
        case let .unreadable(source, reason): "\(source): cannot read the CSV file: \(reason)"
        case let .emptyFile(source): "\(source): the CSV file has no header row (expected at least 'video,caption')"
        case let .badHeader(source, header, problem):
            "\(source): header row [\(header.joined(separator: ", "))]: \(problem); "
                + "expected OpenVid's layout with columns 'video' and 'caption'"
        }
    }
}

/// The readable rows of a video/caption CSV and the line-numbered errors of the rejected ones.
public struct VideoCaptionTable: Sendable, Equatable {
    public var source: String
    /// The header's column names as written.
    public var header: [String]
    public var rows: [VideoCaptionRow]
    public var errors: [CSVRowError]
}

/// A strict RFC 4180 reader for OpenVid's `video,caption[,…]` CSV: a header row naming at least the
/// columns `video` and `caption` (any order, other columns ignored), fields optionally quoted with `"`,
/// `""` for a quote inside a quoted field, commas and line breaks allowed inside quotes, LF or CRLF line
/// ends, an optional UTF-8 byte-order mark. Blank lines are skipped. A record with the wrong number of
/// fields, a stray quote, an empty video name or caption, a repeated video, or invalid UTF-8 becomes a
/// `CSVRowError` naming its line; the other rows are still returned.
public enum VideoCaptionCSV {
    /// Reads and parses a CSV file.
    public static func read(path: String) throws(CSVError) -> VideoCaptionTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw .unreadable(source: path, reason: exists ? "permission denied or not a file" : "no such file")
        }
        return try parse([UInt8](data), source: path)
    }

    /// Parses CSV text; `source` names it in errors.
    public static func parse(_ text: String, source: String = "<csv>") throws(CSVError) -> VideoCaptionTable {
        try parse(Array(text.utf8), source: source)
    }

    /// Parses CSV bytes; `source` names them in errors.
    public static func parse(_ bytes: [UInt8], source: String = "<csv>") throws(CSVError) -> VideoCaptionTable {
        var records = CSVRecordScanner(bytes: bytes)
        guard let headerRecord = records.next() else { throw .emptyFile(source: source) }
        let header = headerRecord.fields.map { String(decoding: $0, as: UTF8.self) }
        if let problem = headerRecord.problem {
            throw .badHeader(source: source, header: header, problem: problem)
        }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted {
            throw .badHeader(source: source, header: header, problem: "column '\(n)' appears twice")
        }
        guard let videoColumn = names.firstIndex(of: "video"), let captionColumn = names.firstIndex(of: "caption") else {
            let missing = ["video", "caption"].filter { !names.contains($0) }
            throw .badHeader(source: source, header: header, problem: "missing column(s) \(missing.joined(separator: ", "))")
        }

        var table = VideoCaptionTable(source: source, header: header, rows: [], errors: [])
        var firstLineOfVideo: [String: Int] = [:]
        while let record = records.next() {
            func reject(_ message: String) {
                table.errors.append(CSVRowError(source: source, line: record.line, message: message))
            }
            if let problem = record.problem { reject(problem); continue }
            guard record.fields.count == header.count else {
                reject("expected \(header.count) fields (\(header.joined(separator: ","))) but found \(record.fields.count)")
                continue
            }
            guard let videoRaw = String(validating: record.fields[videoColumn], as: UTF8.self),
                  let captionRaw = String(validating: record.fields[captionColumn], as: UTF8.self) else {
                reject("invalid UTF-8 in the video or caption field")
                continue
            }
            let video = videoRaw.trimmingCharacters(in: .whitespaces)
            let caption = captionRaw.trimmingCharacters(in: .whitespacesAndNewlines)
            if video.isEmpty { reject("empty video file name"); continue }
            if caption.isEmpty { reject("empty caption for video '\(video)'"); continue }
            if let first = firstLineOfVideo[video] {
                reject("video '\(video)' already listed on line \(first)")
                continue
            }
            firstLineOfVideo[video] = record.line
            table.rows.append(VideoCaptionRow(line: record.line, video: video, caption: caption))
        }
        return table
    }
}
