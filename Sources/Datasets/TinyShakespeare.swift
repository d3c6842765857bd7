import Foundation

/// Tiny Shakespeare (Karpathy's char-rnn): about 1.1 MB of plays, the usual character-level
/// language-modelling benchmark, preprocessed by `CharacterCorpusParser` (last 10 % validation).
public enum TinyShakespeare {
    public static let spec = DatasetSpec(
        name: "tinyshakespeare",
        summary: "1.1 MB of Shakespeare plays, character-level (last 10% validation)",
        license: "public domain text; file from karpathy/char-rnn (MIT)",
        homepage: "https://github.com/karpathy/char-rnn",
        files: [RawFile(
            name: "input.txt",
            urls: ["https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"],
            sha256: [("86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", "karpathy/char-rnn")])],
        parser: CharacterCorpusParser(),
        preprocessingVersion: 1,
        sampleFiles: ["input.txt": "samples/tinyshakespeare-sample.txt"]
    )
}
