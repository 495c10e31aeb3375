// What the council search finds: the free texts an event carries, each
// named by what it is and the id of the thing it belongs to, so that a hit
// can link to where it happened. The store keeps one row per text in a
// full-text index beside the log; this file decides which texts those are,
// and how a query is split and a hit shown.
//
// The store extracts the same texts in SQL from the logged events' data
// (store/searchable_sql.hpp), to build the index and to match the newest
// events; a test checks that both agree for every op with texts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.hpp"

namespace renkei::domain {

// kind       ref            text
// issue      issue id       the text
// proposal   proposal id    the proposal's text
// role       role id        the role's title
// role_detail role id       the role's detail
// consent    role id        the note of a consent
// status     role id        the note of a status change
// stance     proposal id    the reason of a stance
// stage      theme name     the reason of a stage change
// indicator  indicator id   the indicator's name
struct SearchText {
  std::string kind;
  std::string ref;
  std::string text;

  friend bool operator==(const SearchText&, const SearchText&) = default;
};

// One hit of a search: the text and where it happened (the event's seq,
// the meeting live then, its time), so the client can link to it.
struct SearchHit {
  SearchText text;
  std::uint64_t seq = 0;
  std::optional<std::string> meeting;
  std::string at;

  friend bool operator==(const SearchHit&, const SearchHit&) = default;
};

// The searchable texts of one event, in the order above (none for most ops).
std::vector<SearchText> searchable_texts(const EventData& data);

// The most texts searchable_texts gives for one event (a role's title and
// detail). The search index relies on it to read no more rows than needed.
inline constexpr std::size_t max_searchable_texts_per_event = 2;

// The terms of a query: split at ASCII white space and U+3000, empty terms
// dropped, at most `max_terms` (the rest is ignored).
std::vector<std::string> search_terms(std::string_view query, std::size_t max_terms = 5);

// The LIKE pattern that finds `term` anywhere: % and _ (and the escape
// character, a backslash) escaped with a backslash.
std::string search_like_pattern(const std::string& term);

// An FTS5 query that matches texts holding every term as a substring: each
// term a quoted string (its quotes doubled), so no FTS5 syntax applies.
std::string search_fts_query(const std::vector<std::string>& terms);

// Number of Unicode code points in valid UTF-8.
std::size_t code_points(std::string_view utf8);

// True when `text` is valid UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// A short excerpt of `text` around the first occurrence of one of `terms`
// (ASCII letters compared without case): at most `width` code points, line
// breaks shown as spaces, "…" where text was cut. The start of the text
// when no term occurs.
std::string search_snippet(std::string_view text, const std::vector<std::string>& terms,
                           std::size_t width = 60);

}  // namespace renkei::domain
