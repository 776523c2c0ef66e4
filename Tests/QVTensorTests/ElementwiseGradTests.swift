import Testing
@testable import QVTensor

@Suite struct ElementwiseGradTests {
    @Test(arguments: [[3], [2, 3], [2, 1, 4]])
    func smoothUnaryOps(shape: [Int]) {
        let x = rand(shape, seed: 1)
        gradCheck("neg", [x]) { $0[0].neg() }
        gradCheck("exp", [x]) { $0[0].exp() }
        gradCheck("tanh", [x]) { $0[0].tanh() }
        gradCheck("sigmoid", [x]) { $0[0].sigmoid() }
        gradCheck("silu", [x]) { $0[0].silu() }
        gradCheck("gelu", [rand(shape, -3, 3, seed: 2)]) { $0[0].gelu() }
        gradCheck("square", [x]) { $0[0].square() }
        gradCheck("scaled", [x]) { $0[0].scaled(-2.5) }
        gradCheck("shifted", [x]) { $0[0].shifted(0.3) }
        let pos = rand(shape, 0.5, 2, seed: 3)
        gradCheck("log", [pos]) { $0[0].log() }
        gradCheck("sqrt", [pos]) { $0[0].sqrt() }
        gradCheck("pow", [pos]) { $0[0].pow(2.4) }
    }

    @Test func kinkedUnaryOpsAwayFromKinks() {
        let x = randAvoiding([4, 5], [0], seed: 4)
        gradCheck("abs", [x]) { $0[0].abs() }
        gradCheck("relu", [x]) { $0[0].relu() }
        gradCheck("sign", [x]) { $0[0].sign() }
        gradCheck("clamp", [randAvoiding([4, 5], [-0.5, 0.4], seed: 5)]) { $0[0].clamp(-0.5, 0.4) }
    }

    @Test func clampEdgesPassGradientInclusively() {
        let x = Tensor(shape: [5], data: [-1, -0.5, 0, 0.4, 1], requiresGrad: true)
        x.clamp(-0.5, 0.4).sum().backward()
        #expect(x.grad == [0, 1, 1, 1, 0])
    }

    @Test func roundIsStraightThrough() {
        let x = rand([3, 4], -3, 3, seed: 6)
        x.requiresGrad = true
        let y = x.roundSTE()
        #expect(y.data == x.data.map { $0.rounded(.toNearestOrEven) })
        // Gradient of the rounded op equals the gradient of the op with round replaced by identity.
        let w = rand([3, 4], seed: 7)
        (y * w).sum().backward()
        #expect(x.grad == w.data)
        #expect(Tensor(shape: [2], data: [0.5, 1.5]).roundSTE().data == [0, 2])
    }

    @Test func broadcastingBinaryOpsOnRandomShapes() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<12 {
            let full = (0..<3).map { _ in 1 + rng.nextInt(below: 4) }
            // Drop leading axes and set random axes to 1 to make a broadcastable partner.
            let drop = rng.nextInt(below: 3)
            let partner = full.dropFirst(drop).map { rng.nextInt(below: 2) == 0 ? 1 : $0 }
            let a = rand(full, seed: UInt64(100 + trial)), b = rand(Array(partner), seed: UInt64(200 + trial))
            let safe = rand(Array(partner), 0.5, 1.5, seed: UInt64(300 + trial))
            gradCheck("add \(full) \(partner)", [a, b]) { $0[0] + $0[1] }
            gradCheck("sub \(partner) \(full)", [b, a]) { $0[0] - $0[1] }
            gradCheck("mul", [a, b]) { $0[0] * $0[1] }
            gradCheck("div", [a, safe]) { $0[0] / $0[1] }
            // A partner at least 0.1 away from `a` everywhere, so the finite difference never crosses a tie.
            let c = Tensor(shape: full, data: a.data.enumerated().map { $0.offset % 2 == 0 ? $0.element + 0.3 : $0.element - 0.2 })
            gradCheck("maximum", [a, c]) { $0[0].maximum($0[1]) }
            gradCheck("minimum", [a, c]) { $0[0].minimum($0[1]) }
        }
    }

    @Test func broadcastForwardMatchesNaive() {
        let a = rand([2, 3, 4], seed: 12), b = rand([3, 1], seed: 13)
        let y = a * b
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 {
            #expect(y.data[(i * 3 + j) * 4 + k] == a.data[(i * 3 + j) * 4 + k] * b.data[j])
        } } }
    }
}
