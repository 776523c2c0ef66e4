import Foundation
import Testing
@testable import QVHarness

@Suite struct CanonicalJSONTests {
    @Test func sortedCompactAndEscaped() {
        let value = JSONValue.object(["b": .int(2), "a": .array([.number(0.5), .number(2), .bool(true), .null]),
                                      "c": .string("q\"uo\\te\n\u{01}λ")])
        #expect(value.canonical == #"{"a":[0.5,2,true,null],"b":2,"c":"q\"uo\\te\n\u0001λ"}"#)
    }

    /// The canonical text is valid JSON that Foundation parses back to the same values.
    @Test func parsesBackWithFoundation() throws {
        let value = JSONValue.object(["x": .number(0.1), "y": .string("a,b \"c\""), "z": .int(-3)])
        let parsed = try JSONSerialization.jsonObject(with: Data(value.canonical.utf8)) as! [String: Any]
        #expect(parsed["x"] as? Double == 0.1)
        #expect(parsed["y"] as? String == "a,b \"c\"")
        #expect(parsed["z"] as? Int == -3)
    }

    @Test func knobOrderDoesNotMatter() {
        let a = CellConfiguration(task: "quality", model: "wan-s", method: "qvgen", w: 4, a: 4,
                                  knobs: ["rank": .int(32), "lambda": .number(0.5)], evaluation: nil, training: nil)
        var b = a
        b.knobs = ["lambda": .number(0.5), "rank": .int(32)]
        #expect(a.canonicalJSON == b.canonicalJSON)
    }
}
