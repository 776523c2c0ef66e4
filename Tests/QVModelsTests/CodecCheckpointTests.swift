import Foundation
import Testing
@testable import QVModels
@testable import QVTensor

/// Smooth synthetic RGB8 clips: moving gradients and blobs (what the codec's PCA must capture).
func syntheticClips(_ n: Int, frames: Int = 2, size: Int = 16, seed: UInt64) -> [[UInt8]] {
    var rng = SeededGenerator(seed: seed)
    return (0..<n).map { _ in
        let (cx, cy, r) = (rng.uniform(3, 13), rng.uniform(3, 13), rng.uniform(2, 5))
        let base = (0..<3).map { _ in rng.uniform(0.1, 0.9) }, blob = (0..<3).map { _ in rng.uniform(0, 1) }
        var px = [UInt8]()
        for t in 0..<frames { for y in 0..<size { for x in 0..<size {
            let d = ((Float(x) - cx - Float(t)) * (Float(x) - cx - Float(t)) + (Float(y) - cy) * (Float(y) - cy)).squareRoot()
            let w = Swift.min(Swift.max(r - d + 0.5, 0), 1)
            for c in 0..<3 {
                let v = (base[c] + 0.2 * Float(y) / Float(size)) * (1 - w) + blob[c] * w
                px.append(UInt8(Swift.min(Swift.max(v * 255, 0), 255)))
            }
        } } }
        return px
    }
}

@Suite struct CodecCheckpointTests {
    @Test func codecRoundTripErrorIsBounded() throws {
        let clips = syntheticClips(64, seed: 1)
        let codec = try LatentCodec.fit(clips: clips, frames: 2, height: 16, width: 16, patch: 4, channels: 12)
        // Basis rows are orthonormal.
        for a in 0..<12 { for b in 0..<12 {
            let dot = (0..<48).reduce(Float(0)) { $0 + codec.basis[a * 48 + $1] * codec.basis[b * 48 + $1] }
            #expect(Swift.abs(dot - (a == b ? 1 : 0)) < 1e-4)
        } }
        var total = 0.0, count = 0
        for clip in syntheticClips(16, seed: 2) {
            let z = codec.encode(clip, frames: 2, height: 16, width: 16)
            #expect(z.count == 2 * 4 * 4 * 12)
            let back = codec.decode(z, frames: 2, latentHeight: 4, latentWidth: 4)
            for (a, b) in zip(clip, back) { total += Swift.abs(Double(a) - Double(b)); count += 1 }
        }
        let meanAbs = total / Double(count)
        #expect(meanAbs < 6, "mean absolute round-trip error \(meanAbs) of 255")
        // Keeping all 48 directions reconstructs to rounding.
        let full = try LatentCodec.fit(clips: clips, frames: 2, height: 16, width: 16, patch: 4, channels: 48)
        let clip = clips[0]
        let exact = full.decode(full.encode(clip, frames: 2, height: 16, width: 16), frames: 2, latentHeight: 4, latentWidth: 4)
        #expect(zip(clip, exact).allSatisfy { Swift.abs(Int($0) - Int($1)) <= 1 })
    }

    func smallModel() throws -> ReferenceModel {
        var c = try DiTConfig.preset("cogx-xs", vocabularySize: 6, textLength: 4)
        c.frames = 2; c.latentHeight = 4; c.latentWidth = 4
        let codec = try LatentCodec.fit(clips: syntheticClips(8, seed: 3), frames: 2, height: 16, width: 16, channels: 12)
        let m = ReferenceModel(config: c, codec: codec, vocabulary: ["<pad>", "<null>", "<unk>", "a", "b", "c"], seed: 4)
        var rng = SeededGenerator(seed: 5)
        for (_, p) in m.namedParameters { for i in 0..<p.count { p.data[i] += 0.05 * rng.normal() } }
        return m
    }

    @Test func checkpointRoundTripGivesBitIdenticalOutputs() throws {
        let m = try smallModel()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qv-ckpt-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.save(to: path)
        let loaded = try ReferenceModel.load(from: path)
        #expect(loaded.config == m.config && loaded.codec == m.codec && loaded.vocabulary == m.vocabulary)
        let s1 = m.sampler.sample(tokens: [3, 4, 0, 0], nullTokens: m.nullTokens(), seeds: [9], steps: 3, guidance: 6)
        let s2 = loaded.sampler.sample(tokens: [3, 4, 0, 0], nullTokens: loaded.nullTokens(), seeds: [9], steps: 3, guidance: 6)
        #expect(s1 == s2)
    }

    @Test func badCheckpointsNameTheProblem() throws {
        let m = try smallModel()
        var file = try m.checkpoint()
        _ = file.remove(named: "dit.final_proj.weight")
        #expect(throws: ModelError.self) { try ReferenceModel.load(file: file, path: "x.safetensors") }
        do { _ = try ReferenceModel.load(file: file, path: "x.safetensors") } catch {
            #expect("\(error)".contains("x.safetensors") && "\(error)".contains("dit.final_proj.weight"))
        }
        var wrongShape = try m.checkpoint()
        try wrongShape.set(SafetensorsTensor(name: "dit.final_proj.bias", floats: [1, 2], shape: [2]))
        #expect(throws: ModelError.self) { try ReferenceModel.load(file: wrongShape, path: "y") }
        var foreign = try m.checkpoint()
        foreign.metadata["format"] = "something-else"
        #expect(throws: ModelError.self) { try ReferenceModel.load(file: foreign, path: "z") }
    }
}
