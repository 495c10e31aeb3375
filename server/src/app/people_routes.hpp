// The routes of people, organisations and sign-in (PEOPLE.md "HTTP API"):
// registered on the application's ApiRouter at start-up.
#pragma once

#include "app/api_router.hpp"
#include "app/console.hpp"
#include "app/home.hpp"
#include "app/sign_in.hpp"

namespace renkei::app {

void add_people_routes(ApiRouter& router, SignIn& sign_in, Console& console, Home& home);

}  // namespace renkei::app
