import Foundation
import Testing
@testable import QVTensor

/// Cross-checks against the reference implementation through scripts/check_safetensors.py. Runs when
/// `python3 -c "import safetensors, numpy"` succeeds; otherwise skipped (`pip install safetensors numpy`).
@Suite("Safetensors vs the Python reference")
struct SafetensorsReferenceTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/check_safetensors.py").path

    /// Runs python3 with `arguments`; returns the exit status and standard output.
    static func python(_ arguments: [String]) -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return (-1, Data(), "\(error)") }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, String(decoding: stderr, as: UTF8.self))
    }

    static let referenceAvailable: Bool = python(["-c", "import safetensors, numpy"]).status == 0

    /// Compares a Swift-side file with the script's JSON description, exactly.
    static func compare(_ file: SafetensorsFile, with json: Data) throws {
        let root = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let metadata = try #require(root["metadata"] as? [String: String])
        #expect(metadata == file.metadata)
        let tensors = try #require(root["tensors"] as? [String: [String: Any]])
        #expect(Set(tensors.keys) == Set(file.names))
        for t in file.tensors {
            let d = try #require(tensors[t.name], "python lacks tensor \(t.name)")
            #expect(d["dtype"] as? String == t.dtype.rawValue, "\(t.name)")
            #expect((d["shape"] as? [NSNumber])?.map(\.intValue) == t.shape, "\(t.name)")
            let ours: [Double]
            if t.dtype.isFloatingPoint {
                // Floats travel as hexadecimal strings (float.hex()): exact, unlike decimal JSON numbers.
                let theirs = try #require(d["values"] as? [String]).map { Double($0) }
                ours = try t.doubleValues()
                #expect(theirs.map { $0?.bitPattern } == ours.map(\.bitPattern), "\(t.name) values")
            } else {
                let theirs = try #require(d["values"] as? [NSNumber])
                ours = Self.integerValues(t).map(Double.init)
                #expect(theirs.map(\.int64Value) == Self.integerValues(t), "\(t.name) values")
            }
            let sum = try #require((d["sum"] as? NSNumber)?.doubleValue)
            let ourSum = ours.reduce(0, +)
            #expect(abs(sum - ourSum) <= 1e-12 * max(1, abs(ourSum)), "\(t.name) sum \(sum) vs \(ourSum)")
        }
    }

    /// Integer elements of any integer dtype, decoded here from the raw little-endian bytes.
    static func integerValues(_ t: SafetensorsTensor) -> [Int64] {
        let size = t.dtype.byteSize
        let signed: Bool = [.i8, .i16, .i32, .i64].contains(t.dtype)
        return stride(from: 0, to: t.bytes.count, by: size).map { start in
            var v: UInt64 = 0
            for k in 0..<size { v |= UInt64(t.bytes[start + k]) << (8 * UInt64(k)) }
            if t.dtype == .bool { return v == 0 ? 0 : 1 }
            if signed && size < 8 && v >> (8 * UInt64(size) - 1) == 1 { v |= ~0 << (8 * UInt64(size)) }
            return Int64(bitPattern: v)
        }
    }

    @Test("Python's safetensors reads what Swift writes", .enabled(if: referenceAvailable,
          "needs python3 with the safetensors and numpy packages: pip install safetensors numpy"))
    func pythonReadsSwift() throws {
        let dir = SafetensorsFormatTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/swift.safetensors"
        let file = try SafetensorsFormatTests.everyDTypeFile()
        try file.write(to: path)
        let run = Self.python([Self.script, "read", path])
        try #require(run.status == 0, "check_safetensors.py read failed: \(run.stderr)")
        try Self.compare(file, with: run.stdout)
    }

    @Test("Swift reads what Python's safetensors writes", .enabled(if: referenceAvailable,
          "needs python3 with the safetensors and numpy packages: pip install safetensors numpy"))
    func swiftReadsPython() throws {
        let dir = SafetensorsFormatTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/python.safetensors"
        let run = Self.python([Self.script, "write", path])
        try #require(run.status == 0, "check_safetensors.py write failed: \(run.stderr)")
        let file = try SafetensorsFile.read(from: path)
        #expect(file.names.count == 10)
        try Self.compare(file, with: run.stdout)
        // Our layout differs from the reference writer's (its header follows data order, ours is sorted),
        // but both are valid: Python must read Swift's rewrite of its file back to the same values.
        let again = dir + "/again.safetensors"
        try file.write(to: again)
        let reread = Self.python([Self.script, "read", again])
        try #require(reread.status == 0, "python could not read Swift's rewrite: \(reread.stderr)")
        try Self.compare(file, with: reread.stdout)
    }
}
