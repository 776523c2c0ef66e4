import Testing
@testable import QVMetrics
