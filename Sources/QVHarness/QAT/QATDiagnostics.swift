import Foundation
import QVMedia
import QVQuant

/// Per-run diagnostics files (issue 5): `qat-log.csv` (step, loss, gradient norm, learning rate,
/// rank, γ), `training-curves.png`, and for QVGen `phi-spectrum.csv` / `phi-spectrum.png`.
public enum QATDiagnostics {
    public static func write(_ r: QATRunResult, to directory: String) throws {
        try writeLog(r.log, spectrum: r.spectrum, to: directory)
        try PNGFile.write(try curves([(r.config.label, r)]), to: directory + "/training-curves.png")
        if !r.spectrum.isEmpty {
            let chart = LineChart(title: "Phi: share of singular values < 1% of the largest", xLabel: "step", yLabel: "share",
                                  series: [ChartSeries(name: r.config.label, x: r.spectrum.map { Double($0.step) },
                                                       y: r.spectrum.map(\.smallFraction))])
            try PNGFile.write(try chart.render(), to: directory + "/phi-spectrum.png")
        }
    }

    /// The step log and Φ spectrum CSVs (also written with every checkpoint, so a resumed run has its history).
    static func writeLog(_ log: [QATStepLog], spectrum: [(step: Int, smallFraction: Double)], to directory: String) throws {
        try Files.makeDirectory(directory)
        var csv = "step,loss,grad_norm,lr,rank,gamma\n"
        for e in log {
            csv += String(format: "%d,%.9g,%.9g,%.9g,%@,%@\n", e.step, e.loss, e.gradientNorm, e.learningRate,
                          e.extra["rank"].map { String(Int($0)) } ?? "", e.extra["gamma"].map { String(format: "%.6f", $0) } ?? "")
        }
        try Files.writeAtomically(csv, to: directory + "/qat-log.csv")
        if !spectrum.isEmpty {
            try Files.writeAtomically("step,small_singular_fraction\n" + spectrum.map { "\($0.step),\($0.smallFraction)" }.joined(separator: "\n") + "\n",
                                      to: directory + "/phi-spectrum.csv")
        }
    }

    /// Reads back the logs written up to `step` (resuming a run).
    static func read(from directory: String, upTo step: Int) throws -> ([QATStepLog], [(step: Int, smallFraction: Double)]) {
        func rows(_ name: String) -> [[Substring]] {
            ((try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        }
        let log = rows("qat-log.csv").compactMap { f -> QATStepLog? in
            guard f.count >= 6, let s = Int(f[0]), s < step, let l = Float(f[1]), let g = Float(f[2]), let lr = Float(f[3]) else { return nil }
            var extra: [String: Double] = [:]
            if let r = Double(f[4]) { extra["rank"] = r }
            if let gm = Double(f[5]) { extra["gamma"] = gm }
            return QATStepLog(step: s, loss: l, gradientNorm: g, learningRate: lr, extra: extra)
        }
        let spectrum = rows("phi-spectrum.csv").compactMap { f -> (step: Int, smallFraction: Double)? in
            guard f.count == 2, let s = Int(f[0]), s < step, let v = Double(f[1]) else { return nil }
            return (s, v)
        }
        return (log, spectrum)
    }

    /// Loss (top) and gradient-norm (bottom) curves of several runs, smoothed over 10 steps (the paper's Fig. 3).
    public static func curves(_ runs: [(String, QATRunResult)]) throws -> RGBImage {
        func smooth(_ v: [Double]) -> [Double] {
            v.indices.map { i in let lo = Swift.max(0, i - 9); return v[lo...i].reduce(0, +) / Double(i - lo + 1) }
        }
        let loss = LineChart(title: "KD training loss", xLabel: "step", yLabel: "loss",
                             series: runs.map { ChartSeries(name: $0.0, y: smooth($0.1.log.map { Double($0.loss) })) }, logY: true)
        let grad = LineChart(title: "gradient norm", xLabel: "step", yLabel: "|g|",
                             series: runs.map { ChartSeries(name: $0.0, y: smooth($0.1.log.map { Double($0.gradientNorm) })) }, logY: true)
        return stack(try loss.render(), try grad.render())
    }

    static func stack(_ a: RGBImage, _ b: RGBImage) -> RGBImage {
        var out = RGBImage(width: Swift.max(a.width, b.width), height: a.height + b.height)
        out.blit(a, x: 0, y: 0)
        out.blit(b, x: 0, y: a.height)
        return out
    }
}
