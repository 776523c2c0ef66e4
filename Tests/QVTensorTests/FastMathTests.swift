import Foundation
import Testing
@testable import QVTensor

@Suite struct FastMathTests {
    @Test func fastExpIsAccurateOverItsDomain() {
        var worst: Double = 0
        var x: Float = -87
        while x < 88 {
            let exact = Foundation.exp(Double(x)), approx = Double(fastExp(x))
            worst = Swift.max(worst, Swift.abs(approx - exact) / exact)
            x += 0.0137
        }
        #expect(worst < 5e-7)
        #expect(fastExp(0) == 1)
        #expect(fastExp(-1000) > 0 && fastExp(-1000) < 1e-37)
    }

    @Test func fastTanhAndSigmoid() {
        for x in stride(from: Float(-12), through: 12, by: 0.01) {
            #expect(Swift.abs(fastTanh(x) - Foundation.tanh(x)) < 2e-6)
            #expect(Swift.abs(fastSigmoid(x) - 1 / (1 + Foundation.exp(-x))) < 1e-6)
        }
        #expect(fastTanh(0) == 0)
        #expect(fastTanh(50) == 1 && fastTanh(-50) == -1)
    }
}
