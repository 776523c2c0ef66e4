import Testing
@testable import QVMedia
