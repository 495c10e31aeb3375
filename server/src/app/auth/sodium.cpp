#include "app/auth/sodium.hpp"

#include <sodium.h>

#include <stdexcept>

namespace renkei::app::auth {

void init_sodium() {
  // sodium_init is itself thread-safe and idempotent (0: done now, 1: was
  // done); the static only saves the call.
  static const int result = sodium_init();
  if (result < 0) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace renkei::app::auth
