// renkei: the council server and its administrative commands.
//   renkei serve [--db FILE] [--port N] [--bind ADDR] [--demo] ...
//   renkei council create --db FILE --name NAME [--kind council|one_on_one]
//                         --facilitator-name NAME --facilitator-org ORG
//   renkei invite --db FILE --council ID --name NAME --org ORG --role ROLE
//   renkei org add | person add|deactivate|grant | seat add ... (people, PEOPLE.md)
// See README.md for every option and its default.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/admin.hpp"
#include "app/application.hpp"
#include "app/backup.hpp"
#include "app/clock.hpp"
#include "app/command_line.hpp"
#include "app/migration.hpp"
#include "net/asio_executor.hpp"
#include "net/pg_listener.hpp"
#include "net/server.hpp"
#include "store/database.hpp"
#include "store/pg_connection.hpp"
#include "store/pg_event_log.hpp"

namespace {

using renkei::app::CommandLine;

constexpr const char* usage =
    "使い方 / usage:\n"
    "  renkei serve [--db FILE] [--port N] [--bind ADDR] [--demo] [--web DIR] [--agendas DIR]\n"
    "               [--allow-origin ORIGIN]... [--trusted-proxy ADDR]... [--threads N]\n"
    "               [--max-frame BYTES]\n"
    "               [--rate N] [--burst N] [--max-connections-per-address N]\n"
    "               [--max-unsent BYTES] [--log FILE] [--tls-cert PEM --tls-key PEM]\n"
    "               [--commit-batch N] [--header-timeout-ms N] [--handshake-timeout-ms N]\n"
    "               [--idle-timeout-ms N] [--secret-key FILE] [--hash-threads N]\n"
    "  renkei council create --db FILE --name NAME [--kind council|one_on_one]\n"
    "               --facilitator-name NAME --facilitator-org ORG [--area AREA]\n"
    "  renkei invite --db FILE --council ID --name NAME --org ORG\n"
    "               --role member|observer|facilitator [--expires-in-days N]\n"
    "  renkei revoke --db FILE --participant ID\n"
    "  renkei org add --db FILE --name NAME --kind KIND [--area AREA] [--prefecture P]\n"
    "               (KIND: prefecture health_centre municipality hospital clinic association\n"
    "                visiting_nurse community_support_centre care_management\n"
    "                social_welfare_council other)\n"
    "  renkei person add --db FILE --name NAME --org ORG_ID_OR_NAME --login LOGIN [--admin]\n"
    "  renkei person deactivate --db FILE --person ID\n"
    "  renkei person grant --db FILE --person ID --role admin|secretariat|prefecture_viewer\n"
    "               [--scope AREA_OR_PREFECTURE]\n"
    "  renkei grant add|remove --db FILE --person ID --role admin|secretariat|prefecture_viewer\n"
    "               [--scope AREA_OR_PREFECTURE]\n"
    "  renkei seat add --db FILE --council ID --person ID --role facilitator|member|observer\n"
    "  renkei audit --db FILE [--council ID] [--limit N]\n"
    "  renkei backup --db FILE --out FILE   (PostgreSQL: pg_dump's custom format)\n"
    "  renkei migrate --from FILE --to postgresql://…   (into an empty database; verified)\n"
    "  renkei purge-redacted --db postgresql://…   (VACUUM FULL of the log: blocks it meanwhile)\n"
    "  --db: a SQLite file, or a PostgreSQL URI (postgresql://…; serve then needs --secret-key)\n";

std::string required(const CommandLine& line, const std::string& name) {
  auto value = line.value(name);
  if (!value || value->empty()) {
    throw std::invalid_argument("--" + name + " が必要です / --" + name + " is required");
  }
  return *value;
}

std::size_t number(const CommandLine& line, const std::string& name, std::size_t fallback) {
  auto value = line.value(name);
  if (!value) return fallback;
  std::size_t used = 0;
  const unsigned long long parsed = std::stoull(*value, &used);
  if (used != value->size()) throw std::invalid_argument("--" + name + ": 数値が必要です / number");
  return static_cast<std::size_t>(parsed);
}

// The built browser client (server/tools/client.sh writes client-web/dist).
// Only the build output is served, never the sources or node_modules.
std::string default_web_dir() {
  const std::string built = RENKEI_DEFAULT_WEB_DIR "/dist";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(built + "/index.html", ec)) {
    std::cerr
        << "renkei: client-web/dist がありません。sh server/tools/client.sh で作成してください / "
           "the browser client is not built; run sh server/tools/client.sh\n";
  }
  return built;
}

