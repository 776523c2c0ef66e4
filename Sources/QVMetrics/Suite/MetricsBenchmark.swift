import QVMedia
import QVTensor

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Timing of the full eight-dimension suite on one clip (DESIGN §10 budgets; target ≤ 50 ms for a
/// 16-frame 64×64 clip on one core). A benchmark, not a test: it prints nothing and asserts nothing,
/// callers print the numbers.
public enum MetricsBenchmark {
    public struct Result: Sendable {
        /// Median wall time of one `evaluate` call over the repetitions, in milliseconds.
        public var medianMilliseconds: Double
        /// Fastest repetition, in milliseconds.
        public var minimumMilliseconds: Double
        /// Median CPU time of the calling thread per call, in milliseconds: what one core spends, even
        /// when other processes share the machine and inflate wall time.
        public var medianThreadCPUMilliseconds: Double
        public var repetitions: Int
        public var frames: Int
        public var height: Int
        public var width: Int
        /// The scores of the timed call (proves all eight dimensions ran).
        public var scores: [Dimension: Double]
    }

    /// Times `MetricSuite().evaluate` (all eight dimensions, with an expectation and a fitted scene
    /// classifier) on a synthetic clip: a textured background with a disc moving diagonally.
    public static func run(frames: Int = 16, size: Int = 64, repetitions: Int = 10) throws -> Result {
        let clip = benchmarkClip(frames: frames, size: size, seed: 1)
        let other = benchmarkClip(frames: 4, size: size, seed: 2, tint: 80)
        let classifier = try SceneClassifier.fit([(clip, "textured"), (other, "tinted")])
        let expectation = ClipExpectation(objectColour: NamedColour("red", 220, 40, 40),
                                          motion: .direction(.southEast), scene: "textured")
        let suite = MetricSuite()
        var times: [Double] = [], cpuTimes: [Double] = []
        var scores: [Dimension: Double] = [:]
        let clock = ContinuousClock()
        for _ in 0..<max(1, repetitions) {
            let cpuStart = threadCPUMilliseconds()
            let start = clock.now
            scores = try suite.evaluate(clip, expectation: expectation, sceneClassifier: classifier)
            let elapsed = clock.now - start
            cpuTimes.append(threadCPUMilliseconds() - cpuStart)
            times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15)
        }
        times.sort()
        cpuTimes.sort()
        return Result(medianMilliseconds: times[times.count / 2], minimumMilliseconds: times[0],
                      medianThreadCPUMilliseconds: cpuTimes[cpuTimes.count / 2],
                      repetitions: times.count, frames: frames, height: size, width: size, scores: scores)
    }

    /// CPU time consumed so far by the calling thread (CLOCK_THREAD_CPUTIME_ID), in milliseconds.
    static func threadCPUMilliseconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) * 1e-6
    }

    static func benchmarkClip(frames: Int, size: Int, seed: UInt64, tint: Int = 0) -> VideoClip {
        var rng = SeededGenerator(seed: seed, stream: "MetricsBenchmark")
        var field = [Float](repeating: 0, count: size * size)
        for i in field.indices { field[i] = rng.uniform(-40, 40) }
        let texture = Plane(width: size, height: size, values: field).gaussianBlurred(sigma: 1.5).values
        var pixels = [UInt8](repeating: 0, count: frames * size * size * 3)
        let radius = Float(size) * 0.15
        for t in 0..<frames {
            let cx = Float(size) * 0.3 + Float(t) * 2.0, cy = Float(size) * 0.3 + Float(t) * 1.6
            for y in 0..<size {
                for x in 0..<size {
                    let q = ((t * size + y) * size + x) * 3
                    let dx = Float(x) - cx, dy = Float(y) - cy
                    if dx * dx + dy * dy < radius * radius {
                        pixels[q] = 220; pixels[q + 1] = 40; pixels[q + 2] = 40
                    } else {
                        let v = texture[y * size + x]
                        pixels[q] = UInt8(max(0, min(255, 90 + Float(tint) + v)))
                        pixels[q + 1] = UInt8(max(0, min(255, 140 + v)))
                        pixels[q + 2] = UInt8(max(0, min(255, 70 + v)))
                    }
                }
            }
        }
        return VideoClip(frameCount: frames, height: size, width: size, pixels: pixels)
    }
}
