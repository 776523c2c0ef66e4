import CFFmpeg

extension VideoClip {
    /// The clip with every frame resampled to `size` by swscale (area averaging for downscaling, or
    /// bilinear), e.g. to bring imported or generated frames to a metric's working resolution.
    /// Returns `self` unchanged when the size already matches.
    public func resized(to size: FrameSize, filter: ResizeFilter = .area) throws -> VideoClip {
        guard size.width >= 1, size.height >= 1, size.width <= 16384, size.height <= 16384 else {
            throw MediaError.invalidArgument(what: "clip resize", reason: "target \(size.width)×\(size.height) must be within 1…16384")
        }
        if size.width == width && size.height == height { return self }
        let flags = (filter == .area ? SWS_AREA : SWS_BILINEAR) | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT
        guard let scaler = sws_getContext(Int32(width), Int32(height), AV_PIX_FMT_RGB24,
                                          Int32(size.width), Int32(size.height), AV_PIX_FMT_RGB24, flags, nil, nil, nil) else {
            throw MediaError.invalidArgument(what: "clip resize", reason: "swscale cannot map \(width)×\(height) to \(size.width)×\(size.height)")
        }
        defer { sws_freeContext(scaler) }
        let outStride = size.width * size.height * 3
        var out = [UInt8](repeating: 0, count: frameCount * outStride)
        // swscale copies four plane pointers and strides even for packed RGB, so pass four of each.
        var srcStride: [Int32] = [Int32(width * 3), 0, 0, 0], dstStride: [Int32] = [Int32(size.width * 3), 0, 0, 0]
        let h = Int32(height), inStride = frameStride
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for t in 0..<frameCount {
                    var srcPlane: [UnsafePointer<UInt8>?] = [src.baseAddress! + t * inStride, nil, nil, nil]
                    var dstPlane: [UnsafeMutablePointer<UInt8>?] = [dst.baseAddress! + t * outStride, nil, nil, nil]
                    _ = sws_scale(scaler, &srcPlane, &srcStride, 0, h, &dstPlane, &dstStride)
                }
            }
        }
        return VideoClip(frameCount: frameCount, height: size.height, width: size.width, fps: fps, pixels: out)
    }
}
