// Fuzz target: agenda template files (protocol/agenda_codec.hpp).
//
// parse_agenda on arbitrary bytes. An accepted template must satisfy the
// documented rules (at least one item, stages 1-4, positive minutes summing
// to the total) and survive a round trip: encode_agenda's output, with
// "format":1 added, must parse back to an equal template.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "domain/agenda.hpp"
#include "fuzz_check.hpp"
#include "protocol/agenda_codec.hpp"

namespace {

using renkei::domain::AgendaTemplate;
using namespace renkei::protocol;

void check_rules(const AgendaTemplate& agenda) {
  FUZZ_CHECK(!agenda.items.empty(), "accepted agenda without items");
  FUZZ_CHECK(!agenda.title.ja.empty() && !agenda.title.en.empty(), "accepted empty title");
  long long total = 0;
  for (const auto& item : agenda.items) {
    FUZZ_CHECK(!item.stages.empty(), "accepted item without stages");
    for (const int stage : item.stages) FUZZ_CHECK(stage >= 1 && stage <= 4, "stage out of 1-4");
    FUZZ_CHECK(item.minutes > 0, "accepted item with minutes <= 0");
    total += item.minutes;
  }
  FUZZ_CHECK(total == agenda.minutes, "minutes are not the sum of the items'");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_agenda(input, "fuzz", "fuzz.json");
  const auto* agenda = std::get_if<AgendaTemplate>(&parsed);
  if (!agenda) {
    FUZZ_CHECK(std::get<AgendaError>(parsed).message.starts_with("fuzz.json: "),
               "error message does not name the file");
    return 0;
  }
  FUZZ_CHECK(agenda->id == "fuzz", "template id is not the one given");
  check_rules(*agenda);

  std::string encoded = encode_agenda(*agenda);
  FUZZ_CHECK(encoded.starts_with("{"), "encode_agenda wrote no object");
  encoded.insert(1, R"("format":1,)");
  const auto again = parse_agenda(encoded, "fuzz", "fuzz.json");
  const auto* agenda_again = std::get_if<AgendaTemplate>(&again);
  if (!agenda_again) std::fprintf(stderr, "%s\n", std::get<AgendaError>(again).message.c_str());
  FUZZ_CHECK(agenda_again != nullptr, "encoded agenda does not parse back");
  FUZZ_CHECK(*agenda_again == *agenda, "agenda changed in the round trip");
  return 0;
}
