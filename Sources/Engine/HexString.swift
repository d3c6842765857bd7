/// Lowercase hexadecimal of bytes (digests, run keys). `String(format: "%02x")` per byte took
/// 60 µs a key, most of `repro list`'s time over its 57 000 runs.
extension Sequence where Element == UInt8 {
    public var hexString: String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
