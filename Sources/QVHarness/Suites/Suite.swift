/// A parsed, validated suite file (see SuiteParser.swift for the YAML schema). Cells are
/// models × rows (plus one cell per kernel shape × path for efficiency suites).
public struct Suite: Sendable, Hashable {
    /// What the model × row cells measure.
    public enum Task: String, Sendable, Hashable, CaseIterable {
        /// Sample the evaluation prompts and score them (VBench-style proxies).
        case quality
        /// Time one sampling step and measure the deployed model's size.
        case latency
    }

    public var name: String
    public var description: String
    public var task: Task
    public var models: [String]
    public var evaluation: EvaluationSettings
    public var training: TrainingSettings
    public var rows: [RowSpec]
    /// Ablation groups in file order: name → row labels (a row may be in several groups).
    public var groups: [RowGroup]
    public var kernels: KernelSettings?
    /// Stems of `fixtures/paper/*.csv` whose numbers the report prints beside ours.
    public var paper: [String]
    /// The file it was read from (for messages and the report header).
    public var path: String

    /// Names of the groups that list `label`.
    public func groups(containing label: String) -> [String] {
        groups.filter { $0.labels.contains(label) }.map(\.name)
    }
}

/// How quality cells sample and score: prompts from the MotionShapes evaluation set.
public struct EvaluationSettings: Sendable, Hashable, Codable {
    public var prompts: Int
    public var samples: Int
    public var steps: Int
    /// Classifier-free guidance scale; nil = the model family's default (5.0 Wan-like, 6.0 CogX-like).
    public var guidance: Double?
    public var seed: Int

    public init(prompts: Int, samples: Int, steps: Int, guidance: Double? = nil, seed: Int = 0) {
        self.prompts = prompts
        self.samples = samples
        self.steps = steps
        self.guidance = guidance
        self.seed = seed
    }
}

/// Shared by every PTQ/QAT row of a suite, so methods get the same budget and data.
public struct TrainingSettings: Sendable, Hashable, Codable {
    public var qatSteps: Int
    public var batch: Int
    public var calibrationPrompts: Int

    public init(qatSteps: Int = 200, batch: Int = 8, calibrationPrompts: Int = 4) {
        self.qatSteps = qatSteps
        self.batch = batch
        self.calibrationPrompts = calibrationPrompts
    }
}

/// One table row: a method at a bit width with knobs (defaults filled in).
public struct RowSpec: Sendable, Hashable {
    public var label: String
    public var method: String
    public var w: Int
    public var a: Int
    /// Every knob of the method, defaults included, so equal settings give equal cache keys.
    public var knobs: [String: KnobValue]

    public init(label: String, method: String, w: Int, a: Int, knobs: [String: KnobValue]) {
        self.label = label
        self.method = method
        self.w = w
        self.a = a
        self.knobs = knobs
    }

    /// "W4A4", "W16A16".
    public var bits: String { "W\(w)A\(a)" }

    /// "decay=rank;lambda=0.5;…" sorted by name: the knobs column of results.csv.
    public var knobText: String { knobs.keys.sorted().map { "\($0)=\(knobs[$0]!)" }.joined(separator: ";") }
}

public struct RowGroup: Sendable, Hashable {
    public var name: String
    public var labels: [String]
}

/// GEMM shapes (M tokens × K in → N out) and kernel paths the efficiency suite times.
public struct KernelSettings: Sendable, Hashable {
    public var shapes: [KernelShape]
    public var paths: [String]
}

public struct KernelShape: Sendable, Hashable, Codable, CustomStringConvertible {
    public var m: Int
    public var k: Int
    public var n: Int
    public init(m: Int, k: Int, n: Int) { self.m = m; self.k = k; self.n = n }
    public var description: String { "\(m)x\(k)x\(n)" }
}
