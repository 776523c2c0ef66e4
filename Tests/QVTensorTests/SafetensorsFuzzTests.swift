import Testing
@testable import QVTensor

/// Feeds deterministic mutations of a valid file to the reader. `decode` has typed throws, so every
/// failure is a `CheckpointError` by construction; what this checks is that no input traps or hangs,
/// that accepted inputs are self-consistent (re-encoding and re-reading gives the same file), and
/// that the mutations reach many different validation paths.
@Suite("Safetensors fuzz")
struct SafetensorsFuzzTests {
    static func seedFile() throws -> [UInt8] {
        try SafetensorsFile(tensors: [
            try SafetensorsTensor(name: "blocks.0.attn.qkv.weight", floats: (0..<12).map { Float($0) / 7 }, shape: [3, 4]),
            try SafetensorsTensor(name: "blocks.0.attn.qkv.scale", floats: [0.5, 0.25, 2], shape: [3], storedAs: .f16),
            try SafetensorsTensor(name: "emb", floats: [1, -1, 3, 0], shape: [2, 2], storedAs: .bf16),
            try SafetensorsTensor(name: "codes", int8: [-3, 4, 5], shape: [3]),
            try SafetensorsTensor(name: "mask", uint8: [1, 0], shape: [2]),
            try SafetensorsTensor(name: "step", int32: [1000], shape: []),
            try SafetensorsTensor(name: "none", floats: [], shape: [0]),
        ], metadata: ["format": "pt", "é": "ü\""]).encoded()
    }

    static let jsonTokens: [[UInt8]] = ["{", "}", "[", "]", "\"", ",", ":", "0", "9", "-", ".", "e", "\\", " ",
                                        "\\u", "\\ud800", "null", "true", "F16", "BF16", "\u{0}", "é"].map { Array($0.utf8) }
        + [[0xFF], [0xC3], [0xED, 0xA0, 0x80]]
    static let numbers = ["0", "1", "7", "-1", "1e3", "2.5", "007", "4294967296", "9223372036854775807",
                          "9223372036854775808", "18446744073709551616", "99999999999999999999999999"]

    /// Rewrites the length field to match a new header.
    static func reassemble(header: [UInt8], data: ArraySlice<UInt8>) -> [UInt8] {
        let n = UInt64(header.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + header + data
    }

    static func mutate(_ base: [UInt8], kind: Int, _ g: inout SeededGenerator) -> [UInt8] {
        var b = base
        let headerLength = Int(base[0]) | Int(base[1]) << 8
        var header = Array(base[8..<(8 + headerLength)])
        let data = base[(8 + headerLength)...]
        switch kind {
        case 0:  // bit flips anywhere
            for _ in 0...g.nextInt(below: 3) { b[g.nextInt(below: b.count)] ^= UInt8(1) << UInt8(g.nextInt(below: 8)) }
        case 1:  // bit flips inside the header, length kept
            for _ in 0...g.nextInt(below: 3) { b[8 + g.nextInt(below: headerLength)] ^= UInt8(1) << UInt8(g.nextInt(below: 8)) }
        case 2:  // truncation
            b.removeSubrange(g.nextInt(below: b.count)...)
        case 3:  // header-length field changes
            let choices: [UInt64] = [0, 1, UInt64(headerLength - 1), UInt64(headerLength + 1), UInt64(b.count - 8),
                                     UInt64(b.count), .max, UInt64(g.next() >> UInt64(g.nextInt(below: 64)))]
            let n = g.pick(choices)
            for i in 0..<8 { b[i] = UInt8(truncatingIfNeeded: n >> (8 * UInt64(i))) }
        case 4:  // raw byte insertions, length field untouched
            for _ in 0...g.nextInt(below: 3) {
                b.insert(UInt8(truncatingIfNeeded: g.next()), at: g.nextInt(below: b.count + 1))
            }
        case 5:  // JSON token replacing a header byte, length fixed
            let at = g.nextInt(below: header.count)
            header.replaceSubrange(at..<(at + 1), with: g.pick(jsonTokens))
            b = reassemble(header: header, data: data)
        case 6:  // JSON token inserted, length fixed
            header.insert(contentsOf: g.pick(jsonTokens), at: g.nextInt(below: header.count + 1))
            b = reassemble(header: header, data: data)
        case 7:  // a number in the header replaced by an awkward one, length fixed
            var runs: [Range<Int>] = []
            var start: Int?
            for (i, c) in header.enumerated() {
                let digit = c >= 0x30 && c <= 0x39
                if digit, start == nil { start = i }
                if !digit, let s = start { runs.append(s..<i); start = nil }
            }
            if runs.isEmpty { return base }
            header.replaceSubrange(g.pick(runs), with: Array(g.pick(numbers).utf8))
            b = reassemble(header: header, data: data)
        case 8:  // a header substring duplicated or deleted, length fixed
            let lo = g.nextInt(below: header.count), hi = min(header.count, lo + 1 + g.nextInt(below: 80))
            if g.nextInt(below: 2) == 0 {
                header.insert(contentsOf: header[lo..<hi], at: g.nextInt(below: header.count + 1))
            } else {
                header.removeSubrange(lo..<hi)
            }
            b = reassemble(header: header, data: data)
        default:  // data buffer grown or shrunk
            var d = Array(data)
            if g.nextInt(below: 2) == 0 || d.isEmpty { d.append(contentsOf: [UInt8](repeating: 0xAB, count: 1 + g.nextInt(below: 9))) }
            else { d.removeLast(1 + g.nextInt(below: min(d.count, 9))) }
            b = reassemble(header: header, data: d[...])
        }
        return b
    }

    static func defectKind(_ d: CheckpointError.Defect) -> String {
        String(String(describing: d).prefix { $0 != "(" })
    }

    @Test("12,000 mutations: no crash, every outcome a valid parse or a CheckpointError")
    func mutations() throws {
        let base = try Self.seedFile()
        var g = SeededGenerator(seed: 2024, stream: "safetensors-fuzz")
        var accepted = 0
        var kinds: [String: Int] = [:]
        for i in 0..<12_000 {
            let mutated = Self.mutate(base, kind: i % 10, &g)
            do {
                let file = try SafetensorsFile.decode(mutated, file: "fuzz-\(i)")
                accepted += 1
                let again = try SafetensorsFile.decode(file.encoded())
                #expect(again == file, "mutation \(i) parsed but does not round-trip")
                for t in file.tensors where t.dtype.isFloatingPoint { _ = try t.floatValues() }
            } catch {
                #expect(error.file == "fuzz-\(i)")
                #expect(!error.description.isEmpty)
                kinds[Self.defectKind(error.defect), default: 0] += 1
            }
        }
        let summary = kinds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print("safetensors fuzz: accepted \(accepted) of 12000; rejections: \(summary)")
        #expect(accepted > 100, "bit flips in the data buffer must still parse")
        #expect(kinds.count >= 14, "mutations reach only \(kinds.count) defect kinds: \(summary)")
    }
}
