#pragma once
/// Class rules: how a provider's features map to frontline's classes (`occupied`, `contested`,
/// `liberated`, ...), or are ignored. A provider preset is a built-in ClassMap; `--class-map`
/// reads one from a small JSON file (format in the README, "Class maps").
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ingest/reader.hpp"

namespace frontline::ingest {

/// The class name a rule gives to drop a feature.
inline constexpr const char* kIgnoreClass = "ignore";

/// Pseudo-fields a rule can read besides the feature's attributes.
inline constexpr const char* kLayerField = "$layer";  ///< the layer's name (ISW: the file's layer)
inline constexpr const char* kFileField = "$file";    ///< the file name, without folders

/// One rule: a condition on one attribute, and what a feature that meets it becomes.
/// With neither `value` nor `pattern` the rule matches every feature.
struct ClassRule {
    std::string field;                 ///< attribute to read; "" means ClassMap::field
    std::string value;                 ///< matches this exact text (see normalize_label), ASCII case-insensitive
    std::string pattern;               ///< or: an ECMAScript regular expression found anywhere in the text,
                                       ///< ASCII case-insensitive (write non-ASCII letters as (А|а), not [Аа])
    std::vector<std::string> classes;  ///< the class, then sub-classes kept alongside it; empty: ignored
    std::string why;                   ///< for ignoring rules: the reason the report gives
};

/// A provider's vocabulary.
struct ClassMap {
    std::string name;                     ///< preset name or map file, for messages and the report
    std::string field;                    ///< attribute the rules read unless they name another
    std::vector<ClassRule> rules;         ///< tried in order; the first that matches decides
    std::vector<std::string> precedence;  ///< where classes overlap, earlier ones keep the area
    std::string unmatched = kIgnoreClass; ///< a feature no rule matches: "ignore" (reported), "error", or a class
    bool clean_slivers = true;            ///< drop sliver parts and fill sliver holes of every class
};

/// The order in which overlapping classes keep area when a map names none: occupied first.
std::vector<std::string> default_precedence();

/// Text as rules compare it: no-break spaces and line breaks become spaces, runs of spaces one
/// space, no leading or trailing space.
std::string normalize_label(const std::string& text);

/// A ClassMap checked and compiled for matching.
class Classifier {
public:
    /// Checks the map (class names, regular expressions, sub-classes that are never a main class)
    /// and compiles it. Throws InputError naming the map and the rule.
    explicit Classifier(ClassMap map);
    ~Classifier();
    Classifier(Classifier&&) noexcept;
    Classifier& operator=(Classifier&&) noexcept;

    /// What a feature became.
    struct Result {
        std::vector<std::string> classes;  ///< empty: ignored
        int rule = -1;                     ///< index of the rule that matched; -1: none did
        std::string value;                 ///< the text the deciding rule read (or the map's field's text)
        std::string why;                   ///< for an ignored feature: why
    };

    /// Classifies one feature of file `file_name`. Throws InputError if no rule matches and the
    /// map's `unmatched` is "error".
    Result classify(const SourceFeature& feature, const std::string& file_name) const;

    /// "name ~ /Occupied/" or "fill = #a52714": how rule `i` reads, for the report.
    std::string describe(int rule) const;

    const ClassMap& map() const { return m_map; }
    /// The main classes in resolution order: the map's precedence (or the default), then the
    /// other main classes in the order the rules name them.
    const std::vector<std::string>& main_classes() const { return m_main; }
    /// For each sub-class, the main class it belongs to.
    const std::map<std::string, std::string>& parents() const { return m_parents; }

private:
    struct Compiled;
    ClassMap m_map;
    std::vector<std::string> m_main;
    std::map<std::string, std::string> m_parents;
    std::unique_ptr<Compiled> m_compiled;
};

/// Reads a class map from a JSON file:
/// `{"field": NAME, "rules": [{"field"?, "value" | "pattern" | neither, "class": C | [C, SUB...],
/// "why"?}, ...], "values": {RAW: C, ...}, "patterns": {REGEX: C, ...}, "precedence": [C, ...],
/// "unmatched": "ignore" | "error" | C, "clean_slivers": true}`. "values" and "patterns" are
/// shorthands tried after "rules", in file order. `field_override`, if not empty, replaces "field".
/// Throws InputError naming the file and what is wrong.
ClassMap load_class_map(const std::string& path, const std::string& field_override);

/// Throws InputError unless `name` is a valid class or provider name (letters, digits, '.', '_',
/// '-', starting with a letter or digit). `what` names the option or map for the message.
void check_name(const std::string& name, const std::string& what);

}  // namespace frontline::ingest
