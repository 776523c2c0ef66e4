import CCSV
import Foundation

/// CSV reading and writing through libcsv (RFC 4180: fields with commas, quotes or line breaks are
/// quoted and inner quotes doubled), so captions and labels round-trip exactly.
public enum CSVCodec {
    /// Parses `text` into rows of fields. Blank lines are skipped. `source` names the file in errors.
    public static func parse(_ text: String, source: String) throws -> [[String]] {
        var parser = csv_parser()
        guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else {
            throw HarnessError.io(path: source, reason: "libcsv could not initialise a parser")
        }
        defer { csv_free(&parser) }
        let accumulator = Accumulator()
        let context = Unmanaged.passUnretained(accumulator).toOpaque()
        let bytes = Array(text.utf8)
        let consumed = bytes.withUnsafeBytes { buffer in
            csv_parse(&parser, buffer.baseAddress, buffer.count, fieldCallback, rowCallback, context)
        }
        if consumed != bytes.count || csv_fini(&parser, fieldCallback, rowCallback, context) != 0 {
            let reason = String(cString: csv_strerror(csv_error(&parser)))
            throw HarnessError.io(path: source, reason: "malformed CSV after row \(accumulator.rows.count + 1): \(reason) "
                                  + "(fields with commas or quotes must be quoted, inner quotes doubled)")
        }
        withExtendedLifetime(accumulator) {}
        return accumulator.rows
    }

    /// One CSV line (with trailing newline) for `fields`, quoting only where needed.
    public static func line(_ fields: [String]) -> String {
        fields.map(quoteIfNeeded).joined(separator: ",") + "\n"
    }

    /// The whole file for `rows`.
    public static func text(_ rows: [[String]]) -> String { rows.map(line).joined() }

    static func quoteIfNeeded(_ field: String) -> String {
        let needs = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || field.first == " " || field.last == " " || field.first == "\t" || field.last == "\t"
        guard needs else { return field }
        let source = Array(field.utf8)
        var dest = [UInt8](repeating: 0, count: 2 * source.count + 2)
        let written = source.withUnsafeBytes { src in
            dest.withUnsafeMutableBytes { dst in csv_write(dst.baseAddress, dst.count, src.baseAddress, src.count) }
        }
        return String(decoding: dest[0..<min(written, dest.count)], as: UTF8.self)
    }

    final class Accumulator {
        var rows: [[String]] = []
        var current: [String] = []
    }
}

private func fieldCallback(_ field: UnsafeMutableRawPointer?, _ length: Int, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    let accumulator = Unmanaged<CSVCodec.Accumulator>.fromOpaque(context).takeUnretainedValue()
    let text = field.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
    accumulator.current.append(text)
}

private func rowCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    let accumulator = Unmanaged<CSVCodec.Accumulator>.fromOpaque(context).takeUnretainedValue()
    accumulator.rows.append(accumulator.current)
    accumulator.current = []
}
