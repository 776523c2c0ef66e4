import QVModels

/// ViDiT-Q-style post-training quantization knobs (DESIGN.md §6).
public struct ViDiTQOptions: Codable, Sendable, Hashable {
    /// Migration-strength grid for channel balancing; each layer keeps the α with the lowest output error
    /// on its calibration rows (the unbalanced layer is always a candidate too).
    public var alphas: [Float]
    /// Rotate the balanced input (and the folded weight) by a block Hadamard matrix.
    public var hadamard: Bool
    /// Timestep-aware statistics: per-timestep-group absMax candidates and a selection criterion that
    /// weighs every timestep group equally (see `ChannelBalancing`).
    public var timestepAware: Bool
    /// Metric-decoupled mixed precision: the k layers whose lone quantization hurts the DiT output most
    /// are re-quantized at `highPrecisionBits` (0 = off). Needs an evaluation set.
    public var mixedPrecisionLayers: Int
    /// Weight/activation bits of the sensitive layers.
    public var highPrecisionBits: Int

    public init(alphas: [Float] = stride(from: 0, through: 1.0001, by: 0.125).map { Float($0) }, hadamard: Bool = false,
                timestepAware: Bool = true, mixedPrecisionLayers: Int = 0, highPrecisionBits: Int = 8) {
        self.alphas = alphas
        self.hadamard = hadamard
        self.timestepAware = timestepAware
        self.mixedPrecisionLayers = mixedPrecisionLayers
        self.highPrecisionBits = highPrecisionBits
    }
}

/// SVDQuant-style post-training quantization knobs (DESIGN.md §6).
public struct SVDQuantOptions: Codable, Sendable, Hashable {
    /// Rank of the full-precision branch L₁L₂ (clamped to min(out, in) per layer).
    public var rank: Int
    /// Smoothing exponent grids: λ_j = a_j^α / w_j^β.
    public var alphas: [Float]
    public var betas: [Float]
    /// Most alternations L ← SVD_r(Ŵ − Q(R)), R ← Ŵ − L (each kept only while the output error falls).
    public var refinementIterations: Int

    public init(rank: Int = 32, alphas: [Float] = [0, 0.25, 0.5, 0.75, 1], betas: [Float] = [0, 0.25, 0.5, 0.75, 1],
                refinementIterations: Int = 4) {
        self.rank = rank
        self.alphas = alphas
        self.betas = betas
        self.refinementIterations = refinementIterations
    }
}

/// A post-training quantization method.
public enum PTQMethod: Sendable, Hashable {
    /// Round-to-nearest: per-channel MSE-initialised weight grids, dynamic per-token activations.
    case rtn
    case viditq(ViDiTQOptions)
    case svdquant(SVDQuantOptions)

    /// Short name used in reports ("rtn", "viditq", "svdquant").
    public var name: String {
        switch self {
        case .rtn: return "rtn"
        case .viditq: return "viditq"
        case .svdquant: return "svdquant"
        }
    }
}

/// What PTQ chose for one layer and the layer's relative output error on its calibration rows.
public struct PTQLayerReport: Codable, Sendable, Hashable {
    public var layer: String
    public var spec: String
    /// Balancing (ViDiT-Q) or smoothing (SVDQuant) exponent α; nil when the layer is left unbalanced.
    public var alpha: Float?
    /// SVDQuant's weight exponent β.
    public var beta: Float?
    /// Which activation statistic the balancing used ("all", "t0", "t1", …, "mean").
    public var statistic: String?
    public var hadamard: Bool
    /// SVDQuant's low-rank branch rank.
    public var rank: Int?
    /// Accepted alternating-refinement steps (SVDQuant).
    public var refinementSteps: Int
    /// Σ‖ŷ − y‖² / Σ‖y‖² of the layer on its calibration rows: plain RTN and after the method.
    public var rtnError: Double
    public var error: Double
    /// DiT output error with only this layer quantized (mixed-precision pass), when measured.
    public var sensitivity: Double?
}

/// The outcome of `PostTrainingQuantization.apply`.
public struct PTQReport: Codable, Sendable, Hashable {
    public var method: String
    public var spec: QuantizationSpec
    public var layers: [PTQLayerReport]
    /// Layers kept at high precision by the mixed-precision pass.
    public var highPrecisionLayers: [String]
}

/// Trajectory inputs and the teacher's predictions on them: where DiT-level output errors are measured.
public struct PTQEvaluationSet: Sendable {
    public var inputs: [DiTInput]
    public var reference: [[Float]]

    public init(inputs: [DiTInput], reference: [[Float]]) {
        self.inputs = inputs
        self.reference = reference
    }

    /// Runs the (full-precision) model on `inputs` for the reference predictions.
    public init(model: ReferenceModel, inputs: [DiTInput]) {
        self.inputs = inputs
        reference = Calibration.predictions(model: model, at: inputs)
    }
}

/// PTQ failures, each naming the layer or file concerned.
public enum PTQError: Error, Sendable, CustomStringConvertible {
    case missingCalibration(layer: String)
    case invalidOption(String)
    case mixedPrecisionNeedsEvaluationSet
    case linearAlgebra(layer: String, problem: String)
    case badQuantizedCheckpoint(path: String, problem: String)

    public var description: String {
        switch self {
        case let .missingCalibration(layer):
            return "PTQ: no calibration statistics for layer '\(layer)'; capture calibration on this model first"
        case let .invalidOption(what):
            return "PTQ: invalid option: \(what)"
        case .mixedPrecisionNeedsEvaluationSet:
            return "PTQ: mixed precision measures DiT output error per layer; pass an evaluation set (trajectory inputs)"
        case let .linearAlgebra(layer, problem):
            return "PTQ: layer '\(layer)': \(problem)"
        case let .badQuantizedCheckpoint(path, problem):
            return "quantized checkpoint \(path): \(problem)"
        }
    }
}
