import QVModels
import QVTensor

/// One logged QAT step.
public struct QATStepLog: Sendable {
    public var step: Int
    public var loss: Float
    public var gradientNorm: Float
    public var learningRate: Float
    /// Method diagnostics (QVGen: "rank", "gamma").
    public var extra: [String: Double]

    public init(step: Int, loss: Float, gradientNorm: Float, learningRate: Float, extra: [String: Double]) {
        (self.step, self.loss, self.gradientNorm, self.learningRate, self.extra) = (step, loss, gradientNorm, learningRate, extra)
    }
}

/// The knowledge-distillation trainer shared by every QAT method (DESIGN.md §7): the student (a
/// quantized copy of the teacher) learns to match the frozen teacher's output, MSE, on noised
/// training latents at uniformly sampled timesteps (or on teacher trajectory states for data-free
/// methods), with caption dropout, AdamW groups, cosine schedule with warm-up and clipping.
/// Step s draws all its randomness from (seed, s), so a resumed run repeats the uninterrupted one.
public final class KDTrainer {
    public let teacher: ReferenceModel
    public let student: ReferenceModel
    public let method: any QATMethod
    public let settings: QATSettings
    public let spec: QuantizationSpec
    public let context = QuantizationContext()
    public private(set) var optimizer: AdamW
    public let lrSchedule: CosineSchedule
    public let trajectories: TrajectoryPool?
    public var step = 0

    /// Builds the student from the teacher (an independent copy) and lets the method install itself.
    public init(teacher: ReferenceModel, method: any QATMethod, spec: QuantizationSpec, settings: QATSettings,
                trajectories: TrajectoryPool? = nil) throws {
        self.teacher = teacher
        student = try teacher.copy()
        self.method = method
        self.settings = settings
        self.spec = spec
        self.trajectories = trajectories
        teacher.dit.setTrainable(false)
        teacher.textEncoder.setTrainable(false)
        student.textEncoder.setTrainable(false)
        context.attach(to: student.dit, groups: settings.timestepGroups)
        let groups = try method.prepare(student: student, spec: spec, settings: settings, context: context)
        optimizer = AdamW(groups: groups.map { g in
            var g = g
            g.weightDecay = g.name == "weights" ? settings.weightDecay : 0
            return g
        }, beta1: 0.9, beta2: 0.95)
        lrSchedule = CosineSchedule(totalSteps: settings.steps, warmupFraction: settings.warmupFraction)
        if method.inputSource == .teacherTrajectories && trajectories == nil {
            throw QATError.missingTrajectories(method: method.name)
        }
    }

    /// Inputs of step `step`: latents, timesteps and caption ids (after caption dropout). With
    /// `forceData`, noised data even for trajectory-trained methods (the common evaluation set).
    func inputs(data: any LatentClipSource, rng: inout SeededGenerator, forceData: Bool = false) -> (x: [Float], t: [Float], ids: [Int]) {
        let c = teacher.config, b = settings.batch
        var x: [Float] = [], times: [Float] = [], ids: [Int] = []
        x.reserveCapacity(b * c.latentCount)
        let schedule = c.schedule
        for _ in 0..<b {
            var tokens: [Int]
            if method.inputSource == .teacherTrajectories, !forceData, let pool = trajectories {
                let s = pool.states[rng.nextInt(below: pool.states.count)]
                x += s.latents; times.append(s.timestep); tokens = s.tokens
            } else {
                let ex = data.example(rng.nextInt(below: data.count))
                let t = schedule.trainingTimestep(rng.nextFloat())
                times.append(t)
                for v in ex.latents { x.append(schedule.noise(v, rng.normal(), at: t).xt) }
                tokens = ex.tokens
            }
            ids += rng.nextFloat() < settings.captionDropout ? teacher.nullTokens() : tokens
        }
        return (x, times, ids)
    }

