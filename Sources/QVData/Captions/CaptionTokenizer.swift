/// Why text could not be tokenized.
public enum TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownWord(word: String, text: String, vocabulary: [String])
    case tooLong(wordCount: Int, maxLength: Int, text: String)
    case badMaxLength(Int)

    public var description: String {
        switch self {
        case let .unknownWord(word, text, vocabulary):
            "tokenizer: unknown word '\(word)' in \"\(text)\"; the vocabulary is: "
                + vocabulary.joined(separator: " ")
                + " (use CaptionTokenizer.extended(with:) to add words, e.g. for imported captions)"
        case let .tooLong(n, maxLength, text):
            "tokenizer: \"\(text)\" has \(n) words but the maximum length is \(maxLength); "
                + "raise maxLength or shorten the caption"
        case let .badMaxLength(n):
            "tokenizer: maxLength must be at least 1, got \(n)"
        }
    }
}

/// Closed-vocabulary word tokenizer for the text encoder: words → ids, padded to a fixed length.
///
/// Ids: 0 `<pad>`, 1 `<null>` (the empty caption used for caption dropout / classifier-free
/// guidance), 2 `<unk>` (only produced when unknown words are explicitly allowed), then the words.
/// The MotionShapes vocabulary always comes first, so ids are stable when words are appended.
public struct CaptionTokenizer: Sendable, Equatable {
    public static let padId: Int32 = 0
    public static let nullId: Int32 = 1
    public static let unknownId: Int32 = 2
    public static let specialTokens = ["<pad>", "<null>", "<unk>"]

    /// Every token, indexed by id.
    public private(set) var tokens: [String]
    private var idOfWord: [String: Int32]
    /// Number of ids each encoding is padded (or limited) to.
    public let maxLength: Int

    /// A tokenizer over the MotionShapes vocabulary. Default length 24 fits the longest caption (20 words).
    public init(maxLength: Int = 24) throws(TokenizerError) {
        guard maxLength >= 1 else { throw .badMaxLength(maxLength) }
        self.maxLength = maxLength
        tokens = Self.specialTokens
        idOfWord = [:]
        append(Vocabulary.words)
    }

    public var vocabularySize: Int { tokens.count }

    /// A tokenizer with the given extra words appended (duplicates and known words are ignored).
    public func extended(with words: [String]) -> CaptionTokenizer {
        var copy = self
        copy.append(words.map { $0.lowercased() })
        return copy
    }

    /// A tokenizer that also knows every word of the given texts (e.g. imported captions), in order of
    /// first appearance.
    public func extended(withWordsOf texts: [String]) -> CaptionTokenizer {
        extended(with: texts.flatMap { Self.words(in: $0) })
    }

    private mutating func append(_ words: [String]) {
        for w in words where idOfWord[w] == nil && !w.isEmpty {
            idOfWord[w] = Int32(tokens.count)
            tokens.append(w)
        }
    }

    /// Splits text into lower-case words: whitespace and punctuation other than '-' and '\'' separate
    /// words, so "A red circle, moving." gives ["a", "red", "circle", "moving"].
    public static func words(in text: String) -> [String] {
        text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "'") })
            .map(String.init)
    }

    /// The id of a word, if known.
    public func id(of word: String) -> Int32? { idOfWord[word] }

    /// Encodes text to exactly `maxLength` ids: the words' ids followed by `<pad>`. The empty text
    /// encodes as `<null>` then padding. Unknown words throw unless `allowUnknown` maps them to `<unk>`.
    public func encode(_ text: String, allowUnknown: Bool = false) throws(TokenizerError) -> [Int32] {
        let w = Self.words(in: text)
        if w.isEmpty { return nullEncoding }
        guard w.count <= maxLength else { throw .tooLong(wordCount: w.count, maxLength: maxLength, text: text) }
        var ids = [Int32](repeating: Self.padId, count: maxLength)
        for (k, word) in w.enumerated() {
            if let id = idOfWord[word] {
                ids[k] = id
            } else if allowUnknown {
                ids[k] = Self.unknownId
            } else {
                throw .unknownWord(word: word, text: text, vocabulary: Array(tokens.dropFirst(Self.specialTokens.count)))
            }
        }
        return ids
    }

    /// The encoding of the dropped (empty) caption: `<null>` then padding.
    public var nullEncoding: [Int32] {
        var ids = [Int32](repeating: Self.padId, count: maxLength)
        ids[0] = Self.nullId
        return ids
    }

    /// Mask of real tokens (1 for words and `<null>`, 0 for padding), for attention masks.
    public func attentionMask(_ ids: [Int32]) -> [Float] { ids.map { $0 == Self.padId ? 0 : 1 } }

    /// The words of an encoding (padding dropped; `<null>` gives the empty string).
    public func decode(_ ids: [Int32]) -> String {
        ids.compactMap { id -> String? in
            guard id != Self.padId, id != Self.nullId, id >= 0, Int(id) < tokens.count else { return nil }
            return tokens[Int(id)]
        }.joined(separator: " ")
    }
}