int council_create(const CommandLine& line) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  const auto kind =
      renkei::domain::council_kind_from_string(line.value("kind").value_or("council"));
  if (!kind) throw std::invalid_argument("--kind: council か one_on_one / council or one_on_one");
  auto created = renkei::app::create_council(
      db, required(line, "name"), *kind, required(line, "facilitator-name"),
      required(line, "facilitator-org"), renkei::app::SystemClock().now(), line.value("area"));
  std::cout << renkei::app::council_created_json(created) << std::endl;
  return 0;
}

int invite(const CommandLine& line) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  const auto role = renkei::domain::role_from_string(required(line, "role"));
  if (!role)
    throw std::invalid_argument(
        "--role: member（メンバー）, observer（オブザーバー）, facilitator（進行役） / "
        "member, observer or facilitator");
  std::optional<std::string> expires;
  if (auto days = line.value("expires-in-days")) {
    expires = renkei::app::format_utc(std::chrono::system_clock::now() +
                                      std::chrono::hours(24 * std::stoll(*days)));
  }
  auto invitation =
      renkei::app::invite(db, required(line, "council"), required(line, "name"),
                          required(line, "org"), *role, renkei::app::SystemClock().now(), expires);
  std::cout << renkei::app::invitation_json(invitation) << std::endl;
  return 0;
}

int revoke(const CommandLine& line) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  const auto participant = required(line, "participant");
  if (!renkei::app::revoke(db, participant, renkei::app::SystemClock().now())) {
    std::cerr << "renkei: 参加者が見つからないか取り消し済みです / no such participant, or "
                 "already revoked\n";
    return 1;
  }
  std::cout << renkei::app::json_line("revoked", participant) << std::endl;
  return 0;
}

int audit(const CommandLine& line) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  // Without --council: the directory's trail (people, organisations,
  // seats, grants, councils, sign-ins).
  const auto lines =
      line.value("council")
          ? renkei::app::audit_lines(db, *line.value("council"), number(line, "limit", 100000))
          : renkei::app::directory_audit_lines(db, number(line, "limit", 100000));
  for (const auto& text : lines) std::cout << text << '\n';
  std::cout << std::flush;
  return 0;
}

int org_add(const CommandLine& line) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  const auto id = renkei::app::add_organisation(db, required(line, "name"), required(line, "kind"),
                                                line.value("area"), line.value("prefecture"),
                                                renkei::app::SystemClock().now());
  std::cout << renkei::app::json_line("org", id) << std::endl;
  return 0;
}

int person_add(const CommandLine& line) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  const auto added = renkei::app::add_person(db, required(line, "name"), required(line, "org"),
                                             required(line, "login"), line.flag("admin"),
                                             renkei::app::SystemClock());
  std::cout << "{\"person\":" << renkei::app::json_string(added.person)
            << ",\"setup\":" << renkei::app::json_string(added.setup()) << "}" << std::endl;
  return 0;
}

int person_deactivate(const CommandLine& line) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  const auto person = required(line, "person");
  if (!renkei::app::deactivate_person(db, person, renkei::app::SystemClock().now())) {
    std::cerr << "renkei: この人は無効化済みです / the person is already deactivated\n";
    return 1;
  }
  std::cout << renkei::app::json_line("deactivated", person) << std::endl;
  return 0;
}

int person_grant(const CommandLine& line) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  const auto person = required(line, "person");
  renkei::app::grant(db, person, required(line, "role"), line.value("scope").value_or(""),
                     renkei::app::SystemClock().now());
  std::cout << renkei::app::json_line("granted", person) << std::endl;
  return 0;
}

// `renkei grant add|remove`: one JSON line naming the person, the role and
// the scope.
int grant_change(const CommandLine& line, bool add) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  const auto person = required(line, "person");
  const auto role = required(line, "role");
  const auto scope = role == "admin" ? std::string() : line.value("scope").value_or("");
  const auto now = renkei::app::SystemClock().now();
  if (add) {
    renkei::app::grant(db, person, role, scope, now);
  } else if (!renkei::app::remove_grant(db, person, role, scope, now)) {
    std::cerr << "renkei: その権限はありません / no such grant\n";
    return 1;
  }
  std::cout << "{\"" << (add ? "granted" : "removed") << "\":" << renkei::app::json_string(person)
            << ",\"role\":" << renkei::app::json_string(role)
            << ",\"scope\":" << renkei::app::json_string(scope) << "}" << std::endl;
  return 0;
}

