import Suite

/// Plot escapes text but writes attribute values as given, so values that come from data (figure
/// captions, claim ids) go through here before they become attributes.
enum AttributeValue {
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
