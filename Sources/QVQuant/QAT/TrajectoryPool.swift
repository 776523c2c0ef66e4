import QVModels
import QVTensor

/// States of the full-precision teacher's guided sampling trajectories on training captions:
/// EfficientDM distils on these (data-free) and Q-DM's noise-estimating mimicking uses them.
public struct TrajectoryPool: Sendable {
    public let states: [DiTInput]

    /// Samples `captions` trajectories of `steps` steps with the teacher and keeps every state.
    public static func build(teacher: ReferenceModel, tokens: [[Int]], seed: UInt64, steps: Int) -> TrajectoryPool {
        let seeds = (0..<tokens.count).map { seed &+ UInt64($0) &* 7919 }
        return TrajectoryPool(states: Calibration.trajectoryInputs(model: teacher, tokens: tokens, seeds: seeds,
                                                                  steps: steps, stride: 1))
    }

    /// A random batch of states.
    public func batch(_ size: Int, rng: inout SeededGenerator) -> TrajectoryBatch {
        TrajectoryBatch(states: (0..<size).map { _ in states[rng.nextInt(below: states.count)] })
    }
}

/// A batch of trajectory states.
public struct TrajectoryBatch: Sendable {
    public var states: [DiTInput]
}
