// The frontline executable: all work is in the libraries; this only dispatches.
#include <iostream>

#include "cli/command.hpp"

int main(int argc, char** argv) {
    return frontline::cli::run_cli(argc, argv, std::cout, std::cerr);
}
