import Foundation
import Testing
@testable import QVKernels

@Suite struct BenchmarkTests {
    /// The benchmark runs end to end on a tiny shape and reports sane (positive, finite) numbers.
    /// No timing assertions: the machine is shared.
    @Test func benchmarkRunsOnATinyShape() throws {
        let shape = KernelBenchShape(m: 7, n: 65, k: 72, label: "tiny")
        let report = try KernelBenchmark.run(shapes: [shape], threads: 1, paths: KernelPath.supported,
                                                repetitions: 1, sampleSeconds: 0.0005)
        #expect(report.rows.count == 1 + KernelBenchmark.variants.count * KernelPath.supported.count)
        for row in report.rows {
            #expect(row.kernelGOPS > 0 && row.kernelGOPS.isFinite, "\(row.variant) \(String(describing: row.path))")
        }
        #expect(report.rows.filter { $0.path != nil }.allSatisfy { $0.endToEndGOPS != nil && $0.speedupOverSGEMM != nil })
        #expect(!report.openBLASCore.isEmpty)
        if KernelPath.avx512VNNI.isSupported {
            #expect(report.peaks.contains { $0.name == "vpdpbusd zmm peak" && $0.gops > 0 })
        }
        let markdown = report.markdown(), csv = report.csv()
        #expect(markdown.contains("| tiny | 7 | 65 | 72 | W4A4-g64 |"))
        #expect(csv.split(separator: "\n").count == report.rows.count + 1)
        #expect(fmt(3.14159, 2) == "3.14" && fmt(-0.05, 1) == "-0.1" && fmt(12, 0) == "12")
    }

    /// Full benchmark, only when QV_BENCH=1 (run in release:
    /// `QV_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter fullBenchmark`).
    /// QV_BENCH_THREADS (default 1) and QV_BENCH_OUT (a directory for kernels.md / kernels.csv).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["QV_BENCH"] == "1"))
    func fullBenchmark() throws {
        let env = ProcessInfo.processInfo.environment
        let threads = Int(env["QV_BENCH_THREADS"] ?? "1") ?? 1
        let paths = env["QV_BENCH_ALL_PATHS"] == "1" ? KernelPath.supported.filter { $0 != .scalar } : [KernelPath.best]
        let report = try KernelBenchmark.run(threads: threads, paths: paths, repetitions: 3)
        print(report.markdown())
        if let dir = env["QV_BENCH_OUT"] {
            try report.markdown().write(toFile: dir + "/kernels-\(threads)t.md", atomically: true, encoding: .utf8)
            try report.csv().write(toFile: dir + "/kernels-\(threads)t.csv", atomically: true, encoding: .utf8)
        }
        #expect(!report.rows.isEmpty)
    }
}
