// JSON of handover and 空席 (server/docs/CONTINUITY.md section 1): the
// bodies of the console's and the person's handover requests and of a
// vacancy's filling, and the documents they answer with. Pure functions;
// any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/directory_codec.hpp"

namespace renkei::protocol {

// POST /api/console/people/<u>/handover and POST /api/me/handover:
// {"successor":"u9"|null,"date":"YYYY-MM-DD","note"?}. `successor` must be
// present (null: the seats are vacated); `date` a real date.
struct HandoverBody {
  std::optional<std::string> successor;
  std::string date;
  std::optional<std::string> note;
};
Decoded<HandoverBody> decode_handover_body(std::string_view body);

// POST /api/console/vacancies/<p>/fill {"person":"u9"}.
struct FillBody {
  std::string person;
};
Decoded<FillBody> decode_fill_body(std::string_view body);

struct NamedRef {
  std::string id;
  std::string name;
};

// {"effective_at","seats":[{"council","from","to"|null}]} (+ "request").
struct HandedSeatView {
  std::string council;
  std::string from;
  std::optional<std::string> to;
};
std::string encode_handover_result(const std::string& effective_at,
                                   const std::vector<HandedSeatView>& seats,
                                   const std::optional<std::string>& request = std::nullopt);

// A handover request as the person and the secretariat see it.
struct HandoverRequestView {
  std::string id;     // "h1"
  std::string state;  // pending, confirmed, rejected
  NamedRef person;
  std::optional<NamedRef> org;
  std::optional<NamedRef> successor;
  std::string date;
  std::optional<std::string> note;
  std::string created_at;
  std::optional<std::string> decided_at;
  std::vector<NamedRef> councils;  // the councils of the person's open seats
};
// One request object, or null.
std::string encode_handover_request(const std::optional<HandoverRequestView>& request);
// {"requests":[...]}.
std::string encode_handover_requests(const std::vector<HandoverRequestView>& requests);

// GET /api/console/vacancies: an array.
struct VacancyView {
  std::string participant;
  NamedRef council;
  NamedRef org;
  domain::Role role = domain::Role::member;
  std::string vacated_at;
  std::string last_holder;  // "u<rowid>"
  std::string last_holder_name;
};
std::string encode_vacancies(const std::vector<VacancyView>& vacancies);

// GET /api/councils/<id>/holders.
struct HolderView {
  std::string participant;
  std::string person;
  std::string name;
  std::string from;
  std::optional<std::string> to;
};
struct SeatLineView {
  NamedRef org;
  domain::Role role = domain::Role::member;  // the line's current (last) seat's role
  std::vector<HolderView> holders;           // oldest first
  bool vacant = false;
};
std::string encode_holders(const std::vector<SeatLineView>& lines);

}  // namespace renkei::protocol
