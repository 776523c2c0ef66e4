/// The shared QAT budget and optimiser settings (DESIGN.md §7: the same for every method).
public struct QATSettings: Codable, Sendable, Hashable {
    public var steps: Int
    public var batch: Int
    /// Peak learning rates per parameter group.
    public var weightLR: Float
    public var quantizerLR: Float
    public var auxiliaryLR: Float
    public var loraLR: Float
    /// Activation clipping logits learn this many times faster than latent weights (~300×).
    public var clipLRMultiplier: Float
    public var weightDecay: Float
    public var warmupFraction: Double
    public var clipNorm: Float
    public var captionDropout: Float
    public var seed: UInt64
    /// Timestep groups of timestep-aware quantizers (EfficientDM's temporal activation quantizers).
    public var timestepGroups: Int
    /// Captions × sampling steps of the teacher trajectories used by EfficientDM and Q-DM's NeM.
    public var trajectoryCaptions: Int
    public var trajectorySteps: Int

    public init(steps: Int = 600, batch: Int = 8, weightLR: Float = 1e-4, quantizerLR: Float = 1e-3,
                auxiliaryLR: Float = 1e-3, loraLR: Float = 1e-3, clipLRMultiplier: Float = 300, weightDecay: Float = 1e-4,
                warmupFraction: Double = 0.1, clipNorm: Float = 1, captionDropout: Float = 0.05, seed: UInt64 = 0,
                timestepGroups: Int = 4, trajectoryCaptions: Int = 16, trajectorySteps: Int = 25) {
        self.steps = steps
        self.batch = batch
        self.weightLR = weightLR
        self.quantizerLR = quantizerLR
        self.auxiliaryLR = auxiliaryLR
        self.loraLR = loraLR
        self.clipLRMultiplier = clipLRMultiplier
        self.weightDecay = weightDecay
        self.warmupFraction = warmupFraction
        self.clipNorm = clipNorm
        self.captionDropout = captionDropout
        self.seed = seed
        self.timestepGroups = timestepGroups
        self.trajectoryCaptions = trajectoryCaptions
        self.trajectorySteps = trajectorySteps
    }
}

/// QVGen's knobs (DESIGN §7), also used for the ablations.
public struct QVGenOptions: Codable, Sendable, Hashable {
    public enum Decay: String, Codable, Sendable, CaseIterable {
        /// Φ is kept to the end (an upper bound; it costs inference time).
        case none
        /// QVGen: rank-decay with re-SVD at every phase end.
        case rank
        /// Prune Φ's entries by magnitude on the same phase schedule.
        case sparse
        /// Φ ≈ Σₖ Qₖ(residualₖ) in 4-bit terms, one term dropped per phase.
        case residual
    }

    /// Φ enabled at all (off = naive QAT with LSQ+ quantizers).
    public var phi: Bool
    /// Initial rank r₀ (0 = no Φ).
    public var rank: Int
    /// Shrinking ratio λ.
    public var lambda: Double
    public var decay: Decay

    public init(phi: Bool = true, rank: Int = 32, lambda: Double = 0.5, decay: Decay = .rank) {
        self.phi = phi
        self.rank = rank
        self.lambda = lambda
        self.decay = decay
    }
}
