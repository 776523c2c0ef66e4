/// What a cell computes, fully resolved: everything that changes its result and nothing that does
/// not (labels and group names are presentation and stay out, so shared rows share a cache entry).
public struct CellConfiguration: Sendable, Hashable, Codable {
    /// `quality`, `latency` (model × row cells) or `kernel` (GEMM shape × path cells).
    public var task: String
    public var model: String
    public var method: String
    public var w: Int
    public var a: Int
    public var knobs: [String: KnobValue]
    /// nil for kernel cells.
    public var evaluation: EvaluationSettings?
    /// nil for full precision and kernel cells (they do not train or calibrate).
    public var training: TrainingSettings?
    /// Kernel cells only.
    public var kernel: KernelShape?

    public init(task: String, model: String, method: String, w: Int, a: Int, knobs: [String: KnobValue],
                evaluation: EvaluationSettings?, training: TrainingSettings?, kernel: KernelShape? = nil) {
        self.task = task
        self.model = model
        self.method = method
        self.w = w
        self.a = a
        self.knobs = knobs
        self.evaluation = evaluation
        self.training = training
        self.kernel = kernel
    }

    /// The canonical JSON hashed into the cell key.
    public var canonicalJSON: String {
        var fields: [String: JSONValue] = [
            "task": .string(task), "model": .string(model), "method": .string(method),
            "w": .int(w), "a": .int(a), "knobs": .object(knobs.mapValues(\.json)),
        ]
        if let e = evaluation {
            fields["evaluation"] = .object([
                "prompts": .int(e.prompts), "samples": .int(e.samples), "steps": .int(e.steps),
                "guidance": e.guidance.map { .number($0) } ?? .string("default"), "seed": .int(e.seed),
            ])
        }
        if let t = training {
            fields["training"] = .object(["qat_steps": .int(t.qatSteps), "batch": .int(t.batch),
                                          "calibration_prompts": .int(t.calibrationPrompts)])
        }
        if let k = kernel { fields["kernel"] = .object(["m": .int(k.m), "k": .int(k.k), "n": .int(k.n)]) }
        return JSONValue.object(fields).canonical
    }
}

/// Keys of what a cell consumes besides its configuration (e.g. "teacher" → checkpoint SHA-256,
/// "data" → data-set seed/version), supplied by the executor so a retrained teacher invalidates
/// exactly the cells built on it.
public struct CellInputs: Sendable, Hashable, Codable {
    public var entries: [String: String]
    public init(_ entries: [String: String] = [:]) { self.entries = entries }
    var canonicalJSON: String { JSONValue.object(entries.mapValues { .string($0) }).canonical }
}

/// One unit of work: (model, row) of a suite with its content key.
public struct Cell: Sendable, Hashable {
    public var suite: String
    public var label: String
    /// Ablation groups listing this row.
    public var groups: [String]
    public var configuration: CellConfiguration
    public var inputs: CellInputs
    /// SHA-256 hex of the canonical configuration and input keys: the cache directory's name.
    public var key: String
    /// Position in the suite (model-major, then row) for stable ordering.
    public var order: Int

    public init(suite: String, label: String, groups: [String], configuration: CellConfiguration,
                inputs: CellInputs, order: Int) {
        self.suite = suite
        self.label = label
        self.groups = groups
        self.configuration = configuration
        self.inputs = inputs
        self.order = order
        self.key = Cell.key(configuration: configuration, inputs: inputs)
    }

    public static func key(configuration: CellConfiguration, inputs: CellInputs) -> String {
        SHA256.hex("qvbench-cell-v1\n" + configuration.canonicalJSON + "\n" + inputs.canonicalJSON)
    }

    /// "wan-s · QVGen W4A4" for progress lines and logs.
    public var title: String { "\(configuration.model) · \(label) W\(configuration.w)A\(configuration.a)" }
}

/// What an executor returns for a cell.
public struct CellResult: Sendable, Hashable, Codable {
    /// Metric name → value (quality metrics in 0…1 as VBench; latency in ms; sizes in bytes…).
    public var metrics: [String: Double]
    /// Phase name → seconds (e.g. "train", "sample", "score").
    public var timings: [String: Double]
    /// Artefact name → path relative to the cell directory (e.g. "samples" → "samples.png",
    /// "loss" → "loss.csv", "loss_plot" → "loss.png").
    public var artefacts: [String: String]

    public init(metrics: [String: Double], timings: [String: Double] = [:], artefacts: [String: String] = [:]) {
        self.metrics = metrics
        self.timings = timings
        self.artefacts = artefacts
    }
}

/// The contents of a finished cell's `result.json`.
public struct CellRecord: Sendable, Hashable, Codable {
    public var key: String
    public var configuration: CellConfiguration
    public var inputs: CellInputs
    public var result: CellResult
    /// Wall time of the run that produced it (the executor's call).
    public var wallSeconds: Double
    /// ISO-8601 UTC time it finished.
    public var finished: String
}

/// The contents of `failure.json`: why the last attempt failed (retried on the next run).
public struct CellFailure: Sendable, Hashable, Codable {
    public var key: String
    public var title: String
    public var reason: String
    public var finished: String
}
