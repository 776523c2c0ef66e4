import Foundation

/// The content-addressed cell store of one suite: `<root>/<suite>/cells/<key>/` holding `result.json`
/// (written atomically and last: its presence means done), `log.txt` and, after a failed attempt,
/// `failure.json`. A directory without `result.json` is an interrupted attempt and is run again.
public struct CellCache: Sendable {
    public enum State: Sendable {
        case absent
        /// The directory exists from an interrupted attempt (or a corrupt result that was set aside).
        case partial
        case failed(CellFailure)
        case done(CellRecord)
    }

    /// `runs/<suite>/cells`.
    public let directory: String

    public init(runsRoot: String, suite: String) {
        directory = (runsRoot as NSString).appendingPathComponent("\(suite)/cells")
    }

    public func cellDirectory(_ key: String) -> String { (directory as NSString).appendingPathComponent(key) }
    func resultPath(_ key: String) -> String { (cellDirectory(key) as NSString).appendingPathComponent("result.json") }
    func failurePath(_ key: String) -> String { (cellDirectory(key) as NSString).appendingPathComponent("failure.json") }
    func logPath(_ key: String) -> String { (cellDirectory(key) as NSString).appendingPathComponent("log.txt") }

    public func state(of key: String) -> State {
        let fm = FileManager.default
        if let data = fm.contents(atPath: resultPath(key)) {
            if let record = try? JSONDecoder().decode(CellRecord.self, from: data), record.key == key { return .done(record) }
            // Unreadable or for another key: set it aside so the cell is redone and the evidence kept.
            _ = rename(resultPath(key), resultPath(key) + ".corrupt")
            return .partial
        }
        if let data = fm.contents(atPath: failurePath(key)),
           let failure = try? JSONDecoder().decode(CellFailure.self, from: data) { return .failed(failure) }
        return fm.fileExists(atPath: cellDirectory(key)) ? .partial : .absent
    }

    /// The finished record of `key`, if any.
    public func record(_ key: String) -> CellRecord? {
        if case let .done(record) = state(of: key) { return record }
        return nil
    }

    /// Creates the cell directory for a new attempt, clearing the previous attempt's failure note.
    func prepare(_ key: String) throws -> String {
        let dir = cellDirectory(key)
        try Files.makeDirectory(dir)
        try? FileManager.default.removeItem(atPath: failurePath(key))
        return dir
    }

    func writeResult(_ record: CellRecord) throws {
        try Files.writeAtomically(try Self.encoder.encode(record), to: resultPath(record.key))
    }

    func writeFailure(_ failure: CellFailure) throws {
        try Files.writeAtomically(try Self.encoder.encode(failure), to: failurePath(failure.key))
    }

    /// Appends a time-stamped line to the cell's log.
    func log(_ key: String, _ line: String) {
        let text = "\(CellCache.timestamp()) \(line)\n"
        let path = logPath(key)
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }

    /// ISO-8601 UTC, seconds precision.
    static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
