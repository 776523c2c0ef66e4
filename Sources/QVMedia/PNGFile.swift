import CPNG
import Foundation

/// PNG reading and writing through libpng's simplified `png_image` API (the classic API needs setjmp).
public enum PNGFile {
    /// Reads any PNG (grey, grey+alpha, palette, RGB, RGBA, 16-bit) as 8-bit RGB. Alpha is composited
    /// onto `background` (sRGB), grey is replicated to three channels, 16-bit is reduced to 8 bits.
    public static func read(_ path: String, background: RGBColor = .white) throws -> RGBImage {
        try AtomicFile.checkReadable(path)
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            throw MediaError.unreadable(path: path, reason: "not a readable PNG (\(reason))")
        }
        let width = Int(image.width), height = Int(image.height)
        // 2^26 pixels (~200 MB of RGB) is far beyond any frame or report figure this project handles.
        guard width > 0, height > 0, width * height <= 1 << 26 else {
            png_image_free(&image)
            throw MediaError.tooLarge(path: path, reason: "PNG of \(width)×\(height) exceeds the 2^26-pixel bound")
        }
        image.format = png_uint_32(PNG_FORMAT_RGB)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var bg = png_color(red: background.r, green: background.g, blue: background.b)
        let ok = pixels.withUnsafeMutableBytes { buf in
            png_image_finish_read(&image, &bg, buf.baseAddress, png_int_32(width * 3), nil)
        }
        guard ok != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            throw MediaError.unreadable(path: path, reason: "PNG data is corrupt or truncated (\(reason))")
        }
        png_image_free(&image)
        return try RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Writes `image` as an 8-bit RGB PNG, atomically (temporary file + rename).
    public static func write(_ image: RGBImage, to path: String) throws {
        try AtomicFile.write(to: path) { tmp in
            var desc = png_image()
            desc.version = png_uint_32(PNG_IMAGE_VERSION)
            desc.width = png_uint_32(image.width)
            desc.height = png_uint_32(image.height)
            desc.format = png_uint_32(PNG_FORMAT_RGB)
            let ok = image.pixels.withUnsafeBytes { buf in
                png_image_write_to_file(&desc, tmp, 0, buf.baseAddress, png_int_32(image.width * 3), nil)
            }
            let reason = message(of: &desc)
            png_image_free(&desc)
            guard ok != 0 else { throw MediaError.writeFailed(path: path, reason: "libpng: \(reason)") }
        }
    }

    /// Writes frame `t` of `clip` as a PNG.
    public static func write(clip: VideoClip, frame t: Int, to path: String) throws {
        guard t >= 0, t < clip.frameCount else {
            throw MediaError.invalidArgument(what: "PNG frame export to \(path)", reason: "frame \(t) of a \(clip.frameCount)-frame clip")
        }
        try write(RGBImage(clip: clip, frame: t), to: path)
    }

    /// libpng's error text, stored in the fixed `message` char array.
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
