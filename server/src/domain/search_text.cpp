#include "domain/search_text.hpp"

#include <algorithm>
#include <type_traits>

namespace renkei::domain {
namespace {

struct Extract {
  std::vector<SearchText>& out;

  void add(std::string_view kind, const std::string& ref, const std::string& text) const {
    out.push_back(SearchText{std::string(kind), ref, text});
  }
  void add(std::string_view kind, const std::string& ref,
           const std::optional<std::string>& text) const {
    if (text) add(kind, ref, *text);
  }

  void operator()(const IssuePosted& e) const { add("issue", e.issue, e.text); }
  void operator()(const ProposalOpened& e) const { add("proposal", e.proposal, e.text); }
  void operator()(const ProposalStanceTaken& e) const { add("stance", e.proposal, e.reason); }
  void operator()(const RoleProposed& e) const {
    add("role", e.role, e.title);
    add("role_detail", e.role, e.detail);
  }
  void operator()(const RoleConsented& e) const { add("consent", e.role, e.note); }
  void operator()(const RoleStatusChanged& e) const { add("status", e.role, e.note); }
  void operator()(const IndicatorDefined& e) const { add("indicator", e.indicator, e.name); }
  void operator()(const ThemeStageSet& e) const { add("stage", e.theme, e.reason); }
  template <typename T>
  void operator()(const T&) const {}
};

// Length of the UTF-8 sequence starting with `b` (1 for stray bytes).
std::size_t sequence_length(unsigned char b) {
  if (b < 0x80) return 1;
  if ((b & 0xE0) == 0xC0) return 2;
  if ((b & 0xF0) == 0xE0) return 3;
  if ((b & 0xF8) == 0xF0) return 4;
  return 1;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Byte position of `needle` in `hay`, ASCII letters without case; npos if none.
std::size_t find_folded(std::string_view hay, std::string_view needle) {
  if (needle.empty() || needle.size() > hay.size()) return std::string_view::npos;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < needle.size() && match; ++k)
      match = lower(hay[i + k]) == lower(needle[k]);
    if (match) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<SearchText> searchable_texts(const EventData& data) {
  std::vector<SearchText> out;
  std::visit(Extract{out}, data);
  return out;
}

// The LIKE pattern that finds `term` anywhere: % and _ (and the escape
// character itself) are escaped with a backslash.
std::string search_like_pattern(const std::string& term) {
  std::string pattern = "%";
  for (char c : term) {
    if (c == '\\' || c == '%' || c == '_') pattern.push_back('\\');
    pattern.push_back(c);
  }
  return pattern + "%";
}

// An FTS5 query that matches texts holding every term as a substring: each
// term a quoted string (its quotes doubled), so no FTS5 syntax applies.
std::string search_fts_query(const std::vector<std::string>& terms) {
  std::string query;
  for (const std::string& term : terms) {
    if (!query.empty()) query.push_back(' ');
    query.push_back('"');
    for (char c : term) {
      if (c == '"') query.push_back('"');
      query.push_back(c);
    }
    query.push_back('"');
  }
  return query;
}

std::vector<std::string> search_terms(std::string_view query, std::size_t max_terms) {
  std::vector<std::string> terms;
  std::string current;
  const auto flush = [&] {
    if (!current.empty() && terms.size() < max_terms) terms.push_back(current);
    current.clear();
  };
  for (std::size_t i = 0; i < query.size();) {
    const char c = query[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      flush();
      ++i;
    } else if (query.substr(i, 3) == "\xE3\x80\x80") {  // U+3000
      flush();
      i += 3;
    } else {
      current.push_back(c);
      ++i;
    }
  }
  flush();
  return terms;
}

std::size_t code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b & 0xE0) == 0xC0) {
      n = 2;
      cp = b & 0x1F;
      min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      n = 3;
      cp = b & 0x0F;
      min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      n = 4;
      cp = b & 0x07;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + n > text.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

std::string search_snippet(std::string_view text, const std::vector<std::string>& terms,
                           std::size_t width) {
  std::size_t hit = std::string_view::npos;
  for (const std::string& term : terms) hit = std::min(hit, find_folded(text, term));
  // Byte offsets of every code point.
  std::vector<std::size_t> starts;
  starts.reserve(text.size());
  for (std::size_t i = 0; i < text.size();
       i += sequence_length(static_cast<unsigned char>(text[i])))
    starts.push_back(i);
  const std::size_t total = starts.size();
  std::size_t first = 0;
  if (hit != std::string_view::npos && total > width) {
    const auto at = static_cast<std::size_t>(std::lower_bound(starts.begin(), starts.end(), hit) -
                                             starts.begin());
    const std::size_t lead = width / 3;
    first = at > lead ? at - lead : 0;
    if (first + width > total) first = total - width;
  }
  const std::size_t last = std::min(total, first + width);
  std::string out;
  if (first > 0) out += "…";
  const std::size_t begin = first < total ? starts[first] : text.size();
  const std::size_t end = last < total ? starts[last] : text.size();
  for (char c : text.substr(begin, end - begin))
    out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  if (last < total) out += "…";
  return out;
}

}  // namespace renkei::domain
