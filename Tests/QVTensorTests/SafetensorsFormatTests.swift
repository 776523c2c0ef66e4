import Testing
@testable import QVTensor
import Foundation

/// Round trips, the byte layout against the spec, and file-level behaviour (atomic writes, I/O errors).
@Suite("Safetensors format")
struct SafetensorsFormatTests {
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/qvtensor-safetensors-XXXXXX".utf8CString)
        let ok = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        precondition(ok, "mkdtemp failed")
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func everyDTypeFile() throws -> SafetensorsFile {
        var g = SeededGenerator(seed: 99, stream: "safetensors-roundtrip")
        let floats = (0..<24).map { _ in g.normal() * 3 }
        var tensors = [
            try SafetensorsTensor(name: "weights.f32", floats: floats, shape: [4, 6]),
            try SafetensorsTensor(name: "weights.f16", floats: floats, shape: [2, 3, 4], storedAs: .f16),
            try SafetensorsTensor(name: "weights.bf16", floats: floats, shape: [24], storedAs: .bf16),
            try SafetensorsTensor(name: "weights.f64", doubles: floats.map { Double($0) / 3 }, shape: [6, 4]),
            try SafetensorsTensor(name: "codes.i8", int8: [-128, -1, 0, 1, 127], shape: [5]),
            try SafetensorsTensor(name: "codes.u8", uint8: [0, 7, 255], shape: [3]),
            try SafetensorsTensor(name: "step.i32", int32: [Int32.min, -5, 0, Int32.max], shape: [2, 2]),
            try SafetensorsTensor(name: "count.i64", int64: [Int64.min, 42], shape: [2]),
            try SafetensorsTensor(name: "scalar", floats: [2.5], shape: []),
            try SafetensorsTensor(name: "empty", floats: [], shape: [0, 3]),
            try SafetensorsTensor(name: "ünïcode \"quoted\"\n", uint8: [1], shape: [1]),
        ]
        for dtype in [SafetensorsDType.bool, .i16, .u16, .u32, .u64] {
            // Element k holds k·37 + 1 in its low byte (0/1 for BOOL), so every reader agrees on the value.
            let bytes = (0..<(3 * dtype.byteSize)).map { i -> UInt8 in
                guard i % dtype.byteSize == 0 else { return 0 }
                return dtype == .bool ? UInt8(i / dtype.byteSize % 2) : UInt8(i / dtype.byteSize * 37 + 1)
            }
            tensors.append(try SafetensorsTensor(name: "raw.\(dtype.rawValue)", dtype: dtype, shape: [3], bytes: bytes))
        }
        return try SafetensorsFile(tensors: tensors, metadata: ["format": "pt", "note": "tab\there, \"quote\" ✓"])
    }

