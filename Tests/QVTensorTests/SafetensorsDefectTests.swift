import Testing
@testable import QVTensor

/// Each kind of malformed file produces its own `CheckpointError` defect.
@Suite("Safetensors defects")
struct SafetensorsDefectTests {
    /// A file image from a raw header text and data buffer (header length taken from the text
    /// unless overridden).
    static func image(_ header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> [UInt8] {
        image(bytes: Array(header.utf8), data: data, headerLength: headerLength)
    }

    static func image(bytes header: [UInt8], data: [UInt8] = [], headerLength: UInt64? = nil) -> [UInt8] {
        let n = headerLength ?? UInt64(header.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + header + data
    }

    static func entry(_ name: String, _ dtype: String = "F32", shape: String = "[2]", offsets: String) -> String {
        #""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":\#(offsets)}"#
    }

    static func defect(of bytes: [UInt8]) -> CheckpointError.Defect? {
        do {
            _ = try SafetensorsFile.decode(bytes, file: "bad.safetensors")
            return nil
        } catch {
            #expect(error.file == "bad.safetensors")
            #expect(error.description.hasPrefix("safetensors file 'bad.safetensors': "))
            return error.defect
        }
    }

    static let eight = [UInt8](repeating: 0, count: 8)

    @Test("Length field: too short, beyond the file, too large")
    func lengthField() {
        #expect(Self.defect(of: []) == .fileTooShort(byteCount: 0))
        #expect(Self.defect(of: [1, 0, 0, 0, 0, 0, 0]) == .fileTooShort(byteCount: 7))
        #expect(Self.defect(of: Self.image("{}", headerLength: 3)) == .headerLengthBeyondFile(headerLength: 3, bytesAfterLengthField: 2))
        #expect(Self.defect(of: Self.image("{}", headerLength: .max)) == .headerLengthBeyondFile(headerLength: .max, bytesAfterLengthField: 2))
        let big = Self.image(String(repeating: " ", count: 40).replacingFirst("{}"))
        #expect(throws: CheckpointError(file: "f", defect: .headerTooLarge(headerLength: 40, limit: 32))) {
            try SafetensorsFile.decode(big, file: "f", maxHeaderBytes: 32)
        }
    }

    @Test("Header text: not UTF-8, invalid JSON, not an object")
    func headerText() {
        #expect(Self.defect(of: Self.image(bytes: Array(#"{"a\#u{1}"#.utf8) + [0xFF] + Array(#"":1}"#.utf8))) == .headerNotUTF8)
        #expect(Self.defect(of: Self.image(bytes: [0x7B, 0xC3])) == .headerNotUTF8, "truncated multi-byte sequence")
        #expect(Self.defect(of: Self.image(bytes: [0x7B, 0xC0, 0x80, 0x7D])) == .headerNotUTF8, "overlong encoding")
        #expect(Self.defect(of: Self.image(bytes: [0x7B, 0xED, 0xA0, 0x80, 0x7D])) == .headerNotUTF8, "encoded surrogate")
        if case .invalidJSON(let offset, _) = Self.defect(of: Self.image(#"{"a":"#)) { #expect(offset == 5) } else { Issue.record("expected invalidJSON") }
        for bad in [#"{"a":1,}"#, #"{"a" 1}"#, "{'a':1}", #"{"a":01}"#, #"{"a":"\x"}"#, #"{"a":"\ud800"}"#,
                    "{\"a\":\"\u{01}\"}", #"{"a":tru}"#, #"{} {}"#, #"{"a":[1,2}"#, #"{"a":"# + String(repeating: "[", count: 100_000)] {
            guard case .invalidJSON = Self.defect(of: Self.image(bad)) else { Issue.record("accepted \(bad)"); continue }
        }
        #expect(Self.defect(of: Self.image("[1]")) == .invalidJSON(offset: 0, reason: "the header must start with '{'"))
        #expect(Self.defect(of: Self.image(" {}")) == .invalidJSON(offset: 0, reason: "the header must start with '{'"))
        #expect(Self.defect(of: Self.image("")) == .invalidJSON(offset: 0, reason: "the header must start with '{'"))
    }

    @Test("Fields: missing, ill-typed, unexpected, repeated, unknown dtype")
    func fields() {
        let data = [UInt8](repeating: 0, count: 8)
        func check(_ header: String, _ expected: CheckpointError.Defect) {
            #expect(Self.defect(of: Self.image(header, data: data)) == expected, "\(header)")
        }
        check(#"{"a":{"shape":[2],"data_offsets":[0,8]}}"#, .missingField(tensor: "a", field: "dtype"))
        check(#"{"a":{"dtype":"F32","data_offsets":[0,8]}}"#, .missingField(tensor: "a", field: "shape"))
        check(#"{"a":{"dtype":"F32","shape":[2]}}"#, .missingField(tensor: "a", field: "data_offsets"))
        check(#"{"a":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}"#, .wrongFieldType(tensor: "a", field: "dtype", expected: "a string"))
        let shapeType = "an array of non-negative integers"
        for shape in [#""2""#, "[-2]", "[2.0]", "[2e0]", "[null]", "2", "[99999999999999999999999]"] {
            check(#"{"a":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,8]}}"#,
                  .wrongFieldType(tensor: "a", field: "shape", expected: shapeType))
        }
        let offsetsType = "an array of two non-negative integers [begin, end]"
        for offsets in ["[8]", "[0,8,8]", "[0,-8]", #"["0",8]"#, "{}", "[0,8.0]"] {
            check(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":\#(offsets)}}"#,
                  .wrongFieldType(tensor: "a", field: "data_offsets", expected: offsetsType))
        }
        check(#"{"a":[]}"#, .wrongFieldType(tensor: "a", field: "(entry)", expected: "an object, found an array"))
        check(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}"#, .unexpectedField(tensor: "a", field: "extra"))
        check(#"{"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, .duplicateField(tensor: "a", field: "dtype"))
        check("{" + Self.entry("a", "F8_E4M3", shape: "[8]", offsets: "[0,8]") + "}", .unknownDType(tensor: "a", dtype: "F8_E4M3"))
        check("{" + Self.entry("a", "f32", offsets: "[0,8]") + "}", .unknownDType(tensor: "a", dtype: "f32"))
    }

    @Test("Sizes and offsets: mismatch, reversed, out of range, overlap, gap, trailing bytes")
    func offsets() {
        let twelve = [UInt8](repeating: 0, count: 12)
        func check(_ entries: [String], data: [UInt8] = twelve, _ expected: CheckpointError.Defect) {
            let header = "{" + entries.joined(separator: ",") + "}"
            #expect(Self.defect(of: Self.image(header, data: data)) == expected, "\(header)")
        }
        check([Self.entry("a", shape: "[2]", offsets: "[0,12]")], .byteCountMismatch(tensor: "a", expected: 8, actual: 12))
        check([Self.entry("a", "I8", shape: "[3, 4]", offsets: "[0,11]")], .byteCountMismatch(tensor: "a", expected: 12, actual: 11))
        check([Self.entry("a", shape: "[4611686018427387904, 4]", offsets: "[0,12]")],
              .shapeTooLarge(tensor: "a", shape: [4_611_686_018_427_387_904, 4]))
        check([Self.entry("a", shape: "[0]", offsets: "[8,0]")], .reversedOffsets(tensor: "a", begin: 8, end: 0))
        check([Self.entry("a", shape: "[4]", offsets: "[0,16]")], .offsetsOutOfRange(tensor: "a", begin: 0, end: 16, bufferSize: 12))
        check([Self.entry("a", offsets: "[0,8]"), Self.entry("b", offsets: "[4,12]")], .overlappingTensors(first: "a", second: "b"))
        check([Self.entry("a", shape: "[3]", offsets: "[0,12]"), Self.entry("z", shape: "[0]", offsets: "[4,4]")],
              .overlappingTensors(first: "a", second: "z"))
        check([Self.entry("a", shape: "[1]", offsets: "[0,4]"), Self.entry("b", shape: "[1]", offsets: "[8,12]")],
              .gapBeforeTensor(tensor: "b", gapBegin: 4, gapEnd: 8))
        check([Self.entry("b", offsets: "[4,12]")], .gapBeforeTensor(tensor: "b", gapBegin: 0, gapEnd: 4))
        check([Self.entry("a", offsets: "[0,8]")], .trailingBytes(count: 4))
        check([], .trailingBytes(count: 12))
        // Zero-size tensors at the boundaries are fine, and so is an empty file.
        #expect(Self.defect(of: Self.image("{" + [Self.entry("a", shape: "[0]", offsets: "[0,0]"),
                                                  Self.entry("b", shape: "[3]", offsets: "[0,12]"),
                                                  Self.entry("c", shape: "[2, 0]", offsets: "[12,12]")].joined(separator: ",") + "}",
                                            data: twelve)) == nil)
        #expect(Self.defect(of: Self.image("{}")) == nil)
        #expect(Self.defect(of: Self.image(#"{"__metadata__":{}}    "#)) == nil)
    }

    @Test("Names and metadata: duplicates, ill-typed metadata")
    func namesAndMetadata() {
        let eight = Self.eight
        #expect(Self.defect(of: Self.image("{" + Self.entry("a", offsets: "[0,8]") + "," + Self.entry("a", offsets: "[0,8]") + "}",
                                           data: eight)) == .duplicateName("a"))
        #expect(Self.defect(of: Self.image(#"{"__metadata__":{},"__metadata__":{}}"#)) == .duplicateName("__metadata__"))
        #expect(Self.defect(of: Self.image(#"{"__metadata__":{"k":"1","k":"2"}}"#)) == .duplicateMetadataKey("k"))
        #expect(Self.defect(of: Self.image(#"{"__metadata__":{"k":1}}"#))
                == .invalidMetadata(reason: "value of 'k' must be a string, found a number"))
        #expect(Self.defect(of: Self.image(#"{"__metadata__":["k"]}"#))
                == .invalidMetadata(reason: "expected an object of strings, found an array"))
        // Escaped names decode: "\u00e9" and a surrogate pair.
        let escaped = Self.image("{" + Self.entry(#"caf\u00e9 \ud83d\ude00"#, offsets: "[0,8]") + "}", data: eight)
        #expect((try? SafetensorsFile.decode(escaped))?.names == ["café 😀"])
    }
}

extension String {
    /// `self` with its first `prefix.count` characters replaced by `prefix` (test helper).
    fileprivate func replacingFirst(_ prefix: String) -> String { prefix + dropFirst(prefix.count) }
}
