import Foundation

/// Small file-system helpers shared by the harness (atomic writes, directories).
public enum Files {
    /// Creates `path` and its parents if needed.
    public static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `data` to a temporary file beside `path`, then renames it over `path`, so readers never
    /// see a partial file (a kill mid-write leaves the old file or none).
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try makeDirectory(dir) }
        let temp = path + ".tmp-\(getpid())"
        try data.write(to: URL(fileURLWithPath: temp))
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temp)
            throw HarnessError.io(path: path, reason: "rename failed: \(reason)")
        }
    }

    public static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(Data(text.utf8), to: path)
    }

    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}

/// Harness-level failures with the thing named and, where known, the fix.
public enum HarnessError: Error, CustomStringConvertible {
    case io(path: String, reason: String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .io(path, reason): return "\(path): \(reason)"
        case let .invalid(message): return message
        }
    }
}
