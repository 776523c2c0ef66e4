import Testing
@testable import QVMetrics

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Runs only with `QV_BENCH=1` (build with `-c release` for meaningful numbers); prints, never asserts
/// a time.
@Suite struct BenchmarkTests {
    @Test(.enabled(if: getenv("QV_BENCH") != nil))
    func eightDimensionsOn16x64x64() throws {
        let r = try MetricsBenchmark.run()
        print("QVMetrics benchmark: \(r.frames)×\(r.height)×\(r.width), all 8 dimensions, 1 thread: "
              + "wall median \(r.medianMilliseconds) ms, min \(r.minimumMilliseconds) ms; thread CPU median "
              + "\(r.medianThreadCPUMilliseconds) ms over \(r.repetitions) runs")
        print("scores: \(r.scores.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" })")
        #expect(r.scores.count == Dimension.allCases.count)
    }
}
