/// A checkpoint that cannot be read, written or converted: names the file (or "<memory>" for
/// in-memory bytes, "<tensor>" for a standalone tensor) and the defect.
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var defect: Defect

    public init(file: String, defect: Defect) {
        self.file = file
        self.defect = defect
    }

    /// What is wrong. Tensor-level defects carry the tensor's name.
    public enum Defect: Sendable, Equatable {
        /// Fewer than the 8 bytes of the header-length field.
        case fileTooShort(byteCount: Int)
        /// The header-length field points past the end of the file.
        case headerLengthBeyondFile(headerLength: UInt64, bytesAfterLengthField: Int)
        /// The header is larger than the reader's limit (guards against absurd allocations).
        case headerTooLarge(headerLength: UInt64, limit: Int)
        case headerNotUTF8
        /// Malformed JSON, or JSON that is not an object starting with '{'; offset is within the header.
        case invalidJSON(offset: Int, reason: String)
        case missingField(tensor: String, field: String)
        case wrongFieldType(tensor: String, field: String, expected: String)
        case unexpectedField(tensor: String, field: String)
        case duplicateField(tensor: String, field: String)
        case unknownDType(tensor: String, dtype: String)
        /// Shape with a dimension too large to count, or a byte count that overflows.
        case shapeTooLarge(tensor: String, shape: [Int])
        /// shape product × dtype size differs from the tensor's byte count.
        case byteCountMismatch(tensor: String, expected: Int, actual: Int)
        case reversedOffsets(tensor: String, begin: Int, end: Int)
        case offsetsOutOfRange(tensor: String, begin: Int, end: Int, bufferSize: Int)
        case overlappingTensors(first: String, second: String)
        /// Bytes no tensor covers, in front of `tensor` (spec: the buffer must be fully covered).
        case gapBeforeTensor(tensor: String, gapBegin: Int, gapEnd: Int)
        /// Bytes after the last tensor (spec: the buffer must be fully covered).
        case trailingBytes(count: Int)
        case duplicateName(String)
        case duplicateMetadataKey(String)
        /// "__metadata__" is not an object of string values.
        case invalidMetadata(reason: String)
        /// A tensor may not be called "__metadata__".
        case reservedName(String)
        case tensorNotFound(String)
        /// A typed accessor was called on a tensor of another dtype.
        case dtypeMismatch(tensor: String, requested: String, actual: SafetensorsDType)
        /// A system call failed (open, read, write, rename…), with errno's message.
        case io(operation: String, message: String)
    }

    public var description: String {
        "safetensors file '\(file)': \(defectDescription)"
    }

    private var defectDescription: String {
        switch defect {
        case .fileTooShort(let n):
            return "only \(n) bytes, shorter than the 8-byte header-length field"
        case .headerLengthBeyondFile(let n, let available):
            return "header length \(n) exceeds the \(available) bytes that follow the length field (truncated file?)"
        case .headerTooLarge(let n, let limit):
            return "header length \(n) exceeds the limit of \(limit) bytes"
        case .headerNotUTF8:
            return "header is not valid UTF-8"
        case .invalidJSON(let offset, let reason):
            return "header JSON is invalid at byte \(offset): \(reason)"
        case .missingField(let t, let f):
            return "tensor '\(t)' has no \"\(f)\" field"
        case .wrongFieldType(let t, let f, let expected):
            return "tensor '\(t)' field \"\(f)\" must be \(expected)"
        case .unexpectedField(let t, let f):
            return "tensor '\(t)' has an unknown field \"\(f)\""
        case .duplicateField(let t, let f):
            return "tensor '\(t)' repeats the field \"\(f)\""
        case .unknownDType(let t, let d):
            return "tensor '\(t)' has unsupported dtype \"\(d)\" (supported: "
                + SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case .shapeTooLarge(let t, let shape):
            return "tensor '\(t)' shape \(shape) is too large to address"
        case .byteCountMismatch(let t, let expected, let actual):
            return "tensor '\(t)' needs \(expected) bytes for its shape and dtype but has \(actual)"
        case .reversedOffsets(let t, let b, let e):
            return "tensor '\(t)' data_offsets [\(b), \(e)] end before they begin"
        case .offsetsOutOfRange(let t, let b, let e, let size):
            return "tensor '\(t)' data_offsets [\(b), \(e)] exceed the \(size)-byte data buffer"
        case .overlappingTensors(let a, let b):
            return "tensors '\(a)' and '\(b)' overlap in the data buffer"
        case .gapBeforeTensor(let t, let b, let e):
            return "bytes [\(b), \(e)) before tensor '\(t)' belong to no tensor"
        case .trailingBytes(let n):
            return "\(n) bytes after the last tensor belong to no tensor"
        case .duplicateName(let n):
            return "the header names '\(n)' more than once"
        case .duplicateMetadataKey(let k):
            return "__metadata__ repeats the key '\(k)'"
        case .invalidMetadata(let reason):
            return "__metadata__ is invalid: \(reason)"
        case .reservedName(let n):
            return "'\(n)' is reserved and cannot name a tensor"
        case .tensorNotFound(let n):
            return "no tensor named '\(n)'"
        case .dtypeMismatch(let t, let requested, let actual):
            return "tensor '\(t)' is \(actual.rawValue), not \(requested)"
        case .io(let op, let message):
            return "\(op) failed: \(message)"
        }
    }
}
