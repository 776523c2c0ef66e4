import Foundation
import QVData
import QVModels
import QVTensor

/// MotionShapes training clips rendered once and encoded to latents, as the trainer's data source.
public struct EncodedClipSet: LatentClipSource {
    public let latents: [[Float]]
    public let tokens: [[Int]]
    public let captions: [String]

    public var count: Int { latents.count }
    public func example(_ index: Int) -> (latents: [Float], tokens: [Int]) { (latents[index], tokens[index]) }

    /// Renders and encodes `dataset` on all cores (each clip independently, so the result does not
    /// depend on the thread count).
    public static func encode(_ dataset: MotionShapesDataset, codec: LatentCodec,
                              progress: ProgressLine? = nil) throws -> EncodedClipSet {
        let s = dataset.settings
        let done = Mutex(0)
        let items = try ComputeThreads.parallelMap(dataset.count) { i -> ([Float], [Int], String) in
            let ex = try dataset.example(i)
            let latents = codec.encode(ex.clip.pixels, frames: s.frameCount, height: s.height, width: s.width)
            progress?.update(done.withLock { $0 += 1; return $0 })
            return (latents, ex.tokenIds.map(Int.init), ex.text)
        }
        let (lat, tok, cap) = (items.map(\.0), items.map(\.1), items.map(\.2))
        return EncodedClipSet(latents: lat, tokens: tok, captions: cap)
    }
}

import Synchronization