int seat_add(const CommandLine& line) {
  renkei::store::Database db(line.value("db").value_or("./renkei.db"));
  const auto role = renkei::domain::role_from_string(required(line, "role"));
  if (!role)
    throw std::invalid_argument(
        "--role: facilitator（進行役）, member（メンバー）, observer（オブザーバー） / "
        "facilitator, member or observer");
  const auto participant =
      renkei::app::add_seat(db, required(line, "council"), required(line, "person"), *role,
                            renkei::app::SystemClock().now());
  std::cout << renkei::app::json_line("participant", participant) << std::endl;
  return 0;
}

int migrate(const CommandLine& line) {
  const auto from = required(line, "from");
  const auto to = required(line, "to");
  const auto result = renkei::app::migrate_to_postgresql(from, to);
  for (const auto& [table, rows] : result.tables)
    std::cerr << "renkei migrate: " << table << ": " << rows << " rows\n";
  std::cout << "{\"migrated\":" << result.councils << ",\"events\":" << result.events
            << ",\"verified\":true}" << std::endl;
  return 0;
}

// PostgreSQL: rewrites the log's tables so that nothing a redaction erased
// stays in their files (POSTGRES.md "Redaction"). SQLite needs none.
int purge_redacted(const CommandLine& line) {
  const auto db_name = required(line, "db");
  renkei::store::Database db(db_name);
  if (!db.is_postgresql()) {
    std::cerr << "renkei purge-redacted: SQLite では不要です（消去は即時に反映されます） / "
                 "not needed on SQLite (a redaction leaves no copy in the file)\n";
  } else {
    db.vacuum_redacted(/*full=*/true);
  }
  std::cout << "{\"purged\":" << (db.is_postgresql() ? "true" : "false") << "}" << std::endl;
  return 0;
}

int backup(const CommandLine& line) {
  const auto out = required(line, "out");
  renkei::app::backup_database(line.value("db").value_or("./renkei.db"), out);
  std::cout << renkei::app::json_line("backup", out) << std::endl;
  return 0;
}

void print_demo(const std::vector<renkei::app::Invitation>& made, const std::string& base) {
  std::cout << "デモ協議体を作成しました / demo councils created.\n"
               "［デモ］次のリンクを開くと、その人としてすぐサインインします（パスワード・認証アプ"
               "リ不要、"
               "デモのデータベースだけ）。ホーム "
            << base
            << "/ に参加中の協議体が並びます。\n"
               "[demo] each link signs its person in at once (demo database only); their home page "
               "lists their councils. 山本 真理 also opens 事務局コンソール ("
            << base << "/console); 小林 直美 (県本庁) opens the prefecture's view 広島県の概観 ("
            << base << "/overview/prefecture/%E5%BA%83%E5%B3%B6%E7%9C%8C).\n";
  for (const auto& i : made) {
    std::cout << "  [デモ] [" << i.council << "] " << i.name << " (" << i.org << ", "
              << renkei::domain::to_string(i.role) << ")\n    " << base << i.link()
              << "\n    token: " << i.token << '\n';
  }
  std::cout << std::flush;
}

