// An organisation as the directory names it now, and the resolver that looks
// one up. The domain stays pure: the directory itself lives outside it and is
// handed to decide() as a function.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace renkei::domain {

// An organisation of the directory: its id ("o3") and canonical name.
struct OrgRef {
  std::string id;
  std::string name;

  friend bool operator==(const OrgRef&, const OrgRef&) = default;
};

// Maps an organisation id ("o3") or a name to the organisation it stands for
// now, following merges (an organisation merged into another answers as the
// survivor, with the survivor's id and name); nullopt when it names none.
// An empty function means no directory (a v1 deployment).
//
// Called while deciding, on the deciding thread (a room's strand, several
// rooms at once): it must be thread-safe, cheap and must not block on I/O.
using OrgResolver = std::function<std::optional<OrgRef>(std::string_view id_or_name)>;

}  // namespace renkei::domain
