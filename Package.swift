// swift-tools-version: 6.1
// QVBench: full-precision, PTQ and QAT video DiTs side by side, VBench-style proxy metrics,
// integer kernels and a harness that regenerates the QVGen paper's tables on a CPU.
// Module layout follows ../shared/DESIGN.md §2; data flows suite → cells → teacher → method → sampler
// → frames → metrics → report.
import PackageDescription

let package = Package(
    name: "QVBench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "qvbench", targets: ["qvbench"]),
        .library(name: "QVHarness", targets: ["QVHarness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // System libraries, each behind a shim header (DESIGN.md §11).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),
        .systemLibrary(name: "CCSV", providers: [.apt(["libcsv-dev"])]),

        // Integer GEMM kernels (C: intrinsics need per-function target attributes).
        .target(name: "CQVKernels"),
        // Float kernels of the tensor engine's non-GEMM ops (C: per-CPU clones of vectorised loops).
        .target(name: "CQVVectorMath"),

        // Swift modules, one per concern.
        .target(name: "QVTensor", dependencies: ["COpenBLAS", "CLAPACKE", "CQVVectorMath"]),
        .target(name: "QVMedia", dependencies: ["CFFmpeg", "CPNG"]),
        .target(name: "QVModels", dependencies: ["QVTensor"]),
        .target(name: "QVData", dependencies: ["QVTensor", "QVMedia"]),
        .target(name: "QVQuant", dependencies: ["QVModels", "QVTensor", "QVKernels"]),
        .target(name: "QVKernels", dependencies: ["CQVKernels", "COpenBLAS"]),
        .target(name: "QVMetrics", dependencies: ["QVTensor", "QVMedia"]),
        .target(name: "QVHarness", dependencies: [
            "QVTensor", "QVModels", "QVData", "QVQuant", "QVKernels", "QVMedia", "QVMetrics", "CCSV",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "qvbench", dependencies: [
            "QVHarness", "QVTensor", "QVModels", "QVQuant", "QVData", "QVMetrics",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "QVTensorTests", dependencies: ["QVTensor", "CQVVectorMath"]),
        .testTarget(name: "QVMediaTests", dependencies: ["QVMedia"]),
        .testTarget(name: "QVModelsTests", dependencies: ["QVModels", "QVTensor"]),
        .testTarget(name: "QVDataTests", dependencies: ["QVData", "QVMedia", "QVTensor"]),
        .testTarget(name: "QVQuantTests", dependencies: ["QVQuant", "QVModels", "QVTensor", "QVData"]),
        .testTarget(name: "QVKernelsTests", dependencies: ["QVKernels", "CQVKernels", "QVTensor"]),
        .testTarget(name: "QVMetricsTests", dependencies: ["QVMetrics", "QVMedia"]),
        .testTarget(name: "QVHarnessTests", dependencies: ["QVHarness", "QVMedia", "QVModels", "QVTensor", "QVQuant", "QVData"]),
    ]
)
