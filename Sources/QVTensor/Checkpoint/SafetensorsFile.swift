/// A safetensors checkpoint in memory: named tensors plus a string → string metadata map.
///
/// Format (byte-compatible with Hugging Face's `safetensors`): an 8-byte little-endian header length
/// N, N bytes of UTF-8 JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
/// {…}}`, then the data buffer, whose tensor byte ranges must tile it exactly. Reading is strict (every
/// rule checked, every defect a thrown `CheckpointError`); writing is deterministic (names sorted,
/// data laid out by decreasing element size then name so every tensor is naturally aligned, header
/// padded with spaces to a multiple of 8 bytes) and atomic (temp file + rename).
public struct SafetensorsFile: Sendable, Equatable {
    public var metadata: [String: String]
    private var tensorsByName: [String: SafetensorsTensor]

    /// Builds a file from tensors; throws on a duplicate or reserved name.
    public init(tensors: [SafetensorsTensor] = [], metadata: [String: String] = [:]) throws(CheckpointError) {
        self.metadata = metadata
        self.tensorsByName = [:]
        for t in tensors { try add(t) }
    }

    /// Tensor names in byte-wise sorted order.
    public var names: [String] {
        tensorsByName.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The tensors in `names` order.
    public var tensors: [SafetensorsTensor] { names.compactMap { tensorsByName[$0] } }

    /// The tensor called `name`, if any.
    public subscript(name: String) -> SafetensorsTensor? { tensorsByName[name] }

    /// The tensor called `name`, or a `tensorNotFound` error naming `file` (used in the message).
    public func tensor(named name: String, file: String = "<memory>") throws(CheckpointError) -> SafetensorsTensor {
        guard let t = tensorsByName[name] else { throw CheckpointError(file: file, defect: .tensorNotFound(name)) }
        return t
    }

    /// Adds a tensor; throws if the name is taken or reserved.
    public mutating func add(_ tensor: SafetensorsTensor) throws(CheckpointError) {
        guard tensor.name != "__metadata__" else {
            throw CheckpointError(file: "<memory>", defect: .reservedName(tensor.name))
        }
        guard tensorsByName[tensor.name] == nil else {
            throw CheckpointError(file: "<memory>", defect: .duplicateName(tensor.name))
        }
        tensorsByName[tensor.name] = tensor
    }

    /// Adds or replaces a tensor; throws only for the reserved name.
    public mutating func set(_ tensor: SafetensorsTensor) throws(CheckpointError) {
        guard tensor.name != "__metadata__" else {
            throw CheckpointError(file: "<memory>", defect: .reservedName(tensor.name))
        }
        tensorsByName[tensor.name] = tensor
    }

    /// Removes and returns the tensor called `name`, if any.
    @discardableResult
    public mutating func remove(named name: String) -> SafetensorsTensor? {
        tensorsByName.removeValue(forKey: name)
    }

    // MARK: Bytes

    /// Parses a complete file image; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws(CheckpointError) -> SafetensorsFile {
        try decode(bytes, file: file, maxHeaderBytes: SafetensorsHeader.maxHeaderBytes)
    }

    /// `decode` with an explicit header-size limit (tests use a small one).
    static func decode(_ bytes: [UInt8], file: String, maxHeaderBytes: Int) throws(CheckpointError) -> SafetensorsFile {
        func fail(_ d: CheckpointError.Defect) -> CheckpointError { CheckpointError(file: file, defect: d) }
        guard bytes.count >= 8 else { throw fail(.fileTooShort(byteCount: bytes.count)) }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        let available = bytes.count - 8
        guard headerLength <= UInt64(available) else {
            throw fail(.headerLengthBeyondFile(headerLength: headerLength, bytesAfterLengthField: available))
        }
        guard headerLength <= UInt64(maxHeaderBytes) else {
            throw fail(.headerTooLarge(headerLength: headerLength, limit: maxHeaderBytes))
        }
        let dataStart = 8 + Int(headerLength)
        let header = Array(bytes[8..<dataStart])
        let (entries, metadata) = try SafetensorsHeader.parse(header, bufferSize: bytes.count - dataStart, file: file)
        var result = SafetensorsFile(metadata: metadata, tensorsByName: [:])
        result.tensorsByName.reserveCapacity(entries.count)
        for e in entries {
            let data = Array(bytes[(dataStart + e.begin)..<(dataStart + e.end)])
            // Sizes were validated against the header, so this cannot fail; rethrow with the file name anyway.
            do {
                result.tensorsByName[e.name] = try SafetensorsTensor(name: e.name, dtype: e.dtype, shape: e.shape, bytes: data)
            } catch {
                throw fail(error.defect)
            }
        }
        return result
    }

    private init(metadata: [String: String], tensorsByName: [String: SafetensorsTensor]) {
        self.metadata = metadata
        self.tensorsByName = tensorsByName
    }

    /// The file image: length field, space-padded header, data buffer.
    public func encoded() -> [UInt8] {
        // Larger elements first, then by name: every tensor starts at a multiple of its element size.
        let order = tensorsByName.values.sorted {
            $0.dtype.byteSize != $1.dtype.byteSize
                ? $0.dtype.byteSize > $1.dtype.byteSize
                : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
        }
        var entries: [SafetensorsEntry] = []
        var offset = 0
        for t in order {
            entries.append(SafetensorsEntry(name: t.name, dtype: t.dtype, shape: t.shape,
                                            begin: offset, end: offset + t.bytes.count))
            offset += t.bytes.count
        }
        var header = SafetensorsHeader.serialize(entries: entries, metadata: metadata)
        while header.count % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        let n = UInt64(header.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
        out.append(contentsOf: header)
        for t in order { out.append(contentsOf: t.bytes) }
        return out
    }

    // MARK: Files

    /// Reads and validates the file at `path`.
    public static func read(from path: String) throws(CheckpointError) -> SafetensorsFile {
        try decode(try FileBytes.readAll(path), file: path)
    }

    /// Writes the file atomically: a temporary file in the same directory, flushed, then renamed
    /// over `path`, so readers see either the old file or the complete new one.
    public func write(to path: String) throws(CheckpointError) {
        try FileBytes.writeAtomically(encoded(), to: path)
    }
}
