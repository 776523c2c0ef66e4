import Foundation

/// Atomic file replacement: write to a temporary file in the destination's directory, then `rename(2)`
/// over the destination, so readers never observe a half-written image or video.
enum AtomicFile {
    /// A fresh temporary path beside `path` (same directory, hence same file system for the rename).
    /// The original extension is kept last so tools that sniff by extension still work.
    static func temporaryPath(besides path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let ext = url.pathExtension
        let token = UUID().uuidString.prefix(8)
        let name = ".\(url.deletingPathExtension().lastPathComponent).tmp-\(token)" + (ext.isEmpty ? "" : ".\(ext)")
        return (dir as NSString).appendingPathComponent(name)
    }

    /// Runs `write` on a temporary path and renames it onto `path`; removes the temporary on failure.
    static func write(to path: String, _ write: (String) throws -> Void) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw MediaError.writeFailed(path: path, reason: "directory \(dir) does not exist")
        }
        let tmp = temporaryPath(besides: path)
        do {
            try write(tmp)
        } catch {
            unlink(tmp)
            throw error
        }
        if rename(tmp, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw MediaError.writeFailed(path: path, reason: "rename from temporary file failed: \(reason)")
        }
    }

    /// Classifies a path before reading: missing, not a regular file, or empty.
    static func checkReadable(_ path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw MediaError.fileNotFound(path: path)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
        if size == 0 { throw MediaError.emptyFile(path: path) }
    }
}
