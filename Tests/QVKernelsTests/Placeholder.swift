import Testing
@testable import QVKernels
