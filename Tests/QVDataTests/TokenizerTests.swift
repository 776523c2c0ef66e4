import Testing
@testable import QVData

@Suite struct TokenizerTests {
    @Test func encodesWordsInVocabularyOrderThenPads() throws {
        let tok = try CaptionTokenizer(maxLength: 12)
        #expect(tok.tokens.prefix(3) == ["<pad>", "<null>", "<unk>"])
        #expect(tok.vocabularySize == 3 + Vocabulary.words.count)
        let ids = try tok.encode("a red circle moves left on a night sky")
        #expect(ids.count == 12)
        let expectedWords = ["a", "red", "circle", "moves", "left", "on", "a", "night", "sky"]
        for (k, w) in expectedWords.enumerated() {
            #expect(ids[k] == Int32(3 + Vocabulary.words.firstIndex(of: w)!))
        }
        #expect(ids[9...].allSatisfy { $0 == CaptionTokenizer.padId })
        #expect(tok.decode(ids) == "a red circle moves left on a night sky")
        #expect(tok.attentionMask(ids) == Array(repeating: 1, count: 9) + Array(repeating: 0, count: 3))
    }

    @Test func emptyCaptionIsTheNullToken() throws {
        let tok = try CaptionTokenizer()
        let ids = try tok.encode("")
        #expect(ids == tok.nullEncoding)
        #expect(ids[0] == CaptionTokenizer.nullId && ids.dropFirst().allSatisfy { $0 == 0 })
        #expect(tok.decode(ids) == "")
    }

    @Test func unknownWordIsAnErrorListingTheVocabulary() throws {
        let tok = try CaptionTokenizer()
        #expect(throws: TokenizerError.self) { try tok.encode("a red zebra") }
        do {
            _ = try tok.encode("a red zebra")
        } catch {
            #expect(error.description.contains("'zebra'"))
            #expect(error.description.contains("night"))
            #expect(error.description.contains("extended(with:)"))
        }
        let lenient = try tok.encode("a red zebra", allowUnknown: true)
        #expect(lenient[2] == CaptionTokenizer.unknownId)
    }

    @Test func extendAppendsWordsWithoutRenumbering() throws {
        let tok = try CaptionTokenizer()
        let ext = tok.extended(with: ["Zebra", "red", "gallops", "zebra"])
        #expect(ext.vocabularySize == tok.vocabularySize + 2)
        #expect(ext.id(of: "red") == tok.id(of: "red"))
        #expect(ext.id(of: "zebra") == Int32(tok.vocabularySize))
        #expect(ext.id(of: "gallops") == Int32(tok.vocabularySize + 1))
        let ids = try ext.encode("A zebra, gallops!")
        #expect(Array(ids.prefix(3)) == [ext.id(of: "a")!, ext.id(of: "zebra")!, ext.id(of: "gallops")!])
    }

    @Test func extendWithImportedCaptionsKnowsAllTheirWords() throws {
        let texts = ["A dog runs, fast.", "The dog's ball rolls"]
        let ext = try CaptionTokenizer().extended(withWordsOf: texts)
        for t in texts { #expect(ext.decode(try ext.encode(t)) == CaptionTokenizer.words(in: t).joined(separator: " ")) }
        #expect(ext.tokens.suffix(6) == ["dog", "runs", "fast", "dog's", "ball", "rolls"])
    }

    @Test func tooLongTextAndBadLengthAreErrors() throws {
        let tok = try CaptionTokenizer(maxLength: 4)
        #expect(throws: TokenizerError.tooLong(wordCount: 5, maxLength: 4, text: "a red circle moves left")) {
            try tok.encode("a red circle moves left")
        }
        #expect(throws: TokenizerError.badMaxLength(0)) { try CaptionTokenizer(maxLength: 0) }
    }

    @Test func defaultLengthFitsTheLongestCaption() throws {
        let longest = Caption(primary: ObjectSpec(colour: .yellow, shape: .triangle, motion: .moves(.upLeft)),
                              secondary: ObjectSpec(colour: .purple, shape: .diamond, motion: .staysStill),
                              scene: .woodenFloor, pan: .left)
        #expect(longest.words.count == 20)
        let tok = try CaptionTokenizer()
        let ids = try tok.encode(longest.render())
        #expect(tok.decode(ids) == longest.render())
        for prompt in MotionShapesPrompts.evaluationSuite { _ = try tok.encode(prompt.text) }
    }
}
