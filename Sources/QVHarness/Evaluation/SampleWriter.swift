import Foundation
import QVMedia

/// Writes generated clips the way `qvbench sample` promises: per clip an MP4 and its PNG frames, and
/// one contact sheet with a labelled row per clip.
public enum SampleWriter {
    /// Returns the paths written.
    @discardableResult
    public static func write(_ clips: [(label: String, clip: VideoClip)], to directory: String, title: String?,
                             sheetOnly: Bool = false) throws -> [String] {
        try Files.makeDirectory(directory)
        var written: [String] = []
        for (i, item) in clips.enumerated() where !sheetOnly {
            let stem = String(format: "%@/clip%02d", directory, i)
            try VideoEncoder.write(item.clip, to: stem + ".mp4")
            written.append(stem + ".mp4")
            try Files.makeDirectory(stem)
            for t in 0..<item.clip.frameCount {
                let path = String(format: "%@/frame%02d.png", stem, t)
                try PNGFile.write(clip: item.clip, frame: t, to: path)
                written.append(path)
            }
        }
        let sheet = try ContactSheet.render(rows: clips.map { ContactSheetRow(label: $0.label, clip: $0.clip) }, title: title)
        try PNGFile.write(sheet, to: directory + "/contact-sheet.png")
        written.append(directory + "/contact-sheet.png")
        return written
    }
}
