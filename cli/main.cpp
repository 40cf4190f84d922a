// The frontline executable: all work is in the libraries; this only dispatches.
#include <csignal>
#include <iostream>

#include "cli/command.hpp"

int main(int argc, char** argv) {
    // Past a file-size limit (ulimit -f) the kernel would kill us with SIGXFSZ mid-write; ignored,
    // the write fails with EFBIG instead, the transaction rolls back and the error is reported.
    std::signal(SIGXFSZ, SIG_IGN);
    return frontline::cli::run_cli(argc, argv, std::cout, std::cerr);
}
