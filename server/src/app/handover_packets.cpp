#include "app/handover_packets.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>

#include "app/api_errors.hpp"
#include "domain/calendar.hpp"
#include "domain/handover_packet.hpp"
#include "domain/ownership.hpp"
#include "protocol/directory_codec.hpp"
#include "protocol/exports.hpp"
#include "protocol/handover_packet_render.hpp"
#include "store/database.hpp"
#include "store/sqlite_directory.hpp"

namespace renkei::app {
namespace {

HttpReply unauthorized() {
  return api_error(401, "unauthorized", "サインインしてください / please sign in");
}
HttpReply forbidden() {
  return api_error(403, "forbidden",
                   "この機関の引き継ぎ資料は開けません / you may not open this organisation's "
                   "handover packet");
}
HttpReply not_found() {
  return api_error(404, "not_found", "機関が見つかりません / no such organisation");
}
HttpReply internal() {
  return api_error(500, "internal", "内部エラーが発生しました / internal error");
}

// One council to compose, as the directory describes it.
struct Wanted {
  domain::PacketCouncilInfo info;
  std::vector<std::string> planned_themes;
};

// Collects the councils' parts from their room strands and answers once
// every one has reported.
struct Gather {
  std::mutex mutex;
  domain::HandoverPacket packet;
  std::size_t pending = 0;
  HandoverFormat format = HandoverFormat::json;
  std::function<void(HttpReply)> done;

  void report() {
    std::unique_lock lock(mutex);
    if (--pending != 0) return;
    lock.unlock();
    domain::order_packet_councils(packet.councils);
    try {
      done(render());
    } catch (const std::exception&) {
      done(internal());
    }
  }

