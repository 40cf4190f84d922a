#pragma once
/// Error types shared by every layer of frontline. The CLI maps them to exit codes:
/// InputError → 2 (the user can fix the input or the options), any other exception → 1.
#include <stdexcept>
#include <string>

namespace frontline {

/// Bad input or usage: a file, layer, feature, option or stored snapshot the user named is not
/// usable. The message names where and what, and ends with what to try.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A failure while running that is not the input's fault (a library error, a write that failed).
class RunError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace frontline
