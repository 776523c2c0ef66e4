/// What can go wrong when measuring clips; every case names the input and the problem.
public enum MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A dimension needs more frames than the clip has.
    case tooFewFrames(dimension: String, frames: Int, needed: Int)
    /// A set of clips (for the Fréchet distance or the classifier) was empty.
    case emptySet(what: String)
    /// A labelled training example had an empty label.
    case emptyLabel(index: Int)
    /// A clip has no frames.
    case noFrames(what: String)
    /// Feature vectors (or Gaussians) of different lengths were mixed.
    case featureLengthMismatch(what: String, expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .tooFewFrames(dimension, frames, needed):
            return "\(dimension): the clip has \(frames) frame(s), this dimension needs at least \(needed)"
        case let .emptySet(what):
            return "\(what): the set of clips is empty; pass at least one clip"
        case let .emptyLabel(index):
            return "scene classifier: training example \(index) has an empty label"
        case let .noFrames(what):
            return "\(what): the clip has no frames"
        case let .featureLengthMismatch(what, expected, got):
            return "\(what): feature vectors must all have \(expected) entries, found one with \(got)"
        }
    }
}
