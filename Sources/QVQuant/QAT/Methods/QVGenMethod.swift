import QVModels
import QVTensor

/// QVGen (DESIGN.md §7): LSQ+ weights (learnable step and offset), dynamic per-token activations
/// with learnable clipping, and per layer an auxiliary module Φ = L·R initialised from the SVD of
/// the quantization error, fed by the quantized activation. Rank-decay shrinks Φ on equal phases
/// (top components pinned, the rest fading with γ, re-SVD at each phase end) until it is deleted, so
/// the deployed model is a plain quantized model. Knobs select the ablations.
public final class QVGenMethod: QATMethod {
    public let name: String
    public let options: QVGenOptions
    var layers: [(String, QuantizedLinear)] = []
    var schedule: RankDecaySchedule?
    /// Phases whose end has been applied.
    var completedPhases = 0

    public init(options: QVGenOptions = QVGenOptions()) {
        self.options = options
        name = "qvgen"
    }

    var hasPhi: Bool { options.phi && options.rank > 0 }

    public func prepare(student: ReferenceModel, spec: QuantizationSpec, settings: QATSettings,
                        context: QuantizationContext) throws -> [ParameterGroup] {
        var s = spec
        s.weight.learnScale = true
        s.weight.learnZero = true
        if var a = s.activation { a.learnClip = true; s.activation = a }
        layers = ModelQuantization.install(on: student.dit, spec: s, context: context)
        var phi: [Tensor] = []
        if hasPhi {
            let sched = RankDecaySchedule(initialRank: options.rank, shrinkRatio: options.lambda, totalSteps: settings.steps)
            schedule = sched
            for (name, q) in layers {
                guard let base = student.dit.namedLinears().first(where: { $0.0 == name })?.1 else { continue }
                let error = withNoGrad { zip(base.weight.data, q.quantizedWeight(base: base).data).map { $0 - $1 } }
                let r = Swift.min(options.rank, q.inFeatures, q.outFeatures)
                switch options.decay {
                case .none, .rank:
                    q.auxiliary = try AuxiliaryModule.fromError(error, rows: q.outFeatures, cols: q.inFeatures, rank: r)
                case .sparse:
                    let lowRank = try AuxiliaryModule.fromError(error, rows: q.outFeatures, cols: q.inFeatures, rank: r)
                    q.auxiliary = SparseAuxiliary(dense: lowRank.dense, rows: q.outFeatures, cols: q.inFeatures)
                case .residual:
                    q.auxiliary = ResidualQuantAuxiliary(error: error, rows: q.outFeatures, cols: q.inFeatures,
                                                         terms: Swift.max(sched.phases, 1))
                }
                phi += q.auxiliary!.parameters.map(\.1)
            }
        }
        return [ParameterGroup(name: "weights", parameters: latentParameters(of: student.dit), learningRate: settings.weightLR),
                ParameterGroup(name: "phi", parameters: phi, learningRate: settings.auxiliaryLR)]
            + quantizerGroups(layers, settings: settings)
    }

    public func willRunStep(_ step: Int, optimizer: AdamW) throws {
        guard let schedule, options.decay != .none else { return }
        while completedPhases < schedule.phase(at: step) { try endPhase(optimizer: optimizer) }
        setMasks(at: step)
    }

    /// Fading multipliers for `step` on every layer's Φ.
    func setMasks(at step: Int) {
        guard let schedule else { return }
        let gamma = Float(schedule.gamma(at: step)), keep = schedule.kept(at: step)
        for (_, q) in layers {
            switch q.auxiliary {
            case let phi as AuxiliaryModule:
                phi.mask = (0..<phi.rank).map { $0 < Swift.min(keep, phi.rank) ? 1 : gamma }
            case let sparse as SparseAuxiliary:
                let total = sparse.mask.count
                sparse.setFading(keep: keep * total / Swift.max(schedule.initialRank, 1), gamma: gamma)
            case let residual as ResidualQuantAuxiliary:
                // Terms beyond the phase's kept count fade (one per phase).
                let keepTerms = residual.terms.count - 1
                residual.weights = (0..<residual.terms.count).map { $0 < keepTerms ? 1 : gamma }
            default: break
            }
        }
    }

