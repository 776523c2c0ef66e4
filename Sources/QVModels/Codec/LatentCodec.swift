import QVTensor

/// The VAE's role (DESIGN.md §3): a fixed linear patch codec. Each p×p×3 pixel patch (values in
/// [0, 1]) is centred by the data mean and projected on the top `channels` principal directions of
/// training patches, then divided by each direction's standard deviation so latents have unit
/// variance (matching the unit-variance noise of the diffusion objectives). Fitted once, frozen,
/// stored in the checkpoint, never quantized. Frames are not compressed in time.
public struct LatentCodec: Sendable, Equatable {
    public let patch: Int
    public let channels: Int
    /// Mean patch, p·p·3 values.
    public let mean: [Float]
    /// Principal directions as rows, channels × (p·p·3), orthonormal.
    public let basis: [Float]
    /// Standard deviation of each latent channel on the fitting data.
    public let scale: [Float]

    public init(patch: Int, channels: Int, mean: [Float], basis: [Float], scale: [Float]) {
        precondition(mean.count == patch * patch * 3 && basis.count == channels * mean.count && scale.count == channels,
                     "LatentCodec: inconsistent sizes")
        self.patch = patch
        self.channels = channels
        self.mean = mean
        self.basis = basis
        self.scale = scale
    }

    /// Values per pixel patch.
    public var patchDim: Int { patch * patch * 3 }

    /// Fits the codec by PCA on every patch of the given RGB8 clips (frame-major, interleaved RGB,
    /// each `frames`×`height`×`width`).
    public static func fit(clips: [[UInt8]], frames: Int, height: Int, width: Int, patch: Int = 4,
                           channels: Int) throws -> LatentCodec {
        let d = patch * patch * 3
        precondition(channels <= d && height % patch == 0 && width % patch == 0, "LatentCodec.fit: bad geometry")
        var sum = [Double](repeating: 0, count: d), cross = [Double](repeating: 0, count: d * d)
        var n = 0
        var row = [Double](repeating: 0, count: d)
        for clip in clips {
            forEachPatch(clip, frames: frames, height: height, width: width, patch: patch) { values in
                for i in 0..<d { row[i] = Double(values[i]) }
                for i in 0..<d {
                    sum[i] += row[i]
                    for j in i..<d { cross[i * d + j] += row[i] * row[j] }
                }
                n += 1
            }
        }
        let mean = sum.map { $0 / Double(n) }
        var cov = [Float](repeating: 0, count: d * d)
        for i in 0..<d { for j in i..<d {
            let c = cross[i * d + j] / Double(n) - mean[i] * mean[j]
            cov[i * d + j] = Float(c); cov[j * d + i] = Float(c)
        } }
        let eig = try Matrix(rows: d, cols: d, values: cov).symmetricEigen()  // ascending
        var basis = [Float](), scale = [Float]()
        for k in 0..<channels {
            let col = d - 1 - k
            var v = (0..<d).map { eig.vectors[$0, col] }
            // Fix the sign so the fit is reproducible: largest-magnitude component positive.
            if let big = v.max(by: { Swift.abs($0) < Swift.abs($1) }), big < 0 { v = v.map { -$0 } }
            basis += v
            scale.append(Swift.max(eig.values[col], 1e-8).squareRoot())
        }
        return LatentCodec(patch: patch, channels: channels, mean: mean.map { Float($0) }, basis: basis, scale: scale)
    }

    /// RGB8 frames → latents [frames, height/p, width/p, channels] (flat).
    public func encode(_ pixels: [UInt8], frames: Int, height: Int, width: Int) -> [Float] {
        let d = patchDim
        var out: [Float] = []
        out.reserveCapacity(frames * (height / patch) * (width / patch) * channels)
        LatentCodec.forEachPatch(pixels, frames: frames, height: height, width: width, patch: patch) { values in
            for k in 0..<channels {
                var s: Float = 0
                for i in 0..<d { s += (values[i] - mean[i]) * basis[k * d + i] }
                out.append(s / scale[k])
            }
        }
        return out
    }

    /// Latents [frames, h, w, channels] → RGB8 frames [frames, h·p, w·p, 3], clamped to [0, 255].
    public func decode(_ latents: [Float], frames: Int, latentHeight: Int, latentWidth: Int) -> [UInt8] {
        let d = patchDim, height = latentHeight * patch, width = latentWidth * patch
        var out = [UInt8](repeating: 0, count: frames * height * width * 3)
        var values = [Float](repeating: 0, count: d)
        for t in 0..<frames { for by in 0..<latentHeight { for bx in 0..<latentWidth {
            let z = ((t * latentHeight + by) * latentWidth + bx) * channels
            for i in 0..<d { values[i] = mean[i] }
            for k in 0..<channels {
                let a = latents[z + k] * scale[k]
                for i in 0..<d { values[i] += a * basis[k * d + i] }
            }
            for py in 0..<patch { for px in 0..<patch { for c in 0..<3 {
                let v = values[(py * patch + px) * 3 + c] * 255
                out[((t * height + by * patch + py) * width + bx * patch + px) * 3 + c] = UInt8(Swift.min(Swift.max(v.rounded(), 0), 255))
            } } }
        } } }
        return out
    }

    /// Calls `body` with each p×p×3 patch (values in [0, 1], row-major within the patch), in
    /// frame, row, column order.
    static func forEachPatch(_ pixels: [UInt8], frames: Int, height: Int, width: Int, patch: Int,
                             _ body: ([Float]) -> Void) {
        precondition(pixels.count == frames * height * width * 3, "LatentCodec: \(pixels.count) bytes for \(frames)×\(height)×\(width)×3")
        var values = [Float](repeating: 0, count: patch * patch * 3)
        for t in 0..<frames { for by in 0..<(height / patch) { for bx in 0..<(width / patch) {
            for py in 0..<patch { for px in 0..<patch { for c in 0..<3 {
                values[(py * patch + px) * 3 + c] = Float(pixels[((t * height + by * patch + py) * width + bx * patch + px) * 3 + c]) / 255
            } } }
            body(values)
        } } }
    }
}
