import ArgumentParser
import QVModels

/// `--cfg-interval 700:1000` or `--cfg-interval all`.
extension GuidanceInterval: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// `--eta` must be in [0, 1]: 0 is the deterministic sampler, 1 the posterior's full noise.
func validateEta(_ eta: Float) throws {
    guard eta >= 0, eta <= 1 else {
        throw ValidationError("--eta must be between 0 (deterministic) and 1 (the posterior's noise), got \(eta)")
    }
}
