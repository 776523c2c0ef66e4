import Testing
@testable import QVData

@Suite struct CaptionTests {
    @Test func rendersTheDocumentedPhrasing() throws {
        let c = Caption(primary: ObjectSpec(colour: .red, shape: .circle, motion: .moves(.left)), scene: .nightSky)
        #expect(c.render() == "a red circle moves left on a night sky")
        let two = Caption(primary: ObjectSpec(colour: .blue, shape: .square, motion: .grows),
                          secondary: ObjectSpec(colour: .white, shape: .cross, motion: .staysStill),
                          scene: .greenGrass, pan: .right)
        let orange = Caption(primary: ObjectSpec(colour: .orange, shape: .diamond, motion: .bounces), scene: .desertSand)
        #expect(orange.render() == "an orange diamond bounces on desert sand")
        #expect(try Caption.parse("a orange diamond bounces on desert sand") == orange)
        #expect(two.render() == "a blue square grows and a white cross stays still on green grass while the camera pans right")
    }

    @Test func parseRenderRoundTripForEveryGeneratedCaption() throws {
        let captions = MotionShapesPrompts.evaluationSuite.map(\.caption)
            + (try MotionShapesPrompts.trainingCaptions(count: 1500, seed: 3))
        for c in captions {
            #expect(try Caption.parse(c.render()) == c)
        }
    }

    @Test func parseRenderRoundTripOverTheWholeSingleObjectGrammar() throws {
        var n = 0
        for colour in ColourName.allCases {
            for shape in ShapeKind.allCases {
                for motion in MotionKind.allCases {
                    for scene in SceneKind.allCases {
                        let c = Caption(primary: ObjectSpec(colour: colour, shape: shape, motion: motion), scene: scene,
                                        pan: PanDirection.allCases[n % 4])
                        #expect(try Caption.parse(c.render()) == c)
                        n += 1
                    }
                }
            }
        }
        #expect(n == 8 * 5 * 13 * 6)
    }

    @Test func forgivesCaseSpacingAndAFinalPeriod() throws {
        let c = try Caption.parse("  A Red  circle moves UP-LEFT on desert sand. ")
        #expect(c.primary == ObjectSpec(colour: .red, shape: .circle, motion: .moves(.upLeft)))
        #expect(c.scene == .desertSand)
    }

    @Test func unknownWordErrorNamesTheWordPositionAndVocabulary() {
        do {
            _ = try Caption.parse("a magenta circle moves left on a night sky")
            Issue.record("magenta should not parse")
        } catch {
            #expect(error.word == "magenta")
            #expect(error.position == 2)
            #expect(error.expected == ColourName.allCases.map(\.word))
            let message = error.description
            #expect(message.contains("'magenta'"))
            for w in Vocabulary.words { #expect(message.contains(w)) }
        }
    }

    @Test func misplacedAndMissingWordsAreRejected() {
        let bad = [
            "a red circle on a night sky",                      // missing motion
            "a red circle moves on a night sky",                // missing direction
            "a red circle moves left",                          // missing scene
            "a red circle moves left on a night",               // incomplete scene
            "a red circle moves left on a night sky camera",    // broken pan clause
            "a red circle moves left on a night sky while the camera pans up-left",  // pans are 4-way
            "a red circle moves left and on a night sky",       // incomplete second object
            "a red circle moves left on a night sky and a blue square grows",  // object after scene
            "red circle moves left on a night sky",             // missing article
            "",
        ]
        for text in bad {
            #expect(throws: CaptionError.self, "\(text)") { try Caption.parse(text) }
        }
    }

    @Test func sceneErrorListsTheScenePhrasesThatCouldContinue() {
        do {
            _ = try Caption.parse("a red circle moves left on a purple sky")
            Issue.record("should not parse")
        } catch {
            #expect(error.word == "purple")
            #expect(error.position == 8)
            #expect(Set(error.expected) == ["grey", "day", "night", "wooden"])
        }
    }

    @Test func vocabularyIsExactlyTheWordsCaptionsUse() throws {
        var used = Set<String>()
        for colour in ColourName.allCases { used.insert(colour.word) }
        for shape in ShapeKind.allCases { used.insert(shape.word) }
        for m in MotionKind.allCases { used.formUnion(m.words) }
        for s in SceneKind.allCases { used.formUnion(s.words) }
        for p in PanDirection.allCases { used.insert(p.word) }
        used.formUnion(["a", "an", "and", "on", "while", "the", "camera", "pans"])
        #expect(Set(Vocabulary.words) == used)
        #expect(Vocabulary.words.count == Set(Vocabulary.words).count)
    }

    @Test func onlyRotatingCirclesAreUncheckable() {
        let circle = Caption(primary: ObjectSpec(colour: .red, shape: .circle, motion: .rotates), scene: .daySky)
        let square = Caption(primary: ObjectSpec(colour: .red, shape: .square, motion: .rotates), scene: .daySky)
        #expect(!circle.isCheckable)
        #expect(square.isCheckable)
    }
}
