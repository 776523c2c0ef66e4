import Testing
@testable import QVQuant
