/// A decoded video: `frameCount` RGB frames of `height`×`width`, 8 bits per channel.
///
/// This is the one currency every stage exchanges frames in: the sampler decodes latents to it, the
/// media layer reads and writes it, and every metric consumes it. Pixels are stored frame-major,
/// row-major, interleaved RGB: `pixels[((t * height + y) * width + x) * 3 + c]`.
public struct VideoClip: Sendable, Equatable {
    public var frameCount: Int
    public var height: Int
    public var width: Int
    /// Frames per second, as stored in the container or chosen by the generator.
    public var fps: Double
    public var pixels: [UInt8]

    public init(frameCount: Int, height: Int, width: Int, fps: Double = 8, pixels: [UInt8]) {
        precondition(frameCount >= 0 && height > 0 && width > 0, "VideoClip: bad size \(frameCount)×\(height)×\(width)")
        precondition(pixels.count == frameCount * height * width * 3,
                     "VideoClip: \(pixels.count) bytes for \(frameCount)×\(height)×\(width)×3")
        self.frameCount = frameCount
        self.height = height
        self.width = width
        self.fps = fps
        self.pixels = pixels
    }

    /// A black clip of the given size.
    public init(frameCount: Int, height: Int, width: Int, fps: Double = 8) {
        self.init(frameCount: frameCount, height: height, width: width, fps: fps,
                  pixels: [UInt8](repeating: 0, count: frameCount * height * width * 3))
    }

    /// Bytes in one frame (height × width × 3).
    public var frameStride: Int { height * width * 3 }

    /// One frame's pixels as a new array.
    public func frame(_ t: Int) -> ArraySlice<UInt8> {
        pixels[(t * frameStride)..<((t + 1) * frameStride)]
    }

    /// A clip made of the given frames, in the given order (repeats allowed).
    public func selecting(frames order: [Int]) -> VideoClip {
        var out = [UInt8]()
        out.reserveCapacity(order.count * frameStride)
        for t in order { out.append(contentsOf: frame(t)) }
        return VideoClip(frameCount: order.count, height: height, width: width, fps: fps, pixels: out)
    }
}
