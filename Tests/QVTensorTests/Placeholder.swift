import Testing
@testable import QVTensor
