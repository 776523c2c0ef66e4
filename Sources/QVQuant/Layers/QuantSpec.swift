import QVModels
/// How a layer's weights are quantized (static grids, DESIGN.md §5).
public struct WeightQuantSpec: Codable, Sendable, Hashable {
    public var bits: Int
    /// nil: per output channel (row); g: per group of g input columns within each row.
    public var groupSize: Int?
    /// LSQ: the step is trained (with gradient scale 1/√(N·P)).
    public var learnScale: Bool
    /// LSQ+: the offset is trained too.
    public var learnZero: Bool
    /// MSE search (DESIGN §5) rather than plain min/max for the initial grid.
    public var mseInit: Bool

    public init(bits: Int, groupSize: Int? = nil, learnScale: Bool = false, learnZero: Bool = false, mseInit: Bool = true) {
        self.bits = bits
        self.groupSize = groupSize
        self.learnScale = learnScale
        self.learnZero = learnZero
        self.mseInit = mseInit
    }
}

/// How a layer's input activations are quantized: dynamic per token (optionally per group within
/// the token), with optional learnable clipping per layer or per timestep group.
public struct ActivationQuantSpec: Codable, Sendable, Hashable {
    public var bits: Int
    public var groupSize: Int?
    public var learnClip: Bool
    /// Number of timestep groups with their own clipping factors (1 = shared).
    public var timestepGroups: Int

    public init(bits: Int, groupSize: Int? = nil, learnClip: Bool = false, timestepGroups: Int = 1) {
        self.bits = bits
        self.groupSize = groupSize
        self.learnClip = learnClip
        self.timestepGroups = timestepGroups
    }
}

/// A layer's quantization: weights and (unless full precision) activations.
public struct QuantizationSpec: Codable, Sendable, Hashable {
    public var weight: WeightQuantSpec
    public var activation: ActivationQuantSpec?

    public init(weight: WeightQuantSpec, activation: ActivationQuantSpec?) {
        self.weight = weight
        self.activation = activation
    }

    /// "W4A4"-style label.
    public var label: String { "W\(weight.bits)A\(activation.map { String($0.bits) } ?? "16")" }
}

/// Per-forward state shared by a model's quantized layers: which timestep group each sample of the
/// current batch belongs to (for timestep-aware quantizers). Set by the trainer or sampler before a
/// forward pass; rows of a layer's input are assigned to samples in order.
public final class QuantizationContext: @unchecked Sendable {
    public var sampleGroups: [Int]?
    public init() {}

    /// Follows `dit`'s forward passes: each sample's group is its timestep's bucket among `groups`
    /// equal ranges of [0, 1000).
    public func attach(to dit: VideoDiT, groups: Int) {
        dit.timestepObserver = { [weak self] t in
            self?.sampleGroups = t.map { Swift.min(Swift.max(Int($0 / 1000 * Float(groups)), 0), groups - 1) }
        }
    }

    /// Group id of each of `rows` input rows, or nil when no groups are set.
    func rowGroups(rows: Int) -> [Int]? {
        guard let groups = sampleGroups, !groups.isEmpty, rows % groups.count == 0 else { return nil }
        let per = rows / groups.count
        return (0..<rows).map { groups[$0 / per] }
    }
}
