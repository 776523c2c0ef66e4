import Foundation
import Testing
@testable import QVHarness

@Suite struct ClaimTests {
    let paper = try! PaperNumbers.load(directory: "\(packageRoot)/fixtures/paper", tables: ["table1"])

    func verdicts(_ rows: [ResultRow]) -> [Int: ClaimVerdict] {
        Dictionary(uniqueKeysWithValues: PaperClaims.evaluate(ClaimData(entries: ResultsTable(rows: rows).entries))
            .map { ($0.claim.number, $0.verdict) })
    }

    /// One result row per metric for a (label, method, bits, knobs) with the given metrics.
    func rows(_ label: String, _ method: String, _ bits: Int, knobs: String = "", model: String = "wan-s",
              _ metrics: [String: Double]) -> [ResultRow] {
        metrics.map { ResultRow(cell: "\(model)\(label)\(bits)", model: model, method: method, label: label, w: bits, a: bits,
                                knobs: knobs, seed: 0, metric: $0.key, value: $0.value, wallSeconds: 1) }
    }

    func vbench(_ value: Double) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: MetricNames.vbench.map { ($0.key, value) })
    }

    static let qvgen = "decay=rank;lambda=0.5;phi=on;rank=32"

    /// The checks, applied to the paper's own Table 1, find the paper's claims held.
    @Test func papersOwnNumbersHoldTheTableClaims() {
        let v = verdicts(paperEntries(paper, family: "wan", model: "wan-m") + paperEntries(paper, family: "cogx", model: "cogx-m"))
        for n in [1, 2, 3, 8] { #expect(v[n]?.outcome == .held, "claim \(n): \(v[n]!.evidence)") }
        #expect(v[2]!.evidence.contains("wan-m W4A4: best on 7/8"))
        #expect(v[3]!.evidence.contains("collapse part not measured"))
        for n in [4, 5, 6, 7, 9] { #expect(v[n]?.outcome == .notMeasured, "claim \(n): \(v[n]!.evidence)") }
    }

    @Test func fpMarginAndQATComparisonsCanFail() {
        let fp = rows("FP", "fp", 16, vbench(0.9))
        let q = rows("QVGen", "qvgen", 4, knobs: Self.qvgen, vbench(0.8))
        let lsq = rows("LSQ", "lsq", 4, vbench(0.85))
        let v = verdicts(fp + q + lsq)
        #expect(v[1]?.outcome == .notHeld && v[1]!.evidence.contains("0/8 within 3.00"))
        #expect(v[2]?.outcome == .notHeld && v[2]!.evidence.contains("best on 0/8"))
        let ptq = rows("ViDiT-Q", "vidit-q", 4, knobs: "alpha=0.5;group=0", vbench(0.5)).map { r -> ResultRow in var r = r; r.a = 4; return r }
        let v3 = verdicts(fp + q + ptq)
        #expect(v3[3]?.outcome == .held && v3[3]!.evidence.contains("per-channel mean drop 40.00"))
    }

    @Test func phiTrainingDiagnostics() {
        let q = rows("QVGen", "qvgen", 4, knobs: Self.qvgen, [MetricNames.gradNormMean: 0.5, MetricNames.trainLossFinal: 0.02])
        let naive = rows("Naive QAT", "qvgen", 4, knobs: "decay=none;lambda=0.5;phi=off;rank=32",
                         [MetricNames.gradNormMean: 0.9, MetricNames.trainLossFinal: 0.03])
        #expect(verdicts(q + naive)[4]?.outcome == .held)
        let worse = rows("Naive QAT", "qvgen", 4, knobs: "decay=none;lambda=0.5;phi=off;rank=32",
                         [MetricNames.gradNormMean: 0.4, MetricNames.trainLossFinal: 0.03])
        #expect(verdicts(q + worse)[4]?.outcome == .notHeld)
        // With a Φ-kept row in the suite, that row (Φ active to the end) is compared with naive QAT.
        let kept = rows("+Φ", "qvgen", 4, knobs: "decay=none;lambda=0.5;phi=on;rank=32",
                        [MetricNames.gradNormMean: 0.3, MetricNames.trainLossFinal: 0.01])
        let v = verdicts(q + worse + kept)[4]!
        #expect(v.outcome == .held && v.evidence.contains("+Φ vs Naive QAT"), "\(v.evidence)")
    }

    @Test func rankDecayCostAndStrategy() {
        var q = vbench(0.60)
        q[MetricNames.extraParams] = 0
        let quality = rows("QVGen", "qvgen", 4, knobs: Self.qvgen, q)
        let kept = rows("+Φ", "qvgen", 4, knobs: "decay=none;lambda=0.5;phi=on;rank=32", vbench(0.61))
        #expect(verdicts(quality + kept)[5]?.outcome == .held)
        let expensive = rows("+Φ", "qvgen", 4, knobs: "decay=none;lambda=0.5;phi=on;rank=32", vbench(0.65))
        #expect(verdicts(quality + expensive)[5]?.outcome == .notHeld)
        let sparse = rows("Sparse", "qvgen", 4, knobs: "decay=sparse;lambda=0.5;phi=on;rank=32", vbench(0.58))
        let residual = rows("Residual", "qvgen", 4, knobs: "decay=residual;lambda=0.5;phi=on;rank=32", vbench(0.59))
        #expect(verdicts(quality + sparse + residual)[7]?.outcome == .held)
        let better = rows("Residual", "qvgen", 4, knobs: "decay=residual;lambda=0.5;phi=on;rank=32", vbench(0.62))
        #expect(verdicts(quality + sparse + better)[7]?.outcome == .notHeld)
    }

    @Test func sweepsNearTheBest() {
        let base = rows("QVGen", "qvgen", 4, knobs: Self.qvgen, vbench(0.60))
        let l25 = rows("λ = 1/4", "qvgen", 4, knobs: "decay=rank;lambda=0.25;phi=on;rank=32", vbench(0.602))
        let r64 = rows("r₀ = 64", "qvgen", 4, knobs: "decay=rank;lambda=0.5;phi=on;rank=64", vbench(0.59))
        let held = verdicts(base + l25 + r64)[6]!
        #expect(held.outcome == .held && held.evidence.contains("W4A4 λ: 0.5 scores 60.00, best 0.25 60.20"))
        let far = rows("λ = 1/4", "qvgen", 4, knobs: "decay=rank;lambda=0.25;phi=on;rank=32", vbench(0.62))
        #expect(verdicts(base + far + r64)[6]?.outcome == .notHeld)
    }

    @Test func efficiencyFromLatencyAndKernelCells() {
        let fp = rows("FP", "fp", 16, [MetricNames.latencyMs: 10, MetricNames.modelBytes: 1e6])
        let q = rows("W4A4", "rtn", 4, [MetricNames.latencyMs: 6, MetricNames.modelBytes: 2e5])
        let gemmFP = rows("GEMM fp32", "fp32", 32, model: "gemm-8x8x8", [MetricNames.gemmMs: 1.0])
        let gemmQ = rows("GEMM w4a4", "w4a4", 4, model: "gemm-8x8x8", [MetricNames.gemmMs: 1.5])
        #expect(verdicts(fp + q)[9]?.outcome == .held)
        let v = verdicts(fp + q + gemmFP + gemmQ)[9]!
        #expect(v.outcome == .notHeld && v.evidence.contains("gemm-8x8x8: W4A4 1.50 ms vs FP32 1.00 ms"))
    }

    @Test func w3a3CostCanFail() {
        let fp = rows("FP", "fp", 16, vbench(0.9))
        let q4 = rows("LSQ", "lsq", 4, vbench(0.85))
        let q3 = rows("LSQ", "lsq", 3, vbench(0.84))
        #expect(verdicts(fp + q4 + q3)[8]?.outcome == .notHeld)
        #expect(verdicts(fp + q4 + rows("LSQ", "lsq", 3, vbench(0.7)))[8]?.outcome == .held)
    }
}
