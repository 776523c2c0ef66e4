import Foundation
import QVMedia
import QVModels
import QVQuant

/// Issue 5's printed comparison: every QAT method on one teacher with the same budget, data and
/// seed, and the paper's claims about them checked on the numbers (held or not, reported either way).
public struct QATComparison {
    public var model: String
    public var weightBits: Int
    public var activationBits: Int
    public var settings: QATSettings

    public init(model: String, weightBits: Int = 4, activationBits: Int = 4, settings: QATSettings) {
        self.model = model
        self.weightBits = weightBits
        self.activationBits = activationBits
        self.settings = settings
    }

    /// The compared configurations, in table order.
    public var configs: [QATRunConfig] {
        let base = { (method: String, q: QVGenOptions) in
            QATRunConfig(model: model, method: method, weightBits: weightBits, activationBits: activationBits, qvgen: q, settings: settings)
        }
        return [base("lsq", QVGenOptions()), base("q-dm", QVGenOptions()), base("efficientdm", QVGenOptions()),
                base("qvgen", QVGenOptions(phi: false)), base("qvgen", QVGenOptions(decay: .none)), base("qvgen", QVGenOptions())]
    }

    public func run(teacher: ReferenceModel, directory: String, log: (String) -> Void) throws -> String {
        let data = try QATRun.trainingData(teacher: teacher, clips: 2000, seed: 1)
        var results: [QATRunResult] = []
        for (i, config) in configs.enumerated() {
            log("[\(i + 1)/\(configs.count)] \(config.label)")
            let r = try QATRun(config: config).run(teacher: teacher, data: data, directory: directory + "/run\(i)",
                                                   progress: ProgressLine(config.label, total: settings.steps))
            results.append(r)
        }
        let byLabel = Dictionary(uniqueKeysWithValues: results.map { ($0.config.label, $0) })
        if let qdm = results.first(where: { $0.config.method == "q-dm" }), let qv = results.last {
            try PNGFile.write(try QATDiagnostics.curves([(qdm.config.label, qdm), (qv.config.label, qv)]),
                              to: directory + "/fig3-qdm-vs-qvgen.png")
        }
        _ = byLabel
        return markdown(results)
    }

    public func markdown(_ results: [QATRunResult]) -> String {
        var md = "| method | KD loss at init | final KD loss | mean ‖g‖ | steps/s | extra params | deploy bytes |\n|---|---|---|---|---|---|---|\n"
        for r in results {
            md += String(format: "| %@ | %.4f | %.4f | %.4f | %.2f | %d | %d |\n", r.config.label, r.initialLoss, r.finalLoss,
                         r.meanGradientNorm, r.stepsPerSecond, r.summary.extraParameters, r.summary.deployBytes)
        }
        let naive = results.first { $0.config.method == "qvgen" && !$0.config.qvgen.phi }
        let keep = results.first { $0.config.method == "qvgen" && $0.config.qvgen.decay == .none && $0.config.qvgen.phi }
        let decay = results.first { $0.config.method == "qvgen" && $0.config.qvgen.decay == .rank && $0.config.qvgen.phi }
        md += "\nClaims (QVGen paper), on these runs:\n"
        if let naive, let keep {
            md += claim("Φ lowers the gradient norm vs naive QAT", keep.meanGradientNorm < naive.meanGradientNorm,
                        String(format: "mean ‖g‖ %.4f (Φ) vs %.4f (naive)", keep.meanGradientNorm, naive.meanGradientNorm))
            md += claim("Φ lowers the training loss vs naive QAT", keep.finalLoss < naive.finalLoss,
                        String(format: "final KD loss %.4f (Φ) vs %.4f (naive)", keep.finalLoss, naive.finalLoss))
        }
        if let keep, let decay {
            let cost = (decay.finalLoss - keep.finalLoss) / Swift.max(keep.finalLoss, 1e-12)
            md += claim("rank-decay removes Φ at a small cost (≤ 10% higher loss)", cost <= 0.10 && decay.summary.extraParameters == 0,
                        String(format: "final KD loss %.4f (decayed, %d extra params) vs %.4f (Φ kept, %d extra params): %+.1f%%",
                               decay.finalLoss, decay.summary.extraParameters, keep.finalLoss, keep.summary.extraParameters, 100 * cost))
        }
        if let decay {
            let baselines = results.filter { ["lsq", "q-dm", "efficientdm"].contains($0.config.method) }
            let best = baselines.map(\.finalLoss).min() ?? .infinity
            md += claim("QVGen reaches a lower KD loss than every QAT baseline", decay.finalLoss < best,
                        String(format: "%.4f vs best baseline %.4f", decay.finalLoss, best))
        }
        return md
    }

    func claim(_ text: String, _ held: Bool, _ numbers: String) -> String {
        "- \(held ? "held" : "NOT held"): \(text) — \(numbers)\n"
    }
}