    /// The teacher's and the student's predictions on the same inputs, and the KD loss.
    func distillationLoss(x: [Float], t: [Float], ids: [Int]) -> Tensor {
        let c = teacher.config
        let shape = [t.count, c.frames, c.latentHeight, c.latentWidth, c.latentChannels]
        let (text, valid) = withNoGrad { (teacher.textEncoder(ids), teacher.textEncoder.validMask(ids)) }
        let latents = Tensor(shape: shape, data: x)
        let target = withNoGrad { teacher.dit(latents, timesteps: t, text: text, textValid: valid) }
        return Tensor.mseLoss(student.dit(latents, timesteps: t, text: text, textValid: valid), target)
    }

    /// One KD step; throws (updating nothing) when the loss or gradient is not finite.
    @discardableResult
    public func trainStep(on data: any LatentClipSource) throws -> QATStepLog {
        try method.willRunStep(step, optimizer: optimizer)
        var rng = SeededGenerator(seed: settings.seed, stream: "qat-step-\(step)")
        let (x, t, ids) = inputs(data: data, rng: &rng)
        var loss = distillationLoss(x: x, t: t, ids: ids)
        if let extra = method.extraLoss(student: student, trajectory: trajectories?.batch(settings.batch, rng: &rng)) {
            loss = loss + extra
        }
        loss.backward()
        let norm = clipGradientNorm(optimizer.parameters, maxNorm: settings.clipNorm)
        guard loss.item.isFinite, norm.isFinite else {
            optimizer.zeroGrad()
            throw QATError.nonFinite(step: step, loss: loss.item, gradientNorm: norm, layer: firstNonFiniteParameter())
        }
        let factor = lrSchedule.factor(at: step)
        optimizer.update(lrScale: factor)
        optimizer.zeroGrad()
        defer { step += 1 }
        return QATStepLog(step: step, loss: loss.item, gradientNorm: norm, learningRate: settings.weightLR * factor,
                          extra: method.diagnostics(at: step))
    }

    /// Runs the remaining steps, then lets the method finalise the student.
    public func run(on data: any LatentClipSource, log: (QATStepLog) -> Void = { _ in }) throws {
        while step < settings.steps { log(try trainStep(on: data)) }
        try method.finish(student: student, optimizer: optimizer)
    }

    func firstNonFiniteParameter() -> String {
        for (name, p) in student.dit.namedParameters() {
            if !p.data.allSatisfy(\.isFinite) || !(p.grad?.allSatisfy(\.isFinite) ?? true) { return name }
        }
        return "unknown (activations)"
    }

    /// Mean KD loss of the current student on a fixed evaluation set of noised training latents —
    /// the same inputs for every method, whatever it trains on (no gradients).
    public func evaluationLoss(on data: any LatentClipSource, batches: Int = 4, seed: UInt64 = 99) -> Float {
        var total: Float = 0
        for i in 0..<batches {
            var rng = SeededGenerator(seed: seed, stream: "qat-eval-\(i)")
            let (x, t, ids) = inputs(data: data, rng: &rng, forceData: true)
            total += withNoGrad { distillationLoss(x: x, t: t, ids: ids).item }
        }
        return total / Float(batches)
    }
}

/// QAT failures.
public enum QATError: Error, CustomStringConvertible {
    case nonFinite(step: Int, loss: Float, gradientNorm: Float, layer: String)
    case missingTrajectories(method: String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .nonFinite(step, loss, norm, layer):
            return "QAT produced a non-finite value at step \(step) (loss \(loss), gradient norm \(norm), first bad tensor: \(layer)); no checkpoint was written for this step — lower the learning rates or resume from the last checkpoint"
        case let .missingTrajectories(method):
            return "\(method) distils on teacher trajectories: build a TrajectoryPool and pass it to the trainer"
        case let .invalidOption(message): return message
        }
    }
}

extension ReferenceModel {
    /// An independent copy (parameters, codec, vocabulary), e.g. a student initialised from a teacher.
    public func copy() throws -> ReferenceModel {
        try ReferenceModel.load(file: checkpoint(), path: "<copy of \(config.name)>")
    }
}
