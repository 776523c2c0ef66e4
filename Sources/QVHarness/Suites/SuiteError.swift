import Foundation

/// A problem in a suite file, located by file, line and column (1-based, from the YAML node marks),
/// with the valid choices when there is a closed set of them.
public struct SuiteError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
