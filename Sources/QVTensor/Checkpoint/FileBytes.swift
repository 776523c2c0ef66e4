#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic whole-file writes with POSIX calls, errors naming the path.
enum FileBytes {
    static func errnoMessage() -> String { String(cString: strerror(errno)) }

    static func readAll(_ path: String) throws(CheckpointError) -> [UInt8] {
        func fail(_ op: String) -> CheckpointError {
            CheckpointError(file: path, defect: .io(operation: op, message: errnoMessage()))
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw fail("open") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail("stat") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw CheckpointError(file: path, defect: .io(operation: "open", message: "not a regular file"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress! + filled, raw.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("read")
            }
            if n == 0 { break }  // file shrank while reading: decode the bytes we have
            filled += n
        }
        if filled < bytes.count { bytes.removeSubrange(filled...) }
        return bytes
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(CheckpointError) {
        func fail(_ op: String) -> CheckpointError {
            CheckpointError(file: path, defect: .io(operation: op, message: errnoMessage()))
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let wildcard = String(repeating: "X", count: 6)  // mkstemp(3) replaces these
        var template = Array(((directory.isEmpty ? "/" : directory) + "/." + base + ".tmp-" + wildcard).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw fail("create temporary file") }
        let tempPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer { if !committed { unlink(tempPath) } }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + written, raw.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = fail("write")
                close(fd)
                throw error
            }
            written += n
        }
        guard fchmod(fd, 0o644) == 0, fsync(fd) == 0 else {
            let error = fail("flush")
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw fail("close") }
        guard rename(tempPath, path) == 0 else { throw fail("rename") }
        committed = true
        let dirFD = open(directory.isEmpty ? "/" : directory, O_RDONLY)
        if dirFD >= 0 {  // make the rename durable; failure here leaves a complete file, so it is not fatal
            _ = fsync(dirFD)
            close(dirFD)
        }
    }
}
