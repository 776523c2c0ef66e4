import CFFmpeg
import Foundation

/// One encode: owns the muxer, codec context, frames and scaler; frees them on deinit.
final class EncoderSession {
    let clip: VideoClip
    let finalPath: String
    let tempPath: String
    let options: EncodeOptions
    var format: UnsafeMutablePointer<AVFormatContext>?
    var codec: UnsafeMutablePointer<AVCodecContext>?
    var stream: UnsafeMutablePointer<AVStream>?
    var source: UnsafeMutablePointer<AVFrame>?
    var target: UnsafeMutablePointer<AVFrame>?
    var packet: UnsafeMutablePointer<AVPacket>?
    var scaler: OpaquePointer?
    var fileOpen = false
    var encoderName = ""
    var stored = FrameSize(width: 0, height: 0)

    init(clip: VideoClip, finalPath: String, tempPath: String, options: EncodeOptions) throws {
        self.clip = clip
        self.finalPath = finalPath
        self.tempPath = tempPath
        self.options = options
    }

    deinit {
        if fileOpen, let format { avio_closep(&format.pointee.pb) }
        avformat_free_context(format)
        sws_freeContext(scaler)
        av_packet_free(&packet)
        av_frame_free(&source)
        av_frame_free(&target)
        avcodec_free_context(&codec)
    }

    private func fail(_ reason: String, _ code: Int32? = nil) -> MediaError {
        .writeFailed(path: finalPath, reason: code.map { "\(reason): \(FFmpegSupport.errorText($0))" } ?? reason)
    }

    func run() throws -> EncodeSummary {
        try openMuxerAndEncoder()
        try check(avformat_write_header(format, nil), "cannot write the container header")
        for t in 0..<clip.frameCount {
            try fillSource(frame: t)
            try check(av_frame_make_writable(target), "frame buffer")
            try check(sws_scale_frame(scaler, target, source), "pixel conversion")
            target!.pointee.pts = Int64(t)
            if codec!.pointee.flags & AV_CODEC_FLAG_QSCALE != 0 { target!.pointee.quality = codec!.pointee.global_quality }
            try send(target)
        }
        try send(nil)
        try check(av_write_trailer(format), "cannot finish the container")
        return EncodeSummary(path: finalPath, encoder: encoderName, storedSize: stored, frameCount: clip.frameCount)
    }

    private func check(_ code: Int32, _ what: String) throws {
        if code < 0 { throw fail(what, code) }
    }

