import Foundation
@testable import QVMedia

/// A fresh temporary directory per test (removed by the caller with `cleanup`).
func makeTempDirectory(_ tag: String = #function) throws -> String {
    let safe = tag.filter { $0.isLetter || $0.isNumber }
    let dir = NSTemporaryDirectory() + "qvmedia-\(safe)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func cleanup(_ dir: String) { try? FileManager.default.removeItem(atPath: dir) }

/// The `ffmpeg` executable on PATH, or nil (tests that need fixture files are then skipped).
let ffmpegPath: String? = {
    let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    for d in dirs {
        let p = "\(d)/ffmpeg"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}()

/// Runs `ffmpeg -y -loglevel error <args>`; returns its exit status.
@discardableResult
func runFFmpeg(_ args: [String]) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: ffmpegPath!)
    p.arguments = ["-y", "-nostdin", "-loglevel", "error"] + args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
}

/// A smooth moving pattern: a diagonal colour gradient that shifts by `speed` pixels per frame, with a
/// bright square moving across. Smooth content keeps lossy-codec error small and predictable.
func movingPatternClip(frames: Int, width: Int, height: Int, fps: Double = 8) -> VideoClip {
    var px = [UInt8](repeating: 0, count: frames * width * height * 3)
    for t in 0..<frames {
        for y in 0..<height {
            for x in 0..<width {
                let i = ((t * height + y) * width + x) * 3
                let u = Double(x + 2 * t) / Double(width), v = Double(y) / Double(height)
                px[i] = UInt8(40 + 160 * (0.5 + 0.5 * sin(2 * .pi * u)))
                px[i + 1] = UInt8(40 + 160 * v)
                px[i + 2] = UInt8(40 + 160 * (0.5 + 0.5 * cos(2 * .pi * (u + v) / 2)))
                let sx = (t * 3) % max(1, width - 12)
                if x >= sx && x < sx + 12 && y >= height / 3 && y < height / 3 + 12 {
                    px[i] = 235; px[i + 1] = 235; px[i + 2] = 90
                }
            }
        }
    }
    return VideoClip(frameCount: frames, height: height, width: width, fps: fps, pixels: px)
}

func meanAbsoluteError(_ a: [UInt8], _ b: [UInt8]) -> Double {
    precondition(a.count == b.count)
    var s = 0
    for i in a.indices { s += abs(Int(a[i]) - Int(b[i])) }
    return Double(s) / Double(max(1, a.count))
}

/// Deterministic bytes for "random garbage" files (splitmix64; QVMediaTests does not depend on QVTensor).
func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    var out = [UInt8]()
    out.reserveCapacity(count)
    while out.count < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        withUnsafeBytes(of: z) { out.append(contentsOf: $0.prefix(count - out.count)) }
    }
    return out
}

/// Reads a MediaError thrown by `body`, or nil when it does not throw one.
func mediaError<T>(_ body: () throws -> T) -> MediaError? {
    do { _ = try body(); return nil } catch let e as MediaError { return e } catch { return nil }
}
