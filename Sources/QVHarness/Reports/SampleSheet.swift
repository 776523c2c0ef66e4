import QVMedia

/// The paper's Fig. 1 analogue: one labelled row per method, built from the executors' `samples`
/// PNGs (each already a strip of frames) stacked into a single contact sheet per model.
enum SampleSheet {
    static func render(title: String, rows: [(label: String, path: String)]) throws -> RGBImage {
        let sheetRows = try rows.map { row -> ContactSheetRow in
            let image = try PNGFile.read(row.path)
            let clip = VideoClip(frameCount: 1, height: image.height, width: image.width, pixels: image.pixels)
            return ContactSheetRow(label: row.label, clip: clip)
        }
        return try ContactSheet.render(rows: sheetRows, title: title, style: ContactSheetStyle(scale: 1))
    }

    static func write(_ image: RGBImage, to path: String) throws { try PNGFile.write(image, to: path) }
}