  HttpReply render() const {
    if (format == HandoverFormat::json)
      return HttpReply{200, json_content_type, protocol::encode_handover_packet(packet)};
    const bool markdown = format == HandoverFormat::markdown;
    const char* extension = markdown ? "md" : "html";
    HttpReply answer{200, markdown ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8",
                     markdown ? protocol::render_handover_markdown(packet)
                              : protocol::render_handover_html(packet)};
    answer.headers.emplace_back(
        "Content-Disposition",
        protocol::content_disposition(protocol::handover_file_name(packet, extension),
                                      protocol::handover_ascii_file_name(packet, extension),
                                      !markdown));
    return answer;
  }
};

bool digits(std::string_view text, std::size_t from, std::size_t count) {
  for (std::size_t i = from; i < from + count; ++i)
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
  return true;
}

}  // namespace

std::optional<std::string> normalise_since(std::string_view text) {
  if (text.size() == 10) {
    const auto date = domain::parse_iso_date(text);
    if (!date) return std::nullopt;
    // 00:00 JST is 15:00 UTC of the day before.
    return domain::iso_date(domain::add_days(*date, -1)) + "T15:00:00.000Z";
  }
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (text.size() < 20 || text.back() != 'Z' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || !digits(text, 11, 2) || !digits(text, 14, 2) || !digits(text, 17, 2))
    return std::nullopt;
  if (!domain::parse_iso_date(text.substr(0, 10))) return std::nullopt;
  std::string millis = "000";
  if (text.size() != 20) {
    if (text[19] != '.' || text.size() < 22 || text.size() > 24 ||
        !digits(text, 20, text.size() - 21))
      return std::nullopt;
    millis = std::string(text.substr(20, text.size() - 21));
    millis.resize(3, '0');
  }
  if (text.substr(11, 2) > "23" || text.substr(14, 2) > "59" || text.substr(17, 2) > "59")
    return std::nullopt;
  return std::string(text.substr(0, 19)) + "." + millis + "Z";
}

PacketStart default_since(store::Database& db, const SignedIn& viewer, const std::string& org) {
  store::SqliteDirectory directory(db);
  std::optional<store::UnseenHandover> latest;
  for (auto& received : directory.received_handovers(viewer.person.id)) {
    const auto held = directory.resolve_organisation(received.org);
    if (!held || held->id != org) continue;
    latest = std::move(received);  // by seat id: the latest last
  }
  if (!latest) return {viewer.person.last_visit_at, std::nullopt};
  // A predecessor who never opened ホーム saw none of it: everything.
  std::optional<std::string> since = latest->predecessor_last_visit_at;
  if (since && latest->predecessor_left_at && *latest->predecessor_left_at < *since)
    since = latest->predecessor_left_at;
  return {since, domain::PacketPredecessor{latest->predecessor, latest->predecessor_name}};
}

void HandoverPackets::packet(ApiRequest request, std::string org, HandoverFormat format,
                             Reply done) {
  if (!request.session_cookie) return done(unauthorized());
  std::optional<std::string> since;
  const auto asked = query_parameter(request.query, "since");
  // "all": the whole log, whatever the default.
  const bool whole_log = asked && *asked == "all";
  if (asked && !whole_log) {
    since = normalise_since(*asked);
    if (!since)
      return done(
          api_error(400, "bad_request",
                    "since: 日付（YYYY-MM-DD）または日時（ISO 8601、UTC）を指定してください / "
                    "since: a date (YYYY-MM-DD) or an ISO 8601 UTC instant"));
  }
  services_.reader.post([this, request = std::move(request), org = std::move(org), format,
                         since = std::move(since), whole_log,
                         done = std::move(done)](store::Database& db) mutable {
    std::vector<Wanted> wanted;
    auto gather = std::make_shared<Gather>();
    std::optional<domain::OrgRef> canonical;
    try {
      auto who = services_.people.find(db, *request.session_cookie);
      if (!who) return done(unauthorized());
      if (who->enrolment_pending())
        return done(api_error(403, "second_factor_enrolment_required",
                              "二要素認証の登録が必要です / enrol a second factor first"));
      store::SqliteDirectory directory(db);
      const auto target = directory.resolve_organisation(org);
      if (!target) return done(not_found());
      // A person of the organisation (their organisation, followed through
      // merges), the secretariat of its area, administrators.
      bool member = false;
      if (who->person.org)
        if (const auto own = directory.resolve_organisation(*who->person.org))
          member = own->id == target->id;
      if (!member && !who->access.covers_area(target->area)) return done(forbidden());

      canonical = domain::OrgRef{target->id, target->name};
      const auto resolver = services_.orgs;
      const std::string now = services_.clock.now();
      // Seats in force and seats a handover made that start later.
      const auto ours = [&](const store::ParticipantRow& seat) {
        if (!seat.active_at(now) && !seat.upcoming_at(now)) return false;
        if (resolver && *resolver) {
          const auto ref = (*resolver)(seat.org_id ? *seat.org_id : seat.org);
          if (ref) return ref->id == target->id;
        }
        return seat.org_id ? *seat.org_id == target->id : seat.org == target->name;
      };
      for (const auto& council : directory.list_councils()) {
        if (council.archived_at) continue;
        bool held = false;
        for (const auto& seat : directory.seats_of_council(council.id)) held = held || ours(seat);
        if (!held) continue;
        // A one-on-one only for a viewer who holds a seat in it.
        const bool will_hold = std::any_of(
            who->upcoming.begin(), who->upcoming.end(),
            [&](const store::ParticipantRow& seat) { return seat.council == council.id; });
        if (council.kind == domain::CouncilKind::one_on_one &&
            who->seat_in(council.id) == nullptr && !will_hold)
          continue;
        wanted.push_back(Wanted{domain::PacketCouncilInfo{council.id, council.name, council.kind,
                                                          council.area, council.next_meeting, false,
                                                          who->seat_in(council.id) != nullptr},
                                protocol::decode_theme_list(council.themes)});
      }
      const PacketStart start = default_since(db, *who, target->id);
      if (!since && !whole_log) since = start.since;
      gather->packet.predecessor = start.predecessor;
    } catch (const std::exception&) {
      return done(internal());
    }

    gather->packet.org = *canonical;
    gather->packet.since = since;
    gather->packet.today = today_jst(services_.clock);
    gather->format = format;
    gather->done = std::move(done);
    gather->packet.councils.resize(wanted.size());
    gather->pending = wanted.size() + 1;
    const domain::Actor speaker{"", "", canonical->name, domain::Role::member, canonical->id};
    const domain::OrgResolver* resolver = services_.orgs;
    const domain::OwnedBy owned = [speaker, resolver](const domain::RoleAgreement& role) {
      return resolver && *resolver ? domain::speaks_for(speaker, role, *resolver)
                                   : domain::speaks_for_as_logged(speaker, role);
    };
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      auto item = std::make_shared<Wanted>(std::move(wanted[i]));
      services_.registry.with_room(item->info.id, [gather, item, i,
                                                   owned](std::shared_ptr<Room> room) {
        if (!room) {
          {
            std::lock_guard lock(gather->mutex);
            gather->packet.councils[i].info = item->info;
            gather->packet.councils[i].loaded = false;
          }
          return gather->report();
        }
        room->inspect([gather, item, i, owned](const domain::CouncilState& state) {
          domain::PacketCouncil part;
          try {
            part = domain::compose_packet_council(state, item->info, item->planned_themes, owned,
                                                  gather->packet.since, gather->packet.today);
          } catch (const std::exception&) {
            part.info = item->info;
            part.loaded = false;
          }
          {
            std::lock_guard lock(gather->mutex);
            gather->packet.councils[i] = std::move(part);
          }
          gather->report();
        });
      });
    }
    gather->report();
  });
}

void add_handover_packet_routes(ApiRouter& router, HandoverPacketServices services) {
  auto packets = std::make_shared<HandoverPackets>(services);
  const std::pair<const char*, HandoverFormat> formats[] = {
      {"handover", HandoverFormat::json},
      {"handover.md", HandoverFormat::markdown},
      {"handover.html", HandoverFormat::html}};
  for (const auto& [leaf, format] : formats) {
    router.add("GET", std::string("/api/orgs/{org}/") + leaf,
               [packets, format = format](ApiRequest request, RouteParams params, ApiDone done) {
                 packets->packet(std::move(request), params["org"], format, std::move(done));
               });
  }
}

}  // namespace renkei::app