    private func openMuxerAndEncoder() throws {
        let ext = URL(fileURLWithPath: finalPath).pathExtension
        guard let oformat = av_guess_format(nil, finalPath, nil) else {
            throw fail("no container format for the extension '.\(ext)' (use .mp4, .mkv, .webm, .avi, .gif, …)")
        }
        try check(avformat_alloc_output_context2(&format, oformat, nil, tempPath), "cannot create the container")
        let names = options.encoderName.map { [$0] } ?? VideoEncoder.encoderCandidates(forExtension: ext, lossless: options.lossless)
        if options.lossless && names.isEmpty {
            throw MediaError.invalidArgument(what: "lossless video encode to \(finalPath)", reason:
                "no lossless RGB codec for '.\(ext)'; use .mkv, .avi, .mp4, .mov or .webm")
        }
        var found: UnsafePointer<AVCodec>? = nil
        for name in names where found == nil { found = avcodec_find_encoder_by_name(name) }
        if found == nil && options.encoderName == nil && !options.lossless { found = avcodec_find_encoder(oformat.pointee.video_codec) }
        guard let encoder = found else {
            throw MediaError.unsupportedCodec(path: finalPath, codec: names.isEmpty ? "default video codec of .\(ext)" : names.joined(separator: " or "))
        }
        encoderName = String(cString: encoder.pointee.name)
        let pixelFormat: AVPixelFormat
        if options.lossless {
            guard let rgb = Self.rgbPixelFormat(encoder) else {
                throw MediaError.invalidArgument(what: "lossless video encode to \(finalPath)", reason:
                    "encoder \(encoderName) has no RGB pixel format, so it cannot store frames exactly")
            }
            pixelFormat = rgb
        } else {
            pixelFormat = Self.choosePixelFormat(encoder)
        }
        let needsEven = pixelFormat == AV_PIX_FMT_YUV420P || pixelFormat == AV_PIX_FMT_YUVJ420P
        stored = FrameSize(width: needsEven ? (clip.width + 1) & ~1 : clip.width,
                           height: needsEven ? (clip.height + 1) & ~1 : clip.height)

        guard let ctx = avcodec_alloc_context3(encoder), let st = avformat_new_stream(format, nil) else {
            throw fail("out of memory allocating the encoder")
        }
        codec = ctx
        stream = st
        let rate = av_d2q(clip.fps, 100_000)
        ctx.pointee.width = Int32(stored.width)
        ctx.pointee.height = Int32(stored.height)
        ctx.pointee.pix_fmt = pixelFormat
        ctx.pointee.framerate = rate
        ctx.pointee.time_base = av_inv_q(rate)
        ctx.pointee.gop_size = 12
        st.pointee.time_base = ctx.pointee.time_base
        if format!.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            ctx.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        }
        applyQuality(ctx)
        try check(avcodec_open2(ctx, encoder, nil), "cannot open the \(encoderName) encoder")
        try check(avcodec_parameters_from_context(st.pointee.codecpar, ctx), "codec parameters")

