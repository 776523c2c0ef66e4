/// One named tensor of a safetensors file: dtype, shape and its raw little-endian bytes.
/// The typed initialisers and accessors convert to and from Swift arrays.
public struct SafetensorsTensor: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Dimensions, outermost first; `[]` is a scalar (one element).
    public let shape: [Int]
    /// Row-major little-endian element bytes; `count == elementCount * dtype.byteSize`.
    public let bytes: [UInt8]

    /// Wraps raw bytes; throws when the shape is invalid or its size differs from `bytes.count`.
    public init(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws(CheckpointError) {
        guard let expected = Self.byteCount(shape: shape, dtype: dtype) else {
            throw CheckpointError(file: "<tensor>", defect: .shapeTooLarge(tensor: name, shape: shape))
        }
        guard expected == bytes.count else {
            throw CheckpointError(file: "<tensor>",
                                  defect: .byteCountMismatch(tensor: name, expected: expected, actual: bytes.count))
        }
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Number of elements (product of the shape; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// shape product × element size, or nil for a negative dimension or an overflow.
    static func byteCount(shape: [Int], dtype: SafetensorsDType) -> Int? {
        var count = dtype.byteSize
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            count = p
        }
        return count
    }

    // MARK: Writing typed arrays

    /// Float values stored as F32, F16 or BF16 (rounded to nearest even) or F64 (exact).
    public init(name: String, floats: [Float], shape: [Int], storedAs dtype: SafetensorsDType = .f32)
        throws(CheckpointError)
    {
        let bytes: [UInt8]
        switch dtype {
        case .f32: bytes = Self.littleEndianBytes(floats.map(\.bitPattern))
        case .f16: bytes = Self.littleEndianBytes(floats.map(HalfPrecision.float16Bits(from:)))
        case .bf16: bytes = Self.littleEndianBytes(floats.map(HalfPrecision.bfloat16Bits(from:)))
        case .f64: bytes = Self.littleEndianBytes(floats.map { Double($0).bitPattern })
        default:
            throw CheckpointError(file: "<tensor>",
                                  defect: .dtypeMismatch(tensor: name, requested: "a float type", actual: dtype))
        }
        try self.init(name: name, dtype: dtype, shape: shape, bytes: bytes)
    }

    /// Double values stored as F64.
    public init(name: String, doubles: [Double], shape: [Int]) throws(CheckpointError) {
        try self.init(name: name, dtype: .f64, shape: shape, bytes: Self.littleEndianBytes(doubles.map(\.bitPattern)))
    }

    /// Int8 values stored as I8.
    public init(name: String, int8: [Int8], shape: [Int]) throws(CheckpointError) {
        try self.init(name: name, dtype: .i8, shape: shape, bytes: int8.map { UInt8(bitPattern: $0) })
    }

    /// UInt8 values stored as U8.
    public init(name: String, uint8: [UInt8], shape: [Int]) throws(CheckpointError) {
        try self.init(name: name, dtype: .u8, shape: shape, bytes: uint8)
    }

    /// Int32 values stored as I32.
    public init(name: String, int32: [Int32], shape: [Int]) throws(CheckpointError) {
        try self.init(name: name, dtype: .i32, shape: shape, bytes: Self.littleEndianBytes(int32.map { UInt32(bitPattern: $0) }))
    }

    /// Int64 values stored as I64.
    public init(name: String, int64: [Int64], shape: [Int]) throws(CheckpointError) {
        try self.init(name: name, dtype: .i64, shape: shape, bytes: Self.littleEndianBytes(int64.map { UInt64(bitPattern: $0) }))
    }

    // MARK: Reading typed arrays

    /// The elements as Float: exact for F32/F16/BF16, rounded to nearest for F64.
    public func floatValues() throws(CheckpointError) -> [Float] {
        switch dtype {
        case .f32: return words(UInt32.self).map { Float(bitPattern: $0) }
        case .f16: return words(UInt16.self).map(HalfPrecision.float(fromFloat16Bits:))
        case .bf16: return words(UInt16.self).map(HalfPrecision.float(fromBFloat16Bits:))
        case .f64: return words(UInt64.self).map { Float(Double(bitPattern: $0)) }
        default: throw mismatch("a float type")
        }
    }

    /// The elements of an F64 (exact) or F32/F16/BF16 (widened) tensor as Double.
    public func doubleValues() throws(CheckpointError) -> [Double] {
        if dtype == .f64 { return words(UInt64.self).map { Double(bitPattern: $0) } }
        return try floatValues().map(Double.init)
    }

    /// The elements of an I8 tensor.
    public func int8Values() throws(CheckpointError) -> [Int8] {
        guard dtype == .i8 else { throw mismatch("I8") }
        return bytes.map { Int8(bitPattern: $0) }
    }

    /// The elements of a U8 tensor.
    public func uint8Values() throws(CheckpointError) -> [UInt8] {
        guard dtype == .u8 else { throw mismatch("U8") }
        return bytes
    }

    /// The elements of an I32 tensor.
    public func int32Values() throws(CheckpointError) -> [Int32] {
        guard dtype == .i32 else { throw mismatch("I32") }
        return words(UInt32.self).map { Int32(bitPattern: $0) }
    }

    /// The elements of an I64 tensor.
    public func int64Values() throws(CheckpointError) -> [Int64] {
        guard dtype == .i64 else { throw mismatch("I64") }
        return words(UInt64.self).map { Int64(bitPattern: $0) }
    }

    private func mismatch(_ requested: String) -> CheckpointError {
        CheckpointError(file: "<tensor>", defect: .dtypeMismatch(tensor: name, requested: requested, actual: dtype))
    }

    /// The bytes read as little-endian words of type W.
    private func words<W: FixedWidthInteger & UnsignedInteger>(_: W.Type) -> [W] {
        let size = MemoryLayout<W>.size
        let n = bytes.count / size
        return [W](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<n { out[i] = W(littleEndian: raw.loadUnaligned(fromByteOffset: i &* size, as: W.self)) }
            }
            initialized = n
        }
    }

    private static func littleEndianBytes<W: FixedWidthInteger & UnsignedInteger>(_ words: [W]) -> [UInt8] {
        let size = MemoryLayout<W>.size
        return [UInt8](unsafeUninitializedCapacity: words.count * size) { out, initialized in
            let raw = UnsafeMutableRawBufferPointer(out)
            for (i, w) in words.enumerated() { raw.storeBytes(of: w.littleEndian, toByteOffset: i &* size, as: W.self) }
            initialized = words.count * size
        }
    }
}