int serve(const CommandLine& line) {
  const std::string db_path = line.value("db").value_or("./renkei.db");
  renkei::net::ServerConfig config;
  config.bind = line.value("bind").value_or("127.0.0.1");
  config.port = static_cast<std::uint16_t>(number(line, "port", 8080));
  // One core is left to the group-commit writer thread: on 2 cores, one I/O
  // thread did 1.4x the fan-out per CPU-second of two (tests/bench/RESULTS.md).
  const unsigned cores = std::thread::hardware_concurrency();  // 0 when unknown
  config.threads = number(line, "threads", cores > 1 ? cores - 1 : 1u);
  config.web_dir = line.value("web").value_or(default_web_dir());
  config.max_frame = number(line, "max-frame", config.max_frame);
  config.max_unsent = number(line, "max-unsent", config.max_unsent);
  config.commands_per_second = static_cast<double>(number(line, "rate", 50));
  config.command_burst = static_cast<double>(number(line, "burst", 100));
  config.max_connections_per_address =
      number(line, "max-connections-per-address", config.max_connections_per_address);
  // Timeouts in milliseconds (README.md "Configuration"); the tests shorten them.
  config.header_timeout =
      std::chrono::milliseconds(number(line, "header-timeout-ms", config.header_timeout.count()));
  config.handshake_timeout = std::chrono::milliseconds(
      number(line, "handshake-timeout-ms", config.handshake_timeout.count()));
  config.idle_timeout =
      std::chrono::milliseconds(number(line, "idle-timeout-ms", config.idle_timeout.count()));
  config.tls_cert = line.value("tls-cert").value_or("");
  config.tls_key = line.value("tls-key").value_or("");
  if (config.tls_cert.empty() != config.tls_key.empty())
    throw std::invalid_argument("--tls-cert と --tls-key は両方必要です / both are needed");
  if (auto it = line.values.find("allow-origin"); it != line.values.end())
    config.allow_origins = it->second;
  if (auto it = line.values.find("trusted-proxy"); it != line.values.end())
    config.trusted_proxies = it->second;

  if (auto log = line.value("log")) {
    if (!std::freopen(log->c_str(), "a", stderr)) throw std::runtime_error("cannot open --log");
  }

  renkei::app::SystemClock clock;
  std::vector<renkei::app::Invitation> demo;
  if (line.flag("demo")) {
    renkei::store::Database db(db_path);
    demo = renkei::app::seed_demo(db, clock.now());
  }

  boost::asio::io_context ioc(static_cast<int>(config.threads));
  renkei::net::StrandFactory strands(ioc, config.one_io_thread());
  renkei::app::ApplicationSettings settings;
  settings.db_path = db_path;
  settings.agenda_dir = line.value("agendas").value_or(RENKEI_DEFAULT_AGENDA_DIR);
  // Most events per group-commit transaction; 1 turns group commit off (the
  // benchmark's one-commit-per-event baseline).
  settings.max_batch = number(line, "commit-batch", settings.max_batch);
  settings.secret_key_path = line.value("secret-key").value_or("");
  settings.hash_threads = number(line, "hash-threads", 0);
  {
    renkei::store::Database db(db_path);
    settings.demo = db.is_demo();
  }
  renkei::app::Application app(settings, strands, clock);
  renkei::net::Server server(ioc, config, app);
  // Several instances on one PostgreSQL database: the others' commits
  // arrive as notifications (POSTGRES.md "Fan-out").
  std::shared_ptr<renkei::net::PgListener> listener;
  if (renkei::store::is_postgresql_uri(db_path)) {
    listener = std::make_shared<renkei::net::PgListener>(
        ioc.get_executor(), db_path,
        std::vector<std::string>{renkei::store::events_channel, "renkei_presence"},
        [&app](const std::string& channel, const std::string& payload) {
          if (channel == "renkei_presence") return app.presence_changed(payload);
          std::string council;
          std::uint64_t seq = 0;
          if (renkei::store::parse_events_notification(payload, council, seq))
            app.council_written(council, seq);
        },
        [&app] { app.resync_councils(); });
    listener->start();
  }

  const std::string base = std::string(config.tls_cert.empty() ? "http" : "https") + "://" +
                           config.bind + ":" + std::to_string(server.port());
  if (!demo.empty())
    print_demo(demo, base);
  else if (line.flag("demo"))
    std::cout << "デモ協議体は作成済みです。新しい招待は renkei invite で / demo already seeded; "
                 "use renkei invite for new links\n";
  std::cout << "renkei: listening on " << base << std::endl;

  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int) {
    if (listener) listener->stop();
    server.stop();
  });
  server.run();

  // Everything acknowledged is already committed; stop() commits what is
  // still queued. Sessions and rooms are not torn down one by one: the
  // process ends here.
  app.stop();
  std::cerr << "renkei: stopped\n";
  std::fflush(stderr);
  std::_Exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto line = renkei::app::parse_command_line(argc, argv, {"demo", "help", "admin"});
    const auto& w = line.words;
    if (line.flag("help") || w.empty()) {
      std::cerr << usage;
      return w.empty() && !line.flag("help") ? 2 : 0;
    }
    if (w[0] == "serve") return serve(line);
    if (w[0] == "council" && w.size() > 1 && w[1] == "create") return council_create(line);
    if (w[0] == "invite") return invite(line);
    if (w[0] == "revoke") return revoke(line);
    if (w[0] == "audit") return audit(line);
    if (w[0] == "backup") return backup(line);
    if (w[0] == "migrate") return migrate(line);
    if (w[0] == "purge-redacted") return purge_redacted(line);
    const std::string sub = w.size() > 1 ? w[1] : "";
    if (w[0] == "org" && sub == "add") return org_add(line);
    if (w[0] == "person" && sub == "add") return person_add(line);
    if (w[0] == "person" && sub == "deactivate") return person_deactivate(line);
    if (w[0] == "person" && sub == "grant") return person_grant(line);
    if (w[0] == "seat" && sub == "add") return seat_add(line);
    if (w[0] == "grant" && (sub == "add" || sub == "remove"))
      return grant_change(line, sub == "add");
    std::cerr << usage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "renkei: " << e.what() << '\n';
    return 1;
  }
}