    /// Applies the end of the current phase: cut the rank (re-SVD), prune, or drop a term; delete Φ
    /// when nothing is left.
    func endPhase(optimizer: AdamW) throws {
        guard let schedule else { return }
        let newRank = schedule.ranks[completedPhases + 1]
        for (_, q) in layers {
            switch q.auxiliary {
            case let phi as AuxiliaryModule:
                let r = Swift.min(newRank, phi.rank)
                if r == 0 { remove(q, optimizer: optimizer); continue }
                try cutRank(phi, to: r, optimizer: optimizer)
            case let sparse as SparseAuxiliary:
                let keep = newRank * sparse.mask.count / Swift.max(schedule.initialRank, 1)
                if keep == 0 { remove(q, optimizer: optimizer); continue }
                sparse.prune(keep: keep)
            case let residual as ResidualQuantAuxiliary:
                optimizer.remove(residual.dropLast())
                if residual.terms.isEmpty || newRank == 0 { remove(q, optimizer: optimizer) }
            default: break
            }
        }
        completedPhases += 1
    }

    /// L, R ← balanced factors of the rank-r SVD of L_{:,:r}·R_{:r,:}; moments of the kept slice carried over.
    func cutRank(_ phi: AuxiliaryModule, to r: Int, optimizer: AdamW) throws {
        let (out, inF, old) = (phi.left.shape[0], phi.right.shape[1], phi.rank)
        let lKeep = (0..<out).flatMap { i in (0..<r).map { phi.left.data[i * old + $0] } }
        let rKeep = Array(phi.right.data.prefix(r * inF))
        let svd = try SVD.ofProduct(Matrix(rows: out, cols: r, values: lKeep), Matrix(rows: r, cols: inF, values: rKeep))
        let (l, rt) = svd.truncated(to: r).balancedFactors()
        let newLeft = Tensor(shape: [out, r], data: l.values), newRight = Tensor(shape: [r, inF], data: rt.values)
        let replacement = AuxiliaryModule(left: newLeft, right: newRight)
        optimizer.replace(phi.left, with: replacement.left) { m in (0..<out).flatMap { i in (0..<r).map { m[i * old + $0] } } }
        optimizer.replace(phi.right, with: replacement.right) { m in Array(m.prefix(r * inF)) }
        phi.left = replacement.left
        phi.right = replacement.right
        phi.mask = [Float](repeating: 1, count: r)
    }

    func remove(_ q: QuantizedLinear, optimizer: AdamW) {
        for (_, p) in q.auxiliary?.parameters ?? [] { optimizer.remove(p) }
        q.auxiliary = nil
    }

    public func diagnostics(at step: Int) -> [String: Double] {
        guard let schedule else { return [:] }
        if options.decay == .none { return ["rank": Double(options.rank), "gamma": 1] }
        return ["rank": Double(schedule.rank(at: step)), "gamma": schedule.gamma(at: step)]
    }

    /// Runs the remaining phase ends so Φ is gone (unless decay is off).
    public func finish(student: ReferenceModel, optimizer: AdamW) throws {
        guard let schedule, options.decay != .none else { return }
        while completedPhases < schedule.phases { try endPhase(optimizer: optimizer) }
    }

    /// Singular values of every layer's current Φ (descending), for the spectrum diagnostics.
    public func phiSpectra() throws -> [String: [Float]] {
        var out: [String: [Float]] = [:]
        for (name, q) in layers {
            guard let phi = q.auxiliary else { continue }
            out[name] = try Matrix(rows: q.outFeatures, cols: q.inFeatures, values: phi.dense).svd().s
        }
        return out
    }
}
