// The committed list of common passwords that password_rules refuses.
#pragma once

#include <string_view>

namespace renkei::app::auth {

// One password a line, lower case. Static storage; any thread.
std::string_view common_passwords_text();

}  // namespace renkei::app::auth
