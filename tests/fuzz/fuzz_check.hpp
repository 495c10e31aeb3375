// FUZZ_CHECK(condition, what): the fuzz targets' assertion. A property that
// does not hold prints `what` and aborts, which libFuzzer reports as a crash
// and saves the input. Independent of NDEBUG (the targets are built with
// RelWithDebInfo, where assert() is compiled out).
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, what)                                                              \
  do {                                                                                           \
    if (!(condition)) {                                                                          \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", __FILE__, __LINE__, #condition, \
                   what);                                                                        \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)