        if oformat.pointee.flags & AVFMT_NOFILE == 0 {
            try check(avio_open(&format!.pointee.pb, tempPath, AVIO_FLAG_WRITE), "cannot open \(tempPath) for writing")
            fileOpen = true
        }
        source = av_frame_alloc()
        target = av_frame_alloc()
        packet = av_packet_alloc()
        guard let source, let target, packet != nil else { throw fail("out of memory allocating frames") }
        source.pointee.width = Int32(stored.width); source.pointee.height = Int32(stored.height)
        source.pointee.format = AV_PIX_FMT_RGB24.rawValue
        target.pointee.width = Int32(stored.width); target.pointee.height = Int32(stored.height)
        target.pointee.format = pixelFormat.rawValue
        try check(av_frame_get_buffer(source, 0), "frame buffer")
        try check(av_frame_get_buffer(target, 0), "frame buffer")
        let w = Int32(stored.width), h = Int32(stored.height)
        scaler = sws_getContext(w, h, AV_PIX_FMT_RGB24, w, h, pixelFormat,
                                SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nil, nil, nil)
        guard scaler != nil else { throw fail("no pixel conversion from RGB24 to the encoder's format") }
        // yuv420p output is limited-range BT.601, matching what the decoder assumes for untagged streams.
        if needsEven {
            sws_setColorspaceDetails(scaler, sws_getCoefficients(SWS_CS_DEFAULT), 1, sws_getCoefficients(SWS_CS_DEFAULT), 0, 0, 1 << 16, 1 << 16)
        }
    }

    /// yuv420p when the encoder takes it (the widely playable choice), else its first listed format.
    static func choosePixelFormat(_ encoder: UnsafePointer<AVCodec>) -> AVPixelFormat {
        guard let list = encoder.pointee.pix_fmts else { return AV_PIX_FMT_YUV420P }
        var first: AVPixelFormat?
        for i in 0..<256 {
            let f = list[i]
            if f == AV_PIX_FMT_NONE { break }
            if f == AV_PIX_FMT_YUV420P { return f }
            if first == nil { first = f }
        }
        return first ?? AV_PIX_FMT_YUV420P
    }

    /// The first exact RGB layout the encoder accepts (RGB24, BGR0, BGR24, planar GBR), or nil.
    static func rgbPixelFormat(_ encoder: UnsafePointer<AVCodec>) -> AVPixelFormat? {
        guard let list = encoder.pointee.pix_fmts else { return nil }
        var supported: Set<Int32> = []
        for i in 0..<256 {
            if list[i] == AV_PIX_FMT_NONE { break }
            supported.insert(list[i].rawValue)
        }
        return [AV_PIX_FMT_RGB24, AV_PIX_FMT_BGR0, AV_PIX_FMT_BGR24, AV_PIX_FMT_GBRP].first { supported.contains($0.rawValue) }
    }

    private func applyQuality(_ ctx: UnsafeMutablePointer<AVCodecContext>) {
        if options.lossless {
            switch encoderName {
            case "libx264rgb", "libx264": av_opt_set(ctx.pointee.priv_data, "qp", "0", 0)
            case "libvpx-vp9": av_opt_set(ctx.pointee.priv_data, "lossless", "1", 0)
            default: break  // FFV1, PNG, … are lossless by construction
            }
            if encoderName.hasPrefix("libx264") { av_opt_set(ctx.pointee.priv_data, "preset", options.x264Preset, 0) }
            return
        }
        let loss = 1 - options.quality
        switch encoderName {
        case "libx264":
            av_opt_set(ctx.pointee.priv_data, "crf", String(Int((51 * loss).rounded())), 0)
            av_opt_set(ctx.pointee.priv_data, "preset", options.x264Preset, 0)
        case "libvpx-vp9":
            ctx.pointee.bit_rate = 0
            av_opt_set(ctx.pointee.priv_data, "crf", String(Int((63 * loss).rounded())), 0)
            av_opt_set(ctx.pointee.priv_data, "deadline", "realtime", 0)
        case "libvpx":
            ctx.pointee.bit_rate = Int64(1_000_000 + 9_000_000 * options.quality)
        case "gif":
            break
        default:  // MPEG-4 Part 2 and other classic encoders: constant quantiser.
            ctx.pointee.max_b_frames = 0
            ctx.pointee.flags |= AV_CODEC_FLAG_QSCALE
            ctx.pointee.global_quality = Int32(FF_QP2LAMBDA) * Int32(1 + (30 * loss).rounded())
        }
    }

    /// Copies frame `t` into the RGB source frame, replicating the last column/row into any padding.
    private func fillSource(frame t: Int) throws {
        try check(av_frame_make_writable(source), "frame buffer")
        guard let plane = qv_frame_plane(source, 0) else { throw fail("frame buffer has no data") }
        let stride = Int(qv_frame_linesize(source, 0))
        let w = clip.width, h = clip.height, sw = stored.width, sh = stored.height
        let base = t * clip.frameStride
        clip.pixels.withUnsafeBufferPointer { src in
            for y in 0..<sh {
                let srcRow = src.baseAddress! + base + min(y, h - 1) * w * 3
                let dstRow = plane + y * stride
                dstRow.update(from: srcRow, count: w * 3)
                for x in w..<sw { (dstRow + x * 3).update(from: srcRow + (w - 1) * 3, count: 3) }
            }
        }
    }

    /// Sends a frame (nil flushes) and writes every packet the encoder returns; bounded by its queue.
    private func send(_ frame: UnsafeMutablePointer<AVFrame>?) throws {
        try check(avcodec_send_frame(codec, frame), "encoding failed")
        for _ in 0..<100_000 {
            let r = avcodec_receive_packet(codec, packet)
            if r == qv_averror_eagain() || r == qv_averror_eof() { return }
            try check(r, "encoding failed")
            // One frame lasts one tick of 1/fps; without it MP4 muxers guess the last frame's duration and
            // the edit list can hide that frame.
            if packet!.pointee.duration <= 0 { packet!.pointee.duration = 1 }
            av_packet_rescale_ts(packet, codec!.pointee.time_base, stream!.pointee.time_base)
            packet!.pointee.stream_index = stream!.pointee.index
            let w = av_interleaved_write_frame(format, packet)  // takes ownership of the packet's data
            try check(w, "cannot write a packet")
        }
    }
}
