/// One validated header entry: where a tensor lives in the data buffer.
struct SafetensorsEntry {
    var name: String
    var dtype: SafetensorsDType
    var shape: [Int]
    var begin: Int
    var end: Int
}

/// Parsing and validation of the JSON header, and its serialisation.
enum SafetensorsHeader {
    /// Largest header accepted (the reference implementation's limit is also 100 MB).
    static let maxHeaderBytes = 100_000_000

    /// Parses `header` and checks every rule of the format against a data buffer of `bufferSize` bytes.
    /// Returns the entries (in header order) and the metadata; throws the first defect found.
    static func parse(_ header: [UInt8], bufferSize: Int, file: String) throws(CheckpointError)
        -> (entries: [SafetensorsEntry], metadata: [String: String])
    {
        func fail(_ d: CheckpointError.Defect) -> CheckpointError { CheckpointError(file: file, defect: d) }
        // Decoding replaces every ill-formed sequence with U+FFFD, so the bytes survive a round trip
        // exactly when they are valid UTF-8.
        guard Array(String(decoding: header, as: UTF8.self).utf8) == header else { throw fail(.headerNotUTF8) }
        guard header.first == UInt8(ascii: "{") else {
            throw fail(.invalidJSON(offset: 0, reason: "the header must start with '{'"))
        }
        let root: JSONValue
        do { root = try StrictJSONParser.parse(header) } catch {
            throw fail(.invalidJSON(offset: error.offset, reason: error.reason))
        }
        guard case .object(let members) = root else {
            throw fail(.invalidJSON(offset: 0, reason: "the header must be a JSON object"))
        }
        var seen = Set<String>()
        var metadata: [String: String] = [:]
        var entries: [SafetensorsEntry] = []
        for (key, value) in members {
            guard seen.insert(key).inserted else { throw fail(.duplicateName(key)) }
            if key == "__metadata__" {
                metadata = try parseMetadata(value, fail: fail)
            } else {
                entries.append(try parseEntry(name: key, value, bufferSize: bufferSize, fail: fail))
            }
        }
        try checkCoverage(entries, bufferSize: bufferSize, fail: fail)
        return (entries, metadata)
    }

    private static func parseMetadata(_ value: JSONValue, fail: (CheckpointError.Defect) -> CheckpointError)
        throws(CheckpointError) -> [String: String]
    {
        guard case .object(let pairs) = value else {
            throw fail(.invalidMetadata(reason: "expected an object of strings, found \(value.kindName)"))
        }
        var map: [String: String] = [:]
        for (k, v) in pairs {
            guard case .string(let s) = v else {
                throw fail(.invalidMetadata(reason: "value of '\(k)' must be a string, found \(v.kindName)"))
            }
            guard map.updateValue(s, forKey: k) == nil else { throw fail(.duplicateMetadataKey(k)) }
        }
        return map
    }

    private static func parseEntry(name: String, _ value: JSONValue, bufferSize: Int,
                                   fail: (CheckpointError.Defect) -> CheckpointError)
        throws(CheckpointError) -> SafetensorsEntry
    {
        guard case .object(let fields) = value else {
            throw fail(.wrongFieldType(tensor: name, field: "(entry)", expected: "an object, found \(value.kindName)"))
        }
        var dtypeValue: JSONValue?, shapeValue: JSONValue?, offsetsValue: JSONValue?
        for (field, v) in fields {
            switch field {
            case "dtype":
                guard dtypeValue == nil else { throw fail(.duplicateField(tensor: name, field: field)) }
                dtypeValue = v
            case "shape":
                guard shapeValue == nil else { throw fail(.duplicateField(tensor: name, field: field)) }
                shapeValue = v
            case "data_offsets":
                guard offsetsValue == nil else { throw fail(.duplicateField(tensor: name, field: field)) }
                offsetsValue = v
            default:
                throw fail(.unexpectedField(tensor: name, field: field))
            }
        }
        guard let dtypeValue else { throw fail(.missingField(tensor: name, field: "dtype")) }
        guard let shapeValue else { throw fail(.missingField(tensor: name, field: "shape")) }
        guard let offsetsValue else { throw fail(.missingField(tensor: name, field: "data_offsets")) }

        guard case .string(let dtypeName) = dtypeValue else {
            throw fail(.wrongFieldType(tensor: name, field: "dtype", expected: "a string"))
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw fail(.unknownDType(tensor: name, dtype: dtypeName))
        }
        let shapeExpectation = "an array of non-negative integers"
        guard case .array(let dims) = shapeValue else {
            throw fail(.wrongFieldType(tensor: name, field: "shape", expected: shapeExpectation))
        }
        var shape: [Int] = []
        for d in dims {
            guard let n = nonNegativeInteger(d) else {
                throw fail(.wrongFieldType(tensor: name, field: "shape", expected: shapeExpectation))
            }
            shape.append(n)
        }
        let offsetsExpectation = "an array of two non-negative integers [begin, end]"
        guard case .array(let offsets) = offsetsValue, offsets.count == 2,
              let begin = nonNegativeInteger(offsets[0]), let end = nonNegativeInteger(offsets[1])
        else {
            throw fail(.wrongFieldType(tensor: name, field: "data_offsets", expected: offsetsExpectation))
        }
        guard begin <= end else { throw fail(.reversedOffsets(tensor: name, begin: begin, end: end)) }
        guard end <= bufferSize else {
            throw fail(.offsetsOutOfRange(tensor: name, begin: begin, end: end, bufferSize: bufferSize))
        }
        guard let expected = SafetensorsTensor.byteCount(shape: shape, dtype: dtype) else {
            throw fail(.shapeTooLarge(tensor: name, shape: shape))
        }
        guard expected == end - begin else {
            throw fail(.byteCountMismatch(tensor: name, expected: expected, actual: end - begin))
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// A JSON number that is a plain non-negative integer (no sign, fraction or exponent) fitting in Int.
    private static func nonNegativeInteger(_ value: JSONValue) -> Int? {
        guard case .number(let text) = value, !text.isEmpty,
              text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    /// The byte ranges, sorted, must tile [0, bufferSize) exactly: no overlap, no gap, no tail.
    private static func checkCoverage(_ entries: [SafetensorsEntry], bufferSize: Int,
                                      fail: (CheckpointError.Defect) -> CheckpointError) throws(CheckpointError)
    {
        let sorted = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var cursor = 0
        var previous: String?
        for e in sorted {
            if e.begin < cursor {
                throw fail(.overlappingTensors(first: previous ?? "", second: e.name))
            }
            if e.begin > cursor {
                throw fail(.gapBeforeTensor(tensor: e.name, gapBegin: cursor, gapEnd: e.begin))
            }
            cursor = e.end
            previous = e.name
        }
        if cursor < bufferSize { throw fail(.trailingBytes(count: bufferSize - cursor)) }
    }

    /// Compact header JSON: "__metadata__" first (when non-empty), then tensors sorted by name,
    /// fields in the order dtype, shape, data_offsets (as Python's and Rust's writers emit them).
    static func serialize(entries: [SafetensorsEntry], metadata: [String: String]) -> [UInt8] {
        var parts: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { jsonStringLiteral($0.key) + ":" + jsonStringLiteral($0.value) }
            parts.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        for e in entries.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
            let shape = e.shape.map(String.init).joined(separator: ",")
            parts.append(jsonStringLiteral(e.name) + ":{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(e.begin),\(e.end)]}")
        }
        return Array(("{" + parts.joined(separator: ",") + "}").utf8)
    }
}
