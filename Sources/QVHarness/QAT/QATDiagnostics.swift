import Foundation
import QVMedia

/// Per-run diagnostics files (issue 5): `qat-log.csv` (step, loss, gradient norm, learning rate,
/// rank, γ), `training-curves.png`, and for QVGen `phi-spectrum.csv` / `phi-spectrum.png`.
public enum QATDiagnostics {
    public static func write(_ r: QATRunResult, to directory: String) throws {
        try Files.makeDirectory(directory)
        var csv = "step,loss,grad_norm,lr,rank,gamma\n"
        for e in r.log {
            csv += String(format: "%d,%.6f,%.6f,%.8g,%@,%@\n", e.step, e.loss, e.gradientNorm, e.learningRate,
                          e.extra["rank"].map { String(Int($0)) } ?? "", e.extra["gamma"].map { String(format: "%.4f", $0) } ?? "")
        }
        try Files.writeAtomically(csv, to: directory + "/qat-log.csv")
        try PNGFile.write(try curves([(r.config.label, r)]), to: directory + "/training-curves.png")
        if !r.spectrum.isEmpty {
            try Files.writeAtomically("step,small_singular_fraction\n" + r.spectrum.map { "\($0.step),\($0.smallFraction)" }.joined(separator: "\n") + "\n",
                                      to: directory + "/phi-spectrum.csv")
            let chart = LineChart(title: "Phi: share of singular values < 1% of the largest", xLabel: "step", yLabel: "share",
                                  series: [ChartSeries(name: r.config.label, x: r.spectrum.map { Double($0.step) },
                                                       y: r.spectrum.map(\.smallFraction))])
            try PNGFile.write(try chart.render(), to: directory + "/phi-spectrum.png")
        }
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
