/// How weight (and matching activation) quantization parameters are shared along K.
public enum WeightGranularity: Sendable, Hashable, CustomStringConvertible {
    /// One scale / zero point per output channel (activations: per token).
    case perChannel
    /// One per output channel per group of `size` inputs (activations: per token per group);
    /// `size` must be a positive multiple of 8. SVDQuant's W4A4 uses 64.
    case perGroup(size: Int)

    /// SVDQuant-style groups of 64.
    public static let group64 = WeightGranularity.perGroup(size: 64)

    /// The C kernels' encoding: 0 = per channel, else the group size.
    var groupSize: Int32 {
        switch self {
        case .perChannel: 0
        case .perGroup(let size): Int32(clamping: size)
        }
    }

    public var description: String {
        switch self {
        case .perChannel: "per-channel"
        case .perGroup(let size): "group\(size)"
        }
    }
}
