import Foundation
import Testing
@testable import QVData

@Suite struct CSVTests {
    @Test func readsOpenVidLayoutWithQuotesCommasAndExtraColumns() throws {
        let text = "video,caption,aesthetic score,motion score\n"
            + "a.mp4,\"A dog, running \"\"fast\"\" on grass.\",5.1,0.3\n"
            + "b.mp4,Plain caption,4.0,1.2\n"
        let table = try VideoCaptionCSV.parse(text)
        #expect(table.errors.isEmpty)
        #expect(table.rows == [
            VideoCaptionRow(line: 2, video: "a.mp4", caption: "A dog, running \"fast\" on grass."),
            VideoCaptionRow(line: 3, video: "b.mp4", caption: "Plain caption"),
        ])
        #expect(table.header == ["video", "caption", "aesthetic score", "motion score"])
    }

    @Test func acceptsCRLFBlankLinesBOMAndColumnOrder() throws {
        let text = "\u{FEFF}Caption,Video\r\n\r\n\"first\r\nsecond line\",x.mp4\r\n   \r\nthird,y.mp4"
        let table = try VideoCaptionCSV.parse(text)
        #expect(table.errors.isEmpty)
        #expect(table.rows == [
            VideoCaptionRow(line: 3, video: "x.mp4", caption: "first\r\nsecond line"),
            VideoCaptionRow(line: 6, video: "y.mp4", caption: "third"),
        ])
    }

    @Test func badRecordsBecomeLineNumberedErrorsAndOthersSurvive() throws {
        let text = """
        video,caption
        ok1.mp4,fine
        missing.mp4
        extra.mp4,one,two
        ,no video name
        empty.mp4,
        bad"quote.mp4,caption
        "after"x,caption
        ok1.mp4,duplicate
        ok2.mp4,"also fine"
        """
        let table = try VideoCaptionCSV.parse(text, source: "clips.csv")
        #expect(table.rows.map(\.video) == ["ok1.mp4", "ok2.mp4"])
        #expect(table.rows.map(\.line) == [2, 10])
        #expect(table.errors.map(\.line) == [3, 4, 5, 6, 7, 8, 9])
        #expect(table.errors[0].description.hasPrefix("clips.csv:3: expected 2 fields"))
        #expect(table.errors[0].message.contains("found 1"))
        #expect(table.errors[1].message.contains("found 3"))
        #expect(table.errors[2].message.contains("empty video"))
        #expect(table.errors[3].message.contains("empty caption"))
        #expect(table.errors[4].message.contains("quote character inside unquoted field"))
        #expect(table.errors[5].message.contains("after a closing quote"))
        #expect(table.errors[6].message.contains("already listed on line 2"))
    }

    @Test func unterminatedQuoteIsReportedAtItsLine() throws {
        let table = try VideoCaptionCSV.parse("video,caption\nv.mp4,ok\nw.mp4,\"never closed\nmore text\n")
        #expect(table.rows.count == 1)
        #expect(table.errors.count == 1 && table.errors[0].line == 3)
        #expect(table.errors[0].message.contains("never closed"))
    }

    @Test func headerProblemsAreThrown() {
        #expect(throws: CSVError.emptyFile(source: "<csv>")) { try VideoCaptionCSV.parse("\n\n") }
        #expect(throws: CSVError.badHeader(source: "<csv>", header: ["video", "text"], problem: "missing column(s) caption")) {
            try VideoCaptionCSV.parse("video,text\na.mp4,hello\n")
        }
        #expect(throws: CSVError.self) { try VideoCaptionCSV.parse("video,caption,video\n") }
        #expect(throws: CSVError.self) { try VideoCaptionCSV.read(path: "/nonexistent/qvdata.csv") }
    }

    @Test func invalidUTF8IsARowError() throws {
        var bytes = Array("video,caption\na.mp4,ok\nb.mp4,".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\n".utf8)
        let table = try VideoCaptionCSV.parse(bytes)
        #expect(table.rows.count == 1)
        #expect(table.errors.map(\.line) == [3])
        #expect(table.errors[0].message.contains("UTF-8"))
    }

    @Test func readsFromAFile() throws {
        let path = NSTemporaryDirectory() + "qvdata-csv-\(UInt32.random(in: 0...UInt32.max)).csv"
        try "video,caption\r\nclip.mp4,\"a, b\"\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try VideoCaptionCSV.read(path: path)
        #expect(table.source == path && table.rows == [VideoCaptionRow(line: 2, video: "clip.mp4", caption: "a, b")])
    }
}
