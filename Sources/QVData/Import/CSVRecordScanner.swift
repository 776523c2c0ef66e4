/// One CSV record: its raw fields, the line it starts on, and what is wrong with it, if anything.
struct CSVRecord {
    var fields: [[UInt8]]
    var line: Int
    var problem: String?
}

/// Splits CSV bytes into records (RFC 4180 quoting, LF/CRLF/CR line ends, blank lines skipped).
/// A malformed record is still consumed up to its end so scanning can resume at the next one.
struct CSVRecordScanner: IteratorProtocol {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","),
                       cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"),
                       space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// Consumes a line break at `position` if there is one (CRLF, LF or a lone CR).
    private mutating func consumeLineBreak() -> Bool {
        guard position < bytes.count else { return false }
        if bytes[position] == Self.lf { position += 1; line += 1; return true }
        if bytes[position] == Self.cr {
            position += 1
            if position < bytes.count && bytes[position] == Self.lf { position += 1 }
            line += 1
            return true
        }
        return false
    }

    mutating func next() -> CSVRecord? {
        // Skip blank (or whitespace-only) lines.
        while position < bytes.count {
            var p = position
            while p < bytes.count && (bytes[p] == Self.space || bytes[p] == Self.tab) { p += 1 }
            if p == bytes.count { position = p; return nil }
            if bytes[p] == Self.lf || bytes[p] == Self.cr {
                position = p
                _ = consumeLineBreak()
            } else {
                break
            }
        }
        guard position < bytes.count else { return nil }

        var record = CSVRecord(fields: [], line: line, problem: nil)
        func note(_ message: String) { if record.problem == nil { record.problem = message } }
        while true {
            var field: [UInt8] = []
            if position < bytes.count && bytes[position] == Self.quote {
                let openedOnLine = line
                position += 1
                var closed = false
                while position < bytes.count {
                    let b = bytes[position]
                    if b == Self.quote {
                        if position + 1 < bytes.count && bytes[position + 1] == Self.quote {
                            field.append(Self.quote)
                            position += 2
                        } else {
                            position += 1
                            closed = true
                            break
                        }
                    } else {
                        if b == Self.lf || (b == Self.cr && !(position + 1 < bytes.count && bytes[position + 1] == Self.lf)) {
                            line += 1
                        }
                        field.append(b)
                        position += 1
                    }
                }
                if !closed {
                    note("quoted field opened on line \(openedOnLine) is never closed (a missing '\"'?)")
                    record.fields.append(field)
                    return record
                }
                // After a closing quote only a comma, a line break or the end may follow.
                if position < bytes.count, bytes[position] != Self.comma, bytes[position] != Self.lf,
                   bytes[position] != Self.cr {
                    note("unexpected character after a closing quote in field \(record.fields.count + 1) "
                         + "(quotes inside a quoted field must be doubled: \"\")")
                    while position < bytes.count, bytes[position] != Self.comma,
                          bytes[position] != Self.lf, bytes[position] != Self.cr {
                        field.append(bytes[position]); position += 1
                    }
                }
            } else {
                while position < bytes.count {
                    let b = bytes[position]
                    if b == Self.comma || b == Self.lf || b == Self.cr { break }
                    if b == Self.quote {
                        note("quote character inside unquoted field \(record.fields.count + 1) "
                             + "(quote the whole field and double the inner quotes)")
                    }
                    field.append(b)
                    position += 1
                }
            }
            record.fields.append(field)
            if position < bytes.count && bytes[position] == Self.comma {
                position += 1
                continue
            }
            _ = consumeLineBreak()
            return record
        }
    }
}
