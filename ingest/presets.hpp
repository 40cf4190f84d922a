#pragma once
/// Provider presets: the provider name, how to open the files and the class rules for each
/// published source frontline knows (DeepStateMap exports, the cyterat daily archive, ISW/CTP
/// layers, NZZ/Liveuamap area exports). The rules are documented in the README ("Presets").
#include <string>
#include <vector>

#include "ingest/class_rules.hpp"
#include "ingest/reader.hpp"

namespace frontline::ingest {

/// One provider's preset.
struct Preset {
    std::string name;         ///< what --preset takes
    std::string provider;     ///< provider name stored with its snapshots (unless --provider is given)
    std::string description;  ///< one line: which files it is for
    ClassMap classes;         ///< how features become classes
    ReadOptions read;         ///< how the files are opened
};

/// Every preset, in the order --help lists them.
const std::vector<Preset>& presets();

/// The preset called `name`. Throws InputError listing the presets when there is none.
const Preset& find_preset(const std::string& name);

/// The map of a plain ingest (no preset, no --class-map): every polygon is `cls`, nothing is
/// cleaned, so the snapshot is exactly the dissolved polygons.
ClassMap single_class_map(const std::string& cls);

}  // namespace frontline::ingest
