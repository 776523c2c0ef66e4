import Testing
@testable import QVData
