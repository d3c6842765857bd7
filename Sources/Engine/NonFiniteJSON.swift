import Foundation

// ±∞ and NaN in JSON as the strings "inf", "-inf" and "nan": optimizer state, checkpoints,
// summaries, baselines and claim results all hold them, and all spell them alike.
extension JSONEncoder.NonConformingFloatEncodingStrategy {
    public static var asText: Self { .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan") }
}

extension JSONDecoder.NonConformingFloatDecodingStrategy {
    public static var asText: Self { .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan") }
}
