// The documented deployment (server/tools/nginx/renkei.conf): nginx
// (Debian) in front of two instances on one PostgreSQL database, run as
// written with its placeholders replaced. WebSocket upgrades pass through;
// the Origin rule holds behind the proxy, the forwarded host believed only
// from the configured proxy address; /healthz answers per instance; an
// instance killed behind nginx is a non-event for its clients, who
// reconnect through nginx and lose nothing.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include "test_support.hpp"
#include "writes_through_fault.hpp"

namespace renkei::it {
namespace {

namespace http = boost::beast::http;

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string nginx_binary() {
  for (const char* path : {"/usr/sbin/nginx", "/usr/bin/nginx"})
    if (std::filesystem::exists(path)) return path;
  return "";
}

class NginxTest : public ::testing::Test {
 protected:
  NginxTest() : a({"--trusted-proxy", "127.0.0.1"}), b({"--trusted-proxy", "127.0.0.1"}) {}

  void SetUp() override {
    if (nginx_binary().empty())
      GTEST_SKIP() << "nginx is not installed (sh server/tools/deps.sh --test)";
    a.use_postgresql();
    b.share_database(a);
    a.start();
    b.start();
    facilitator = a.create_council("西部圏域 地域共生ケア会議", "山本 真理", "西部保健所");
    port = free_port();
    prefix = a.dir() + "/nginx";
    std::filesystem::create_directories(prefix + "/logs");
    // The documented file, placeholders replaced.
    std::ifstream in(std::string(RENKEI_SOURCE_DIR) + "/server/tools/nginx/renkei.conf");
    std::stringstream text;
    text << in.rdbuf();
    std::string site = text.str();
    site = std::regex_replace(site, std::regex("@LISTEN@"), "127.0.0.1:" + std::to_string(port));
    site = std::regex_replace(site, std::regex("@INSTANCE_A@"),
                              "127.0.0.1:" + std::to_string(a.port()));
    site = std::regex_replace(site, std::regex("@INSTANCE_B@"),
                              "127.0.0.1:" + std::to_string(b.port()));
    std::ofstream(prefix + "/renkei.conf") << site;
    // What Debian's /etc/nginx/nginx.conf provides around conf.d, here.
    std::ofstream(prefix + "/nginx.conf")
        << (geteuid() == 0 ? "user root;\n" : "") << "worker_processes 1;\n"
        << "pid " << prefix << "/nginx.pid;\n"
        << "error_log " << prefix << "/logs/error.log;\n"
        << "events { worker_connections 1024; }\n"
        << "http {\n  access_log off;\n"
        << "  client_body_temp_path " << prefix << "/body;\n"
        << "  proxy_temp_path " << prefix << "/proxy;\n"
        << "  fastcgi_temp_path " << prefix << "/fastcgi;\n"
        << "  uwsgi_temp_path " << prefix << "/uwsgi;\n"
        << "  scgi_temp_path " << prefix << "/scgi;\n"
        << "  include " << prefix << "/renkei.conf;\n}\n";
    const auto started = run_program({nginx_binary(), "-p", prefix, "-c", prefix + "/nginx.conf"});
    ASSERT_EQ(started.status, 0) << started.err;
    nginx_running = true;
  }
  void TearDown() override {
    if (nginx_running)
      run_program({nginx_binary(), "-p", prefix, "-c", prefix + "/nginx.conf", "-s", "stop"});
    for (ServerProcess* server : {&a, &b})
      if (server->running()) {
        EXPECT_EQ(server->stop(), 0) << server->log();
      }
  }

  std::string cookie_of(std::uint16_t via, const Credentials& who) {
    auto response = http_get(via, "/join/" + who.token);
    EXPECT_EQ(response.result_int(), 303);
    const std::string header(response[http::field::set_cookie]);
    const auto eq = header.find('=');
    const auto semi = header.find(';');
    return "renkei_session=" + header.substr(eq + 1, semi - eq - 1);
  }

  ServerProcess a;
  ServerProcess b;
  Credentials facilitator;
  std::uint16_t port = 0;
  std::string prefix;
  bool nginx_running = false;
};

TEST_F(NginxTest, UpgradesPassAndTheOriginRuleHoldsBehindTheProxy) {
  Participant through(port, facilitator);
  EXPECT_GE(through.ok("issue.post", {{"text", "nginx 経由の課題"}}), 1u);

  const std::string cookie = cookie_of(port, facilitator);
  const std::string own = "http://127.0.0.1:" + std::to_string(port);
  EXPECT_EQ(upgrade_status(port, {{"Cookie", cookie}, {"Origin", own}}), 101)
      << "the browser's origin is nginx's";
  EXPECT_EQ(upgrade_status(port, {{"Cookie", cookie}, {"Origin", "http://evil.example"}}), 403);
  EXPECT_EQ(upgrade_status(port, {{"Cookie", cookie}}), 403);
  // /healthz answers on each instance.
  for (const ServerProcess* server : {&a, &b})
    EXPECT_EQ(http_get(server->port(), "/healthz").result_int(), 200);
}

TEST_F(NginxTest, ForwardedHeadersAreBelievedOnlyFromTheConfiguredProxy) {
  // An instance with no trusted proxy: a client claiming a forwarded host
  // cannot make its own origin acceptable.
  ServerProcess direct;
  direct.share_database(a);
  direct.start();
  const std::string cookie = cookie_of(direct.port(), facilitator);
  const std::vector<std::pair<std::string, std::string>> spoof = {
      {"Cookie", cookie},
      {"Origin", "http://evil.example"},
      {"X-Forwarded-Host", "evil.example"},
      {"X-Forwarded-Proto", "http"}};
  EXPECT_EQ(upgrade_status(direct.port(), spoof), 403);
  // The same headers from the configured proxy's address are believed
  // (which is why that address must be nginx's alone).
  EXPECT_EQ(upgrade_status(a.port(), spoof), 101);
  EXPECT_EQ(direct.stop(), 0);
}

TEST_F(NginxTest, AnInstanceKilledBehindNginxIsANonEventForItsClients) {
  std::vector<Credentials> who = {facilitator};
  for (const char* name : {"佐藤", "田中", "鈴木"})
    who.push_back(a.invite(facilitator.council, name, std::string("機関 ") + name, "member"));
  std::vector<std::unique_ptr<Participant>> clients;
  for (const auto& c : who) clients.push_back(std::make_unique<Participant>(port, c));
  WritesThroughFault run;
  run.clients = &clients;
  run.id_prefix = "n";
  run.per_client = 30;
  // Through nginx again: it sends the new socket to the living instance.
  run.reconnect_port = [&](std::size_t, bool) { return port; };
  run.fault = [&] {
    // nginx sends 127.0.0.1 to one instance (hash $remote_addr): kill that one.
    const bool on_a =
        http_get(a.port(), "/metrics").body().find("renkei_connections 0\n") == std::string::npos;
    (on_a ? a : b).kill();
  };
  run.check_port = port;
  run.checker = facilitator;
  const auto outcome = write_through_fault(run);
  EXPECT_TRUE(std::all_of(outcome.reconnected.begin(), outcome.reconnected.end(),
                          [](bool reconnected) { return reconnected; }))
      << "the instance killed was the one serving the clients: each had to reconnect";
}

}  // namespace
}  // namespace renkei::it
