// A server with people, organisations and councils set up through the CLI
// and people signed in through their set-up links, for the handover tests
// (CONTINUITY.md section 1): the HTTP calls and a person's hello.
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace renkei::it {

namespace http = boost::beast::http;

class HandoverWorld {
 public:
  static inline const std::string password = "kaigi-no-michi-2026";

  ServerProcess server;

  std::string fresh(const std::string& stem) { return stem + std::to_string(++counter_); }

  // A CLI command that must succeed; its JSON line.
  json::object cli(std::vector<std::string> args) {
    args.insert(args.begin() + 2, {"--db", server.db()});
    auto result = run_renkei(args);
    if (result.status != 0)
      throw std::runtime_error(args[0] + " " + args[1] + " failed: " + result.err);
    return json::parse(result.out).as_object();
  }
  static std::string str(const json::object& o, const char* key) {
    return std::string(o.at(key).as_string());
  }
  std::string add_org(const std::string& area, const std::string& name = "") {
    return str(cli({"org", "add", "--name", name.empty() ? fresh("機関") : name, "--kind",
                    "municipality", "--area", area, "--prefecture", "広島県"}),
               "org");
  }
  // A new person of `org` with a login: {person, setup}.
  json::object add_person(const std::string& org, const std::string& name = "") {
    return cli({"person", "add", "--name", name.empty() ? fresh("職員 ") : name, "--org", org,
                "--login", fresh("login")});
  }
  std::string add_seat(const std::string& council, const std::string& person,
                       const std::string& role = "member") {
    return str(cli({"seat", "add", "--council", council, "--person", person, "--role", role}),
               "participant");
  }
  Credentials add_council(const std::string& area, const std::string& name = "") {
    const auto made =
        cli({"council", "create", "--name", name.empty() ? fresh("協議体") : name,
             "--facilitator-name", fresh("進行 "), "--facilitator-org", "保健所", "--area", area});
    return Credentials{str(made, "council"), str(made, "participant"), str(made, "token")};
  }
  void grant(const std::string& person, const std::string& role, const std::string& scope = "") {
    std::vector<std::string> args{"person", "grant", "--person", person, "--role", role};
    if (!scope.empty()) {
      args.push_back("--scope");
      args.push_back(scope);
    }
    cli(args);
  }

  HttpResponse call(http::verb verb, const std::string& target, const std::string& cookie,
                    std::string body = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!cookie.empty()) headers.emplace_back("Cookie", "renkei_session=" + cookie);
    headers.emplace_back("Origin", server.origin());
    if (!body.empty() && body.front() == '{')
      headers.emplace_back("Content-Type", "application/json");
    return http_request(server.port(), verb, target, headers, std::move(body));
  }
  HttpResponse get(const std::string& target, const std::string& cookie) {
    return call(http::verb::get, target, cookie);
  }
  HttpResponse post(const std::string& target, const std::string& cookie,
                    const json::object& body = {}) {
    return call(http::verb::post, target, cookie, json::serialize(body));
  }

  static std::string session_cookie_of(const HttpResponse& response) {
    const std::string header(response[http::field::set_cookie]);
    const std::string prefix = "renkei_session=";
    if (header.compare(0, prefix.size(), prefix) != 0) return "";
    return header.substr(prefix.size(), header.find(';') - prefix.size());
  }
  static std::string code_of(const HttpResponse& response) {
    try {
      const auto value = json::parse(response.body());
      if (value.is_object())
        if (const auto* code = value.as_object().if_contains("code"))
          return std::string(code->as_string());
    } catch (const std::exception&) {
    }
    return "";
  }
  // The set-up link "/setup/<token>" used with the password: the cookie.
  std::string set_up(const std::string& link) {
    auto response = call(http::verb::post, "/api" + link, "",
                         json::serialize(json::object{{"password", password}}));
    if (response.result_int() != 200)
      throw std::runtime_error("set-up " + link + ": " + response.body());
    return session_cookie_of(response);
  }
  // A person of `org` signed in: {id, cookie}.
  std::pair<std::string, std::string> signed_in(const std::string& org,
                                                const std::string& name = "") {
    const auto made = add_person(org, name);
    return {str(made, "person"), set_up(str(made, "setup"))};
  }

  // A WebSocket with a person's cookie after its hello: the client and the
  // first reply (welcome or error).
  std::pair<std::unique_ptr<WsClient>, Frame> hello(const std::string& cookie,
                                                    const std::string& council) {
    auto client = std::make_unique<WsClient>(
        server.port(),
        WsClient::Headers{{"Cookie", "renkei_session=" + cookie}, {"Origin", server.origin()}});
    client->send(json::object{{"type", "hello"}, {"council", council}, {"since", 0}});
    Frame reply = client->expect();
    if (reply.type() == "welcome") {
      // Catch-up events, then synced.
      while (true) {
        Frame next = client->expect();
        if (next.type() == "synced") break;
      }
    }
    return {std::move(client), std::move(reply)};
  }

 private:
  std::atomic<int> counter_{0};
};

}  // namespace renkei::it
