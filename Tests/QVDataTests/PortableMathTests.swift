import Foundation
import Testing
@testable import QVData

@Suite struct PortableMathTests {
    @Test func matchesTheSystemLibrary() {
        var x = -40.0
        while x <= 40 {
            let (s, c) = PortableMath.sinCos(x)
            #expect(abs(s - sin(x)) < 1e-13 && abs(c - cos(x)) < 1e-13, "x = \(x)")
            x += 0.0137
        }
        var y = -30.0
        while y <= 30 {
            #expect(abs(PortableMath.exp(y) / exp(y) - 1) < 1e-13, "y = \(y)")
            y += 0.0173
        }
        #expect(PortableMath.exp(0) == 1 && PortableMath.sinCos(0) == (0, 1))
    }
}
