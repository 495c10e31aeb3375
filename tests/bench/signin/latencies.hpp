// Latency samples of renkei_signin_bench in milliseconds, with nearest-rank
// quantiles and the two ways the bench prints them (a text column and JSON
// keys). A plain value: one thread at a time.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace renkei::bench {

struct Latencies {
  std::vector<double> values;

  std::size_t size() const { return values.size(); }
  double quantile(double q) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(q * static_cast<double>(values.size()));
    return values[std::min(rank, values.size() - 1)];
  }
  std::string text() {
    char out[128];
    std::snprintf(out, sizeof out, "p50 %8.1f  p90 %8.1f  p99 %8.1f  max %8.1f", quantile(0.5),
                  quantile(0.9), quantile(0.99), quantile(1.0));
    return out;
  }
  std::string json(const std::string& name) {
    char out[256];
    std::snprintf(out, sizeof out,
                  "\"%s_p50_ms\":%.2f,\"%s_p90_ms\":%.2f,\"%s_p99_ms\":%.2f,\"%s_max_ms\":%.2f",
                  name.c_str(), quantile(0.5), name.c_str(), quantile(0.9), name.c_str(),
                  quantile(0.99), name.c_str(), quantile(1.0));
    return out;
  }
  void merge(const Latencies& other) {
    values.insert(values.end(), other.values.begin(), other.values.end());
  }
};

}  // namespace renkei::bench
