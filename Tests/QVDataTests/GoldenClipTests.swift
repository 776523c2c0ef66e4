import Testing
import QVMedia
@testable import QVData

/// Snapshot of rendered bytes. Teacher checkpoints and cached cells are keyed on the data seed, so a
/// renderer change that alters pixels must be deliberate: if this fails after an intended change,
/// print the new hashes and update them here (and say so in the commit message).
@Suite struct GoldenClipTests {
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    @Test func renderedBytesMatchTheRecordedSnapshot() throws {
        let renderer = try MotionShapesRenderer()
        let cases: [(String, UInt64)] = [
            ("a red circle moves left on a night sky", 0),
            ("a yellow diamond rotates and a white cross bounces on a day sky while the camera pans down", 1),
            ("an orange triangle grows on desert sand while the camera pans left", 2),
        ]
        let hashes = try cases.map { text, seed in
            Self.fnv1a(renderer.render(try Caption.parse(text), seed: seed).clip.pixels)
        }
        print("golden clip hashes:", hashes.map { "0x" + String($0, radix: 16) })
        #expect(hashes == Self.recorded)
    }

    static let recorded: [UInt64] = [0x3c6e96e8cba35836, 0x5aef30ea7dd5f72c, 0x3a1f8eb9d854035d]
}
