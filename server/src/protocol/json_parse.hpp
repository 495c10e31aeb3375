// Strict JSON parsing shared by every reader in the protocol layer (client
// messages, stored event data, agenda files). Private to renkei_protocol.
//
// It differs from boost::json::parse in two ways that the contract needs:
//   - doubles are converted with std::from_chars, so they are correctly
//     rounded and a value written by JsonWriter (shortest round-trip form)
//     reads back bit for bit (Boost.JSON 1.81 may be off by one ulp);
//   - a number that does not fit a finite double (1e999) is an error rather
//     than infinity, because JSON cannot carry it back out.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>

namespace renkei::protocol {

enum class JsonFailure {
  none,
  malformed,   // not JSON, trailing data, invalid UTF-8
  too_deep,    // more nested arrays/objects than max_depth
  non_finite,  // a number too large for a double
};

// Parses `text` as one JSON document into `out`. Nesting of arrays and
// objects deeper than `max_depth` (the outermost container is depth 1) fails.
// Thread-safe; allocates from the default resource.
JsonFailure parse_json(std::string_view text, std::size_t max_depth, boost::json::value& out);

}  // namespace renkei::protocol
