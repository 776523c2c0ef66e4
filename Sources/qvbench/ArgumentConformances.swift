import ArgumentParser
import QVModels

/// `--cfg-interval 700:1000` or `--cfg-interval all`.
extension GuidanceInterval: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
