// The frontline executable: all work is in the libraries; this only dispatches.
#include <csignal>
#include <iostream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli/command.hpp"

int main(int argc, char** argv) {
    // Past a file-size limit (ulimit -f) the kernel would kill us with SIGXFSZ mid-write; ignored,
    // the write fails with EFBIG instead, the transaction rolls back and the error is reported.
    std::signal(SIGXFSZ, SIG_IGN);
#if defined(__GLIBC__)
    // Every pair of a series builds and frees vertex buffers, hash tables and GEOS geometries of
    // a few MB each. By default glibc serves such blocks with fresh mmap()s and gives freed heap
    // top back to the kernel, so each pair page-faults its memory in again: that was a third of
    // the scale series' time (and its system time). Keeping blocks below 256 MB on the heap and
    // trimming only past 1 GB free lets them be reused; peak memory stays the same, since what
    // is kept is what the run already needed at its peak.
    mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
#endif
    return frontline::cli::run_cli(argc, argv, std::cout, std::cerr);
}
