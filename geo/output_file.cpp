#include "geo/output_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace frontline::geo {

std::string staging_path(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        return path;
    }
    const std::string tag = ".tmp-" + std::to_string(::getpid());
    const auto dot = path.find_last_of('.');
    const auto slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return path + tag;
    }
    return path.substr(0, dot) + tag + path.substr(dot);
}

bool commit_output(const std::string& staged, const std::string& path) {
    if (staged == path) {
        return true;
    }
    if (std::rename(staged.c_str(), path.c_str()) != 0) {
        std::remove(staged.c_str());
        return false;
    }
    return true;
}

void discard_output(const std::string& staged, const std::string& path) {
    if (staged != path) {
        std::remove(staged.c_str());
    }
}

}  // namespace frontline::geo
