#include "app/people_routes.hpp"

namespace renkei::app {

void add_people_routes(ApiRouter& router, SignIn& sign_in, Console& console, Home& home) {
  using P = RouteParams;
  // Sign-in. The set-up link and the password are the credentials of these
  // POSTs (no session yet), so they need no Origin; everything a session
  // cookie authorises does (the router refuses cookie writes from another
  // origin).
  const ApiRouter::Options open{ApiRouter::OriginCheck::none};
  router.add("GET", "/api/setup/{token}", [&](ApiRequest r, P p, ApiDone d) {
    sign_in.setup_info(std::move(r), p["token"], std::move(d));
  });
  router.add(
      "POST", "/api/setup/{token}",
      [&](ApiRequest r, P p, ApiDone d) { sign_in.setup(std::move(r), p["token"], std::move(d)); },
      open);
  router.add(
      "POST", "/api/sign-in",
      [&](ApiRequest r, P, ApiDone d) { sign_in.sign_in(std::move(r), std::move(d)); }, open);
  router.add("GET", "/api/me",
             [&](ApiRequest r, P, ApiDone d) { sign_in.me(std::move(r), std::move(d)); });
  router.add("POST", "/api/me/totp",
             [&](ApiRequest r, P, ApiDone d) { sign_in.totp_begin(std::move(r), std::move(d)); });
  router.add("POST", "/api/me/totp/confirm",
             [&](ApiRequest r, P, ApiDone d) { sign_in.totp_confirm(std::move(r), std::move(d)); });
  router.add("POST", "/api/sign-out", [&](ApiRequest r, P, ApiDone d) {
    sign_in.sign_out(std::move(r), false, std::move(d));
  });
  router.add("POST", "/api/sign-out-everywhere", [&](ApiRequest r, P, ApiDone d) {
    sign_in.sign_out(std::move(r), true, std::move(d));
  });
  router.add("GET", "/api/home",
             [&](ApiRequest r, P, ApiDone d) { home.home(std::move(r), std::move(d)); });

  // The console.
  router.add("GET", "/api/console/orgs",
             [&](ApiRequest r, P, ApiDone d) { console.list_orgs(std::move(r), std::move(d)); });
  router.add("POST", "/api/console/orgs",
             [&](ApiRequest r, P, ApiDone d) { console.add_org(std::move(r), std::move(d)); });
  router.add("PATCH", "/api/console/orgs/{id}", [&](ApiRequest r, P p, ApiDone d) {
    console.update_org(std::move(r), p["id"], std::move(d));
  });
  router.add("POST", "/api/console/orgs/{id}/merge", [&](ApiRequest r, P p, ApiDone d) {
    console.merge_org(std::move(r), p["id"], std::move(d));
  });
  router.add("POST", "/api/console/orgs/{id}/deactivate", [&](ApiRequest r, P p, ApiDone d) {
    console.deactivate_org(std::move(r), p["id"], std::move(d));
  });
  router.add("GET", "/api/console/people",
             [&](ApiRequest r, P, ApiDone d) { console.list_people(std::move(r), std::move(d)); });
  router.add("POST", "/api/console/people",
             [&](ApiRequest r, P, ApiDone d) { console.add_person(std::move(r), std::move(d)); });
  router.add("PATCH", "/api/console/people/{id}", [&](ApiRequest r, P p, ApiDone d) {
    console.update_person(std::move(r), p["id"], std::move(d));
  });
  router.add("POST", "/api/console/people/{id}/deactivate", [&](ApiRequest r, P p, ApiDone d) {
    console.deactivate_person(std::move(r), p["id"], std::move(d));
  });
  router.add("POST", "/api/console/people/{id}/setup-link", [&](ApiRequest r, P p, ApiDone d) {
    console.reissue_setup_link(std::move(r), p["id"], std::move(d));
  });
  router.add("POST", "/api/console/people/{id}/grants", [&](ApiRequest r, P p, ApiDone d) {
    console.change_grant(std::move(r), p["id"], true, std::move(d));
  });
  router.add("POST", "/api/console/people/{id}/grants/remove", [&](ApiRequest r, P p, ApiDone d) {
    console.change_grant(std::move(r), p["id"], false, std::move(d));
  });
  router.add("GET", "/api/console/councils", [&](ApiRequest r, P, ApiDone d) {
    console.list_councils(std::move(r), std::move(d));
  });
  router.add("POST", "/api/console/councils",
             [&](ApiRequest r, P, ApiDone d) { console.add_council(std::move(r), std::move(d)); });
  router.add("PATCH", "/api/console/councils/{id}", [&](ApiRequest r, P p, ApiDone d) {
    console.update_council(std::move(r), p["id"], std::move(d));
  });
  router.add("POST", "/api/console/councils/{id}/archive", [&](ApiRequest r, P p, ApiDone d) {
    console.archive_council(std::move(r), p["id"], std::move(d));
  });
  router.add("GET", "/api/console/councils/{id}/seats", [&](ApiRequest r, P p, ApiDone d) {
    console.list_seats(std::move(r), p["id"], std::move(d));
  });
  router.add("POST", "/api/console/councils/{id}/seats", [&](ApiRequest r, P p, ApiDone d) {
    console.add_seat(std::move(r), p["id"], std::move(d));
  });
  router.add("PATCH", "/api/console/seats/{participant}", [&](ApiRequest r, P p, ApiDone d) {
    console.update_seat(std::move(r), p["participant"], std::move(d));
  });
  router.add("POST", "/api/console/seats/{participant}/remove", [&](ApiRequest r, P p, ApiDone d) {
    console.remove_seat(std::move(r), p["participant"], std::move(d));
  });
  router.add("GET", "/api/console/invitations", [&](ApiRequest r, P, ApiDone d) {
    console.list_invitations(std::move(r), std::move(d));
  });
  router.add("POST", "/api/console/import/orgs", [&](ApiRequest r, P, ApiDone d) {
    console.import(std::move(r), false, std::move(d));
  });
  router.add("POST", "/api/console/import/people",
             [&](ApiRequest r, P, ApiDone d) { console.import(std::move(r), true, std::move(d)); });
  router.add("GET", "/api/console/audit",
             [&](ApiRequest r, P, ApiDone d) { console.audit(std::move(r), std::move(d)); });
}

}  // namespace renkei::app
