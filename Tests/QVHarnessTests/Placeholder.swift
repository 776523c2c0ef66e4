import Testing
@testable import QVHarness
