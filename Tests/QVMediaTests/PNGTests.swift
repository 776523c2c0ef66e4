import CPNG
import Foundation
import Testing
@testable import QVMedia

@Suite("PNG read/write")
struct PNGTests {
    /// Writes raw pixels in a libpng format (grey, grey+alpha, RGBA, …) with libpng itself, so the reader
    /// is checked against files it did not write.
    static func writeRaw(_ bytes: [UInt8], width: Int, height: Int, format: Int32, channels: Int, to path: String) {
        var img = png_image()
        img.version = png_uint_32(PNG_IMAGE_VERSION)
        img.width = png_uint_32(width); img.height = png_uint_32(height)
        img.format = png_uint_32(format)
        let ok = bytes.withUnsafeBytes { png_image_write_to_file(&img, path, 0, $0.baseAddress, png_int_32(width * channels), nil) }
        png_image_free(&img)
        #expect(ok != 0)
    }

    @Test("RGB round trip is exact, written atomically")
    func roundTrip() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        var img = RGBImage(width: 37, height: 23)
        for y in 0..<23 { for x in 0..<37 { img[x, y] = RGBColor(UInt8(x * 7 % 256), UInt8(y * 11 % 256), UInt8((x * y) % 256)) } }
        let path = dir + "/a.png"
        try PNGFile.write(img, to: path)
        #expect(try PNGFile.read(path) == img)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.png"])
    }

    @Test("Grey input replicates to RGB")
    func grey() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let g = (0..<(16 * 5)).map { UInt8($0 * 3) }
        Self.writeRaw(g, width: 16, height: 5, format: Int32(PNG_FORMAT_GRAY), channels: 1, to: dir + "/g.png")
        let img = try PNGFile.read(dir + "/g.png")
        #expect(img.width == 16 && img.height == 5)
        for i in 0..<(16 * 5) { #expect(img.pixels[3 * i] == g[i] && img.pixels[3 * i + 1] == g[i] && img.pixels[3 * i + 2] == g[i]) }
    }

    @Test("RGBA input: opaque pixels exact, transparent pixels take the background, partial in between")
    func rgba() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let px: [UInt8] = [200, 10, 60, 255,   200, 10, 60, 0,   200, 10, 60, 128]
        Self.writeRaw(px, width: 3, height: 1, format: Int32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA), channels: 4, to: dir + "/a.png")
        let img = try PNGFile.read(dir + "/a.png", background: RGBColor(0, 255, 0))
        #expect(img[0, 0] == RGBColor(200, 10, 60))
        #expect(img[1, 0] == RGBColor(0, 255, 0))
        let half = img[2, 0]
        #expect(half.r > 0 && half.r < 200 && half.g > 10 && half.g < 255)
    }

    @Test("Palette (colour-mapped) input decodes to its palette colours")
    func palette() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        let path = dir + "/p.png"
        let colormap: [UInt8] = [255, 0, 0,   0, 0, 255,   17, 200, 99]
        let indices: [UInt8] = (0..<(8 * 4)).map { UInt8($0 % 3) }
        var img = png_image()
        img.version = png_uint_32(PNG_IMAGE_VERSION)
        img.width = 8; img.height = 4
        img.format = png_uint_32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_COLORMAP)
        img.colormap_entries = 3
        let ok = indices.withUnsafeBytes { ib in colormap.withUnsafeBytes { cb in
            png_image_write_to_file(&img, path, 0, ib.baseAddress, 8, cb.baseAddress)
        } }
        png_image_free(&img)
        #expect(ok != 0)
        let out = try PNGFile.read(path)
        #expect(out.width == 8 && out.height == 4)
        for i in 0..<32 {
            let k = Int(indices[i]) * 3
            #expect(out[i % 8, i / 8] == RGBColor(colormap[k], colormap[k + 1], colormap[k + 2]))
        }
    }

    @Test("Missing, empty and non-PNG files fail naming the file")
    func failures() throws {
        let dir = try makeTempDirectory(); defer { cleanup(dir) }
        #expect(mediaError { try PNGFile.read(dir + "/none.png") } == .fileNotFound(path: dir + "/none.png"))
        #expect(FileManager.default.createFile(atPath: dir + "/empty.png", contents: Data()))
        #expect(mediaError { try PNGFile.read(dir + "/empty.png") } == .emptyFile(path: dir + "/empty.png"))
        #expect(FileManager.default.createFile(atPath: dir + "/junk.png", contents: Data(pseudoRandomBytes(count: 500, seed: 3))))
        #expect(mediaError { try PNGFile.read(dir + "/junk.png") }?.path == dir + "/junk.png")
        // A valid PNG cut in half.
        var img = RGBImage(width: 64, height: 64)
        for y in 0..<64 { for x in 0..<64 { img[x, y] = RGBColor(UInt8(x * 4), UInt8((x ^ y) * 4 % 256), UInt8(y * 4)) } }
        try PNGFile.write(img, to: dir + "/ok.png")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/ok.png"))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.png"))
        #expect(mediaError { try PNGFile.read(dir + "/cut.png") }?.path == dir + "/cut.png")
        #expect(mediaError { try PNGFile.write(img, to: dir + "/missing-dir/x.png") } != nil)
    }
}
