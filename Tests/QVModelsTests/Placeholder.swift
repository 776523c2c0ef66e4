import Testing
@testable import QVModels
