#include "ingest/class_rules.hpp"

#include <cpl_json.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

#include "geo/error.hpp"
#include "ingest/gdal_env.hpp"

namespace frontline::ingest {

void check_name(const std::string& value, const std::string& what) {
    static const std::regex name(R"([A-Za-z0-9][A-Za-z0-9_.\-]*)");
    if (!std::regex_match(value, name)) {
        throw InputError(what + ": '" + value +
                         "' is not a valid name; use letters, digits, '.', '_' and '-', e.g. deepstate");
    }
}

std::vector<std::string> default_precedence() { return {"occupied", "advanced", "contested", "liberated"}; }

std::string normalize_label(const std::string& text) {
    std::string spaced;
    spaced.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
            spaced += ' ';  // U+00A0 no-break space
            ++i;
        } else if (c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') {
            spaced += ' ';
        } else {
            spaced += static_cast<char>(c);
        }
    }
    std::string out;
    out.reserve(spaced.size());
    for (char c : spaced) {
        if (c == ' ' && (out.empty() || out.back() == ' ')) {
            continue;
        }
        out += c;
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

namespace {

std::string ascii_lower(std::string s) {
    for (auto& c : s) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return s;
}

}  // namespace

struct Classifier::Compiled {
    struct Rule {
        std::string field;
        std::optional<std::string> value;   // normalised, lower-cased
        std::optional<std::regex> pattern;
    };
    std::vector<Rule> rules;
};

Classifier::~Classifier() = default;
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;

Classifier::Classifier(ClassMap map) : m_map(std::move(map)), m_compiled(std::make_unique<Compiled>()) {
    const std::string where = "class map '" + m_map.name + "'";
    std::vector<std::string> mains_in_rule_order;
    std::set<std::string> mains;
    auto add_main = [&](const std::string& c) {
        if (mains.insert(c).second) {
            mains_in_rule_order.push_back(c);
        }
    };
    for (std::size_t i = 0; i < m_map.rules.size(); ++i) {
        const ClassRule& rule = m_map.rules[i];
        const std::string at = where + ", rule " + std::to_string(i + 1);
        Compiled::Rule c;
        c.field = rule.field.empty() ? m_map.field : rule.field;
        if (c.field.empty() && !(rule.value.empty() && rule.pattern.empty())) {
            throw InputError(at + ": names no field to read; give \"field\" in the map or the rule, or --class-field");
        }
        if (!rule.value.empty() && !rule.pattern.empty()) {
            throw InputError(at + ": has both \"value\" and \"pattern\"; give one");
        }
        if (!rule.value.empty()) {
            c.value = ascii_lower(normalize_label(rule.value));
        }
        if (!rule.pattern.empty()) {
            try {
                c.pattern.emplace(rule.pattern, std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
            } catch (const std::regex_error& e) {
                throw InputError(at + ": pattern '" + rule.pattern + "' is not a valid regular expression (" + e.what() +
                                 ")");
            }
        }
        for (std::size_t k = 0; k < rule.classes.size(); ++k) {
            const std::string& cls = rule.classes[k];
            check_name(cls, at);
            if (cls == kIgnoreClass) {
                if (rule.classes.size() != 1) {
                    throw InputError(at + ": \"ignore\" cannot be combined with classes");
                }
                continue;
            }
            if (k == 0) {
                add_main(cls);
            } else {
                auto [it, fresh] = m_parents.emplace(cls, rule.classes[0]);
                if (!fresh && it->second != rule.classes[0]) {
                    throw InputError(at + ": sub-class '" + cls + "' belongs to '" + it->second + "' in another rule, to '" +
                                     rule.classes[0] + "' here; a sub-class has one main class");
                }
            }
        }
        m_compiled->rules.push_back(std::move(c));
    }
    if (m_map.unmatched != kIgnoreClass && m_map.unmatched != "error") {
        check_name(m_map.unmatched, where + ", \"unmatched\"");
        add_main(m_map.unmatched);
    }
    for (const auto& [sub, parent] : m_parents) {
        if (mains.count(sub) != 0) {
            throw InputError(where + ": '" + sub + "' is a sub-class of '" + parent +
                             "' in one rule and a class of its own in another; use another name for one of them");
        }
    }
    std::vector<std::string> precedence = m_map.precedence.empty() ? default_precedence() : m_map.precedence;
    for (const auto& c : precedence) {
        check_name(c, where + ", \"precedence\"");
        if (mains.count(c) != 0 && std::find(m_main.begin(), m_main.end(), c) == m_main.end()) {
            m_main.push_back(c);
        }
    }
    for (const auto& c : mains_in_rule_order) {
        if (std::find(m_main.begin(), m_main.end(), c) == m_main.end()) {
            m_main.push_back(c);
        }
    }
}

namespace {

/// The raw text of `field` for a feature: an attribute, or the layer or file name.
std::string field_text(const SourceFeature& f, const std::string& field, const std::string& file_name) {
    if (field == kLayerField) {
        return f.layer;
    }
    if (field == kFileField) {
        return file_name;
    }
    auto it = f.attributes.find(field);
    return it == f.attributes.end() ? std::string() : it->second;
}

}  // namespace

Classifier::Result Classifier::classify(const SourceFeature& feature, const std::string& file_name) const {
    Result out;
    for (std::size_t i = 0; i < m_compiled->rules.size(); ++i) {
        const Compiled::Rule& c = m_compiled->rules[i];
        const std::string text = c.field.empty() ? std::string() : normalize_label(field_text(feature, c.field, file_name));
        bool hit = true;
        if (c.value) {
            hit = ascii_lower(text) == *c.value;
        } else if (c.pattern) {
            hit = std::regex_search(text, *c.pattern);
        }
        if (!hit) {
            continue;
        }
        const ClassRule& rule = m_map.rules[i];
        out.rule = static_cast<int>(i);
        out.value = text;
        if (rule.classes.empty() || rule.classes.front() == kIgnoreClass) {
            out.why = rule.why.empty() ? "ignored by rule " + describe(static_cast<int>(i)) : rule.why;
        } else {
            out.classes = rule.classes;
        }
        return out;
    }
    out.value = m_map.field.empty() ? std::string() : normalize_label(field_text(feature, m_map.field, file_name));
    if (m_map.unmatched == "error") {
        throw InputError(file_name + ", layer '" + feature.layer + "', feature " + std::to_string(feature.fid) +
                         ": no rule of class map '" + m_map.name + "' matches " +
                         (m_map.field.empty() ? std::string("it") : m_map.field + " '" + out.value + "'") +
                         "; add a rule for it, or set \"unmatched\" to \"ignore\"");
    }
    if (m_map.unmatched == kIgnoreClass) {
        out.why = "matched no rule";
    } else {
        out.classes = {m_map.unmatched};
    }
    return out;
}

std::string Classifier::describe(int rule) const {
    if (rule < 0 || rule >= static_cast<int>(m_map.rules.size())) {
        return "no rule (unmatched: " + m_map.unmatched + ")";
    }
    const ClassRule& r = m_map.rules[static_cast<std::size_t>(rule)];
    const std::string field = r.field.empty() ? m_map.field : r.field;
    if (!r.value.empty()) {
        return field + " = " + r.value;
    }
    if (!r.pattern.empty()) {
        return field + " ~ /" + r.pattern + "/";
    }
    return "every feature";
}

// --- Reading a class map --------------------------------------------------------------------------

namespace {

using JType = CPLJSONObject::Type;

std::vector<std::string> classes_of(const CPLJSONObject& v, const std::string& at) {
    if (v.GetType() == JType::String) {
        return {v.ToString()};
    }
    if (v.GetType() == JType::Array) {
        std::vector<std::string> out;
        for (const auto& item : v.ToArray()) {
            if (item.GetType() != JType::String) {
                throw InputError(at + ": \"class\" must be a string or an array of strings");
            }
            out.push_back(item.ToString());
        }
        if (out.empty()) {
            throw InputError(at + ": \"class\" is an empty array; give a class or \"ignore\"");
        }
        return out;
    }
    throw InputError(at + ": \"class\" must be a string (a class or \"ignore\") or an array [class, sub-class, ...]");
}

std::string string_member(const CPLJSONObject& o, const std::string& key, const std::string& at) {
    for (const auto& child : o.GetChildren()) {
        if (child.GetName() == key) {
            if (child.GetType() != JType::String) {
                throw InputError(at + ": \"" + key + "\" must be a string");
            }
            return child.ToString();
        }
    }
    return "";
}

}  // namespace

ClassMap load_class_map(const std::string& path, const std::string& field_override) {
    init_gdal();
    CPLJSONDocument doc;
    std::string text;
    {
        VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
        if (f == nullptr) {
            throw InputError("--class-map " + path + ": cannot read the file; check the path");
        }
        char buf[4096];
        std::size_t n = 0;
        while ((n = VSIFReadL(buf, 1, sizeof buf, f)) > 0) {
            text.append(buf, n);
        }
        VSIFCloseL(f);
    }
    const std::string at = "--class-map " + path;
    GdalErrors errors;  // GDAL's JSON parser reports through GDAL's handler: collect, never print
    if (text.find_first_not_of(" \t\r\n") == std::string::npos || !doc.LoadMemory(text)) {
        const std::string why = errors.last_error();
        throw InputError(at + ": not valid JSON" + (why.empty() ? std::string() : " (" + why + ")") +
                         "; see the README (\"Class maps\") for the format");
    }
    const CPLJSONObject root = doc.GetRoot();
    if (root.GetType() != JType::Object) {
        throw InputError(at + ": must hold a JSON object such as {\"field\": \"status\", \"values\": {\"Occupied\": \"occupied\"}}");
    }
    ClassMap map;
    map.name = path;
    map.field = field_override.empty() ? string_member(root, "field", at) : field_override;
    static const std::set<std::string> known = {"field", "rules", "values", "patterns", "precedence", "unmatched",
                                                "clean_slivers", "description"};
    for (const auto& child : root.GetChildren()) {
        if (known.count(child.GetName()) == 0) {
            throw InputError(at + ": unknown key \"" + child.GetName() +
                             "\"; the keys are field, rules, values, patterns, precedence, unmatched, clean_slivers");
        }
        const std::string& key = child.GetName();
        if (key == "rules") {
            if (child.GetType() != JType::Array) {
                throw InputError(at + ": \"rules\" must be an array of {\"value\" or \"pattern\", \"class\"}");
            }
            int n = 0;
            for (const auto& r : child.ToArray()) {
                const std::string rat = at + ", rule " + std::to_string(++n);
                if (r.GetType() != JType::Object) {
                    throw InputError(rat + ": must be an object such as {\"value\": \"Occupied\", \"class\": \"occupied\"}");
                }
                ClassRule rule;
                bool has_class = false;
                for (const auto& m : r.GetChildren()) {
                    const std::string& k = m.GetName();
                    if (k == "class") {
                        rule.classes = classes_of(m, rat);
                        has_class = true;
                    } else if (k == "field" || k == "value" || k == "pattern" || k == "why") {
                        const std::string v = string_member(r, k, rat);
                        (k == "field" ? rule.field : k == "value" ? rule.value : k == "pattern" ? rule.pattern : rule.why) = v;
                    } else {
                        throw InputError(rat + ": unknown key \"" + k + "\"; a rule has field, value, pattern, class, why");
                    }
                }
                if (!has_class) {
                    throw InputError(rat + ": has no \"class\"");
                }
                if (rule.classes.size() == 1 && rule.classes[0] == kIgnoreClass) {
                    rule.classes.clear();
                }
                map.rules.push_back(std::move(rule));
            }
        } else if (key == "values" || key == "patterns") {
            if (child.GetType() != JType::Object) {
                throw InputError(at + ": \"" + key + "\" must be an object {\"" + (key == "values" ? "raw value" : "pattern") +
                                 "\": \"class\", ...}");
            }
        } else if (key == "precedence") {
            if (child.GetType() != JType::Array) {
                throw InputError(at + ": \"precedence\" must be an array of classes, the one that keeps overlaps first");
            }
            for (const auto& c : child.ToArray()) {
                if (c.GetType() != JType::String) {
                    throw InputError(at + ": \"precedence\" must hold class names");
                }
                map.precedence.push_back(c.ToString());
            }
        } else if (key == "unmatched") {
            map.unmatched = string_member(root, "unmatched", at);
        } else if (key == "clean_slivers") {
            if (child.GetType() != JType::Boolean) {
                throw InputError(at + ": \"clean_slivers\" must be true or false");
            }
            map.clean_slivers = child.ToBool();
        }
    }
    // The shorthands come after the rules, values before patterns, each in file order.
    for (const char* key : {"values", "patterns"}) {
        for (const auto& child : root.GetChildren()) {
            if (child.GetName() != key) {
                continue;
            }
            for (const auto& entry : child.GetChildren()) {
                ClassRule rule;
                (std::string(key) == "values" ? rule.value : rule.pattern) = entry.GetName();
                rule.classes = classes_of(entry, at + ", " + key + " \"" + entry.GetName() + "\"");
                if (rule.classes.size() == 1 && rule.classes[0] == kIgnoreClass) {
                    rule.classes.clear();
                }
                if (std::string(key) == "values" && entry.GetName().empty()) {
                    throw InputError(at + ": an empty key in \"values\"; give the raw value to match");
                }
                map.rules.push_back(std::move(rule));
            }
        }
    }
    if (map.rules.empty()) {
        throw InputError(at + ": no rules; give \"values\", \"patterns\" or \"rules\"");
    }
    if (map.field.empty()) {
        for (const auto& r : map.rules) {
            if (r.field.empty() && !(r.value.empty() && r.pattern.empty())) {
                throw InputError(at + ": names no field to read; give \"field\" in the map or --class-field NAME");
            }
        }
    }
    return map;
}

}  // namespace frontline::ingest
