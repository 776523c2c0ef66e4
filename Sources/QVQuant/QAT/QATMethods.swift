import QVModels
import QVTensor

/// The QAT methods by name, and a one-call way to run one (what the CLI and harness use).
public enum QATMethods {
    public static let names = ["lsq", "q-dm", "efficientdm", "qvgen"]

    /// A method by name; `qvgen` takes its options, `efficientdm` its LoRA rank.
    public static func make(_ name: String, qvgen: QVGenOptions = QVGenOptions(), loraRank: Int = 32) throws -> any QATMethod {
        switch name {
        case "lsq": return LSQMethod()
        case "q-dm", "qdm": return QDMMethod()
        case "efficientdm": return EfficientDMMethod(loraRank: loraRank)
        case "qvgen": return QVGenMethod(options: qvgen)
        default: throw QATError.invalidOption("unknown QAT method '\(name)'; known: \(names.joined(separator: ", "))")
        }
    }

    /// Whether a method needs teacher trajectory states.
    public static func needsTrajectories(_ method: any QATMethod) -> Bool {
        method.inputSource == .teacherTrajectories || method is QDMMethod
    }

    /// Builds the trainer, including the teacher trajectory pool when the method needs one
    /// (trajectory captions are the first `settings.trajectoryCaptions` of `trajectoryTokens`).
    public static func trainer(teacher: ReferenceModel, method: any QATMethod, spec: QuantizationSpec,
                               settings: QATSettings, trajectoryTokens: [[Int]]) throws -> KDTrainer {
        var pool: TrajectoryPool?
        if needsTrajectories(method) {
            pool = TrajectoryPool.build(teacher: teacher, tokens: Array(trajectoryTokens.prefix(settings.trajectoryCaptions)),
                                        seed: settings.seed, steps: settings.trajectorySteps)
        }
        if let qdm = method as? QDMMethod { qdm.attach(teacher: teacher) }
        return try KDTrainer(teacher: teacher, method: method, spec: spec, settings: settings, trajectories: pool)
    }
}
