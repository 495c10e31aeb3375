// Latency samples (microseconds) and what the generator reports of them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace renkei::bench {

class Samples {
 public:
  void add(std::uint32_t micros) { values_.push_back(micros); }
  void merge(const Samples& other) {
    values_.insert(values_.end(), other.values_.begin(), other.values_.end());
  }
  std::size_t size() const { return values_.size(); }

  // Sorts once; then quantile() may be called.
  void seal() { std::sort(values_.begin(), values_.end()); }
  // The q-quantile in milliseconds (nearest rank), 0 when empty.
  double quantile_ms(double q) const {
    if (values_.empty()) return 0;
    std::size_t rank = static_cast<std::size_t>(q * static_cast<double>(values_.size()));
    if (rank >= values_.size()) rank = values_.size() - 1;
    return values_[rank] / 1000.0;
  }
  double max_ms() const { return values_.empty() ? 0 : values_.back() / 1000.0; }

  // "p50":..,"p99":..,"p999":..,"max":..,"n":.. (milliseconds).
  std::string json(const std::string& prefix) const {
    auto num = [](double v) {
      char text[64];
      std::snprintf(text, sizeof text, "%.3f", v);
      return std::string(text);
    };
    return "\"" + prefix + "_p50_ms\":" + num(quantile_ms(0.5)) + ",\"" + prefix +
           "_p99_ms\":" + num(quantile_ms(0.99)) + ",\"" + prefix +
           "_p999_ms\":" + num(quantile_ms(0.999)) + ",\"" + prefix + "_max_ms\":" + num(max_ms()) +
           ",\"" + prefix + "_n\":" + std::to_string(values_.size());
  }

 private:
  std::vector<std::uint32_t> values_;
};

}  // namespace renkei::bench
