// libsodium's one-time initialisation, shared by every sign-in unit that
// uses it (password hashing, random secrets, the secret box).
#pragma once

namespace renkei::app::auth {

// Initialises libsodium once per process (sodium_init). Any thread may call
// it, any number of times; later calls return at once. Throws
// std::runtime_error if libsodium cannot be initialised (then no secret
// can be made safely, so the caller must not go on).
void init_sodium();

}  // namespace renkei::app::auth
