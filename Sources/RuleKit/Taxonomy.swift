/// One category of the taxonomy: the 3-letter code used as the rule id prefix and the name used in hits.
public struct TaxonomyCategory: Sendable, Equatable {
    public var code: String
    public var name: String
    public var description: String
    public var subcategories: [String]
    public init(code: String, name: String, description: String, subcategories: [String]) {
        self.code = code; self.name = name; self.description = description; self.subcategories = subcategories
    }
}

/// The categories rules may use. `rules/taxonomy.yaml` is the human-readable copy of `Taxonomy.standard`
/// (a test checks that the two agree).
public struct Taxonomy: Sendable {
    public var categories: [TaxonomyCategory]
    public init(categories: [TaxonomyCategory]) { self.categories = categories }

    /// Finds a category by name (`racism`) or by code (`RAC`).
    public func category(named key: String) -> TaxonomyCategory? {
        categories.first { $0.name == key } ?? categories.first { $0.code == key }
    }
    public var names: [String] { categories.map(\.name) }

    /// Category name used for rules from plain pattern files.
    public static let patternCategory = "pattern"
    /// Category name used for rules from plain keyword lists given on the command line.
    public static let keywordCategory = "keyword"

    public static let standard = Taxonomy(categories: [
        .init(code: "RAC", name: "racism",
              description: "Racism, ethnicity, nationality and xenophobia",
              subcategories: ["slur", "dehumanisation", "stereotype", "nationality", "xenophobia"]),
        .init(code: "MIS", name: "misogyny", description: "Misogyny and sexism",
              subcategories: ["slur", "objectification", "gender_stereotype", "harassment"]),
        .init(code: "HOM", name: "homophobia", description: "Homophobia and transphobia (LGBTQ+)",
              subcategories: ["slur", "stereotype", "outing_mockery", "transphobia"]),
        .init(code: "ABL", name: "ableism", description: "Ableism and disability hate",
              subcategories: ["slur", "mockery"]),
        .init(code: "REL", name: "religious_hate", description: "Religious hate",
              subcategories: ["anti_muslim", "antisemitism", "other_faith"]),
        .init(code: "SEX", name: "sexualised", description: "Sexualised content",
              subcategories: ["explicit", "sexual_comment_about_person", "sexual_activity_on_duty", "solicitation"]),
        .init(code: "SVX", name: "sexual_violence", description: "Sexual violence, rape threats and rape jokes",
              subcategories: ["rape_threat", "rape_joke", "drugging", "nickname_alleging_rape"]),
        .init(code: "VIO", name: "violence", description: "Violence and threats (non-sexual)",
              subcategories: ["threat_to_person", "incitement", "glorification"]),
        .init(code: "DOM", name: "domestic_abuse", description: "Domestic abuse",
              subcategories: ["admission", "endorsement", "encouragement", "coercive_control"]),
        .init(code: "HAR", name: "harassment", description: "Bullying, harassment and insult",
              subcategories: ["insult", "intimidation", "exclusion"]),
        .init(code: "PRO", name: "profanity", description: "Profanity (a low-severity context signal)",
              subcategories: ["general", "obscene"]),
    ])
}
