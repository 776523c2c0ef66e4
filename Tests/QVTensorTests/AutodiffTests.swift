import Testing
@testable import QVTensor

@Suite struct AutodiffTests {
    @Test func gradientsAccumulateUntilZeroed() {
        let x = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        (x * x).sum().backward()
        (x * 3).sum().backward()
        #expect(x.grad == [5, 7])
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    @Test func reusedNodeSumsBothPaths() {
        let x = Tensor(shape: [1], data: [3], requiresGrad: true)
        let y = x.exp()
        (y * y + y).sum().backward()  // d/dx (e^{2x} + e^x)
        let expected = 2 * Foundation.exp(Float(6)) + Foundation.exp(Float(3))
        #expect(Swift.abs(x.grad![0] - expected) / expected < 1e-5)
    }

    @Test func noGradRecordsNothing() {
        let x = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        let y = withNoGrad { x * x }
        #expect(y.isLeaf && !y.requiresGrad)
        let z = x * x
        #expect(!z.isLeaf)
    }

    @Test func frozenParametersGetNoGradient() {
        let w = Tensor(shape: [2], data: [1, 2], requiresGrad: false)
        let x = Tensor(shape: [2], data: [3, 4], requiresGrad: true)
        (w * x).sum().backward()
        #expect(w.grad == nil)
        #expect(x.grad == [1, 2])
    }

    @Test func noGradIsPerThread() {
        let x = Tensor(shape: [1], data: [2], requiresGrad: true)
        withNoGrad {
            #expect(runOnNewThread { !(x * x).isLeaf })
            #expect((x * x).isLeaf)
        }
    }

    @Test func deepChainDoesNotOverflowTheStack() {
        let x = Tensor(shape: [1], data: [1], requiresGrad: true)
        var y = x
        for _ in 0..<20_000 { y = y * 1.0001 }
        y.sum().backward()
        #expect(x.grad![0] > 1)
    }
}

import Foundation

/// Runs `body` on a fresh thread and waits for its result.
func runOnNewThread<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
    let box = ResultBox<T>(), done = DispatchSemaphore(value: 0)
    Thread.detachNewThread { box.value = body(); done.signal() }
    done.wait()
    return box.value!
}

private final class ResultBox<T>: @unchecked Sendable { var value: T? }