    @Test("Every dtype with metadata survives write → read; typed accessors return the values")
    func roundTrip() throws {
        let original = try Self.everyDTypeFile()
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/model.safetensors"
        try original.write(to: path)
        let back = try SafetensorsFile.read(from: path)
        #expect(back == original)
        #expect(back.metadata["note"] == "tab\there, \"quote\" ✓")
        #expect(try back.tensor(named: "codes.i8").int8Values() == [-128, -1, 0, 1, 127])
        #expect(try back.tensor(named: "step.i32").int32Values() == [Int32.min, -5, 0, Int32.max])
        #expect(try back.tensor(named: "count.i64").int64Values() == [Int64.min, 42])
        let f32 = try back.tensor(named: "weights.f32").floatValues()
        let f16 = try back.tensor(named: "weights.f16").floatValues()
        let bf16 = try back.tensor(named: "weights.bf16").floatValues()
        for (x, (h, b)) in zip(f32, zip(f16, bf16)) {
            #expect(abs(h - x) <= abs(x) * 0x1p-11 + 0x1p-25, "F16 within half an ulp")
            #expect(abs(b - x) <= abs(x) * 0x1p-8, "BF16 within half an ulp")
        }
        #expect(try back.tensor(named: "scalar").floatValues() == [2.5])
        #expect(try back.tensor(named: "empty").floatValues().isEmpty)
        #expect(throws: CheckpointError.self) { try back.tensor(named: "codes.u8").floatValues() }
        #expect(throws: CheckpointError(file: path, defect: .tensorNotFound("nope"))) {
            try back.tensor(named: "nope", file: path)
        }
        // Deterministic: the same content always gives the same bytes.
        #expect(original.encoded() == (try SafetensorsFile(tensors: original.tensors.reversed(),
                                                           metadata: original.metadata)).encoded())
    }

    @Test("Byte layout of a small file matches the spec")
    func byteLayout() throws {
        let file = try SafetensorsFile(tensors: [
            try SafetensorsTensor(name: "b", uint8: [9, 8, 7], shape: [3]),
            try SafetensorsTensor(name: "a", floats: [1, -2], shape: [2]),
        ], metadata: ["k": "v"])
        let bytes = file.encoded()
        let json = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"U8","shape":[3],"data_offsets":[8,11]}}"#
        let paddedLength = (json.utf8.count + 7) / 8 * 8
        var expected: [UInt8] = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(paddedLength) >> (8 * UInt64($0))) }
        expected += Array(json.utf8) + [UInt8](repeating: 0x20, count: paddedLength - json.utf8.count)
        expected += [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]  // 1.0f, -2.0f little-endian
        expected += [9, 8, 7]
        #expect(bytes == expected)
        #expect((8 + paddedLength) % 8 == 0)
    }

    @Test("Atomic write replaces an existing file and leaves no temporary behind")
    func atomicWrite() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/ckpt.safetensors"
        let first = try SafetensorsFile(tensors: [try SafetensorsTensor(name: "x", floats: [1], shape: [1])])
        let second = try SafetensorsFile(tensors: [try SafetensorsTensor(name: "y", int32: [2, 3], shape: [2])])
        try first.write(to: path)
        try second.write(to: path)
        #expect(try SafetensorsFile.read(from: path) == second)
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(entries == ["ckpt.safetensors"])
    }

    @Test("I/O failures name the file")
    func ioErrors() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = dir + "/missing.safetensors"
        do {
            _ = try SafetensorsFile.read(from: missing)
            Issue.record("reading a missing file succeeded")
        } catch {
            #expect(error.file == missing)
            #expect(error.description.contains(missing))
            if case .io(let op, _) = error.defect { #expect(op == "open") } else { Issue.record("\(error)") }
        }
        let file = try SafetensorsFile()
        #expect(throws: CheckpointError.self) { try file.write(to: missing + "/sub/dir/x.safetensors") }
    }

    @Test("Constructing invalid tensors or files throws")
    func constructionErrors() throws {
        #expect(throws: CheckpointError(file: "<tensor>", defect: .byteCountMismatch(tensor: "t", expected: 8, actual: 4))) {
            try SafetensorsTensor(name: "t", floats: [1], shape: [2])
        }
        #expect(throws: CheckpointError(file: "<tensor>", defect: .shapeTooLarge(tensor: "t", shape: [-1]))) {
            try SafetensorsTensor(name: "t", uint8: [], shape: [-1])
        }
        #expect(throws: CheckpointError(file: "<tensor>", defect: .dtypeMismatch(tensor: "t", requested: "a float type", actual: .i8))) {
            try SafetensorsTensor(name: "t", floats: [1], shape: [1], storedAs: .i8)
        }
        let t = try SafetensorsTensor(name: "t", uint8: [1], shape: [1])
        #expect(throws: CheckpointError(file: "<memory>", defect: .duplicateName("t"))) {
            try SafetensorsFile(tensors: [t, t])
        }
        #expect(throws: CheckpointError(file: "<memory>", defect: .reservedName("__metadata__"))) {
            try SafetensorsFile(tensors: [try SafetensorsTensor(name: "__metadata__", uint8: [1], shape: [1])])
        }
        var file = try SafetensorsFile(tensors: [t])
        try file.set(try SafetensorsTensor(name: "t", uint8: [2, 3], shape: [2]))
        #expect(file["t"]?.bytes == [2, 3])
        #expect(file.remove(named: "t") != nil && file.names.isEmpty)
    }
}
