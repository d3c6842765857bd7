/// The optimizers a YAML config can name, each declared in its own file (`SGD.definition`, …):
/// adding one is its file, its test and a line here.
public struct OptimizerRegistry: Sendable {
    public let definitions: [OptimizerDefinition]

    public static let standard = OptimizerRegistry([
        SGD.definition, NormalizedSGD.definition, AdaGrad.definition, ClipRAdaGradD.definition, AdaGradNorm.definition,
        Adam.definition, AdamW.definition, RMSProp.definition, SignSGD.definition, MSignSGD.definition, UniversalSGD.definition,
    ])

    public init(_ definitions: [OptimizerDefinition]) {
        precondition(Set(definitions.map(\.name)).count == definitions.count, "two optimizers share a name")
        self.definitions = definitions
    }

    /// A name resolved to its optimizer and the options the name itself asks for.
    public struct Resolved: Sendable {
        public let definition: OptimizerDefinition
        public let clipped: Bool
        public let delayed: Bool
    }

    /// `name` as a registered optimizer, or one with the `clip-` prefix and/or the `d` suffix it takes.
    public func resolve(_ name: OptimizerName) throws -> Resolved {
        func find(_ raw: some StringProtocol) -> OptimizerDefinition? { definitions.first { $0.name.rawValue == raw } }
        let raw = name.rawValue
        // An optimizer registered under the whole name (clip-radagradd) is that optimizer.
        if let exact = find(raw) { return Resolved(definition: exact, clipped: false, delayed: false) }
        let clipped = raw.hasPrefix("clip-")
        let base = clipped ? raw.dropFirst("clip-".count) : Substring(raw)
        if clipped, let definition = find(base), definition.clippable {
            return Resolved(definition: definition, clipped: true, delayed: false)
        }
        if base.hasSuffix("d"), let definition = find(base.dropLast()), definition.delayable, !clipped || definition.clippable {
            return Resolved(definition: definition, clipped: clipped, delayed: true)
        }
        throw OptimizerSpec.Invalid(description: "optimizer '\(raw)' is not one of: \(names.map(\.rawValue).joined(separator: ", "))")
    }

    /// Every name that resolves: each optimizer, then its clipped, delayed and clipped delayed forms.
    public var names: [OptimizerName] {
        definitions.flatMap { d -> [OptimizerName] in
            let n = d.name.rawValue
            var forms = [n]
            if d.clippable { forms.append("clip-\(n)") }
            if d.delayable { forms.append("\(n)d") }
            if d.clippable && d.delayable { forms.append("clip-\(n)d") }
            return forms.map(OptimizerName.init(rawValue:))
        }
    }
}
