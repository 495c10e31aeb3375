// The heuristics of server/docs/PERSONAL_INFO.md. The text is decoded into
// code points and normalised (full-width digits, letters, brackets and
// hyphens become ASCII) so that one matcher handles both widths; findings
// are computed in code-point indices and turned into byte offsets at the end.
#include "domain/personal_info.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace renkei::domain {
namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

struct Text {
  std::u32string c;               // normalised code points
  std::vector<std::size_t> byte;  // byte offset of each code point, plus the end
  std::size_t size() const { return c.size(); }
  char32_t at(std::size_t i) const { return i < c.size() ? c[i] : U'\0'; }
};

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_ascii_alpha(char32_t c) { return (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z'); }
bool is_kanji(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF) || c == U'々' || c == U'〆';
}
bool is_hiragana(char32_t c) { return c >= 0x3041 && c <= 0x309F; }
bool is_katakana(char32_t c) { return c >= 0x30A1 && c <= 0x30FF; }
bool is_kana(char32_t c) { return is_hiragana(c) || is_katakana(c); }
bool is_place_char(char32_t c) { return is_kanji(c) || is_kana(c); }
bool is_space(char32_t c) { return c == U' ' || c == U'\t'; }

// Hyphen-like characters that stand between digit groups.
bool is_hyphen(char32_t c) { return c == U'-'; }

char32_t normalise(char32_t c) {
  if (c >= 0xFF10 && c <= 0xFF19) return U'0' + (c - 0xFF10);  // ０-９
  if (c >= 0xFF21 && c <= 0xFF3A) return U'A' + (c - 0xFF21);  // Ａ-Ｚ
  if (c >= 0xFF41 && c <= 0xFF5A) return U'a' + (c - 0xFF41);  // ａ-ｚ
  switch (c) {
    case 0xFF08: return U'(';  // （
    case 0xFF09: return U')';  // ）
    case 0xFF0E: return U'.';  // ．
    case 0xFF0F: return U'/';  // ／
    case 0xFF1A: return U':';  // ：
    case 0xFF0C: return U',';  // ，
    case 0x3000: return U' ';  // ideographic space
    case 0x2010:               // ‐
    case 0x2011:               // non-breaking hyphen
    case 0x2012:               // ‒
    case 0x2013:               // –
    case 0x2014:               // —
    case 0x2015:               // ―
    case 0x2212:               // −
    case 0xFF0D:               // －
    case 0xFE63:               // small hyphen-minus
      return U'-';
    default: return c;
  }
}

// Kanji numerals: 〇一二三四五六七八九 as digits, 十百千 as units.
int kanji_digit(char32_t c) {
  constexpr std::u32string_view digits = U"〇一二三四五六七八九";
  const std::size_t d = digits.find(c);
  return d == std::u32string_view::npos ? -1 : static_cast<int>(d);
}
int kanji_unit(char32_t c) { return c == U'十' ? 10 : c == U'百' ? 100 : c == U'千' ? 1000 : 0; }

// The value of a run of kanji numerals: 八十二 = 82, 百二 = 102, 十七 = 17
// (with units), 一九四二 = 1942 (digit by digit); -1 when malformed.
long kanji_value(std::u32string_view run) {
  bool units = false;
  for (char32_t c : run) units = units || kanji_unit(c) > 0;
  long value = 0;
  if (!units) {
    for (char32_t c : run) value = value * 10 + kanji_digit(c);
    return value;
  }
  long digit = -1;
  int last_unit = 10000;
  for (char32_t c : run) {
    if (const int unit = kanji_unit(c); unit > 0) {
      if (unit >= last_unit) return -1;  // 十百: not a number
      value += (digit < 0 ? 1 : digit) * unit;
      digit = -1;
      last_unit = unit;
    } else {
      if (digit >= 0) return -1;  // 二三十: not a number
      digit = kanji_digit(c);
    }
  }
  return value + (digit < 0 ? 0 : digit);
}

// Kanji numerals written where an age or a date part is (八十二歳, 昭和十七年,
// 三月五日) become ASCII digits, so that the matchers below see 82歳 and
// 昭和17年. Other kanji numerals stay: 八十二件, 一郎, 三丁目, 十日町.
// Each digit keeps a byte offset inside the run, the first one the run's
// start, so findings still map back to the original text.
Text with_kanji_numbers(Text text) {
  constexpr std::u32string_view markers = U"歳才年月日";
  Text out;
  out.c.reserve(text.c.size());
  out.byte.reserve(text.byte.size());
  std::size_t i = 0;
  while (i < text.c.size()) {
    std::size_t end = i;
    while (end < text.c.size() && (kanji_digit(text.c[end]) >= 0 || kanji_unit(text.c[end]) > 0))
      ++end;
    const long value = end > i && end - i <= 6 && end < text.c.size() &&
                               markers.find(text.c[end]) != std::u32string_view::npos
                           ? kanji_value(std::u32string_view(text.c.data() + i, end - i))
                           : -1;
    if (value < 0) {
      for (std::size_t k = i; k < std::max(end, i + 1); ++k) {
        out.c.push_back(text.c[k]);
        out.byte.push_back(text.byte[k]);
      }
      i = std::max(end, i + 1);
      continue;
    }
    const std::string digits = std::to_string(value);
    for (std::size_t k = 0; k < digits.size(); ++k) {
      out.c.push_back(static_cast<char32_t>(digits[k]));
      out.byte.push_back(text.byte[std::min(i + k, end - 1)]);
    }
    i = end;
  }
  out.byte.push_back(text.byte.back());
  return out;
}

// Decodes UTF-8; bytes that do not start a valid sequence are skipped.
Text decode(std::string_view s) {
  Text text;
  text.c.reserve(s.size());
  text.byte.reserve(s.size() + 1);
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      n = 1;
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      n = 2;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 3;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 4;
      cp = b & 0x07;
    }
    bool valid = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; valid && k < n; ++k) {
      const auto cont = static_cast<unsigned char>(s[i + k]);
      if ((cont & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (cont & 0x3F);
    }
    if (!valid) {
      ++i;
      continue;
    }
    text.c.push_back(normalise(cp));
    text.byte.push_back(i);
    i += n;
  }
  text.byte.push_back(s.size());
  // The long vowel mark ー between digits is typed for a hyphen
  // (090ー1234ー5678); elsewhere it is katakana and stays.
  for (std::size_t k = 1; k + 1 < text.c.size(); ++k)
    if (text.c[k] == U'ー' && is_digit(text.c[k - 1]) && is_digit(text.c[k + 1])) text.c[k] = U'-';
  return with_kanji_numbers(std::move(text));
}

bool starts_with(const Text& t, std::size_t i, std::u32string_view word) {
  return i <= t.size() && t.size() - i >= word.size() && t.c.compare(i, word.size(), word) == 0;
}

// The index after the run of ASCII digits at `i` (== i when none).
std::size_t digits_end(const Text& t, std::size_t i) {
  while (i < t.size() && is_digit(t.c[i])) ++i;
  return i;
}

// A run of 1..max_digits digits at `i` that is not part of a longer number;
// returns its end or npos.
std::size_t number(const Text& t, std::size_t i, std::size_t max_digits) {
  if (i > 0 && is_digit(t.at(i - 1))) return npos;
  const std::size_t end = digits_end(t, i);
  if (end == i || end - i > max_digits) return npos;
  return end;
}

struct Span {
  PersonalInfoKind kind;
  std::size_t begin;
  std::size_t end;
};

// --- phone numbers -----------------------------------------------------------

// Japanese numbers: 10 digits starting 0 (landlines 0X-XXXX-XXXX, 0120 and
// 0570 numbers) or 11 digits starting 050, 070, 080, 090 or 0800 (IP,
// mobile, toll free), bare or in 2-4 groups separated by hyphens, brackets
// or single spaces.
void find_phones(const Text& t, std::vector<Span>& out) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool bracket = t.c[i] == U'(' && t.at(i + 1) == U'0';
    if (t.c[i] != U'0' && !bracket) continue;
    if (i > 0) {
      const char32_t before = t.c[i - 1];
      if (is_digit(before) || is_hyphen(before) || is_ascii_alpha(before) || before == U'.')
        continue;
    }
    std::u32string digits;
    std::size_t groups = 0;
    std::size_t j = i;
    std::size_t last_digit_end = i;
    std::size_t separators = 0;  // consecutive separators
    while (j < t.size()) {
      const char32_t c = t.c[j];
      if (is_digit(c)) {
        const std::size_t end = digits_end(t, j);
        digits.append(t.c, j, end - j);
        ++groups;
        j = last_digit_end = end;
        separators = 0;
      } else if (is_hyphen(c) || c == U'(' || c == U')' || c == U' ') {
        if (++separators > 2) break;
        if (c == U' ' && !is_digit(t.at(j + 1)) && t.at(j + 1) != U'(') break;
        ++j;
      } else {
        break;
      }
    }
    const std::size_t d = digits.size();
    if (d < 10 || d > 11 || groups > 4 || digits[1] == U'0') continue;
    if (d == 11) {
      const std::u32string_view head(digits.data(), 4);
      const bool mobile = head.substr(0, 3) == U"050" || head.substr(0, 3) == U"070" ||
                          head.substr(0, 3) == U"080" || head.substr(0, 3) == U"090" ||
                          head == U"0800";
      if (!mobile) continue;
    }
    // A longer digit sequence glued on with a hyphen is something else.
    if (is_hyphen(t.at(last_digit_end)) && is_digit(t.at(last_digit_end + 1))) continue;
    out.push_back(Span{PersonalInfoKind::phone, i, last_digit_end});
    i = last_digit_end;
  }
}

// --- birth dates ------------------------------------------------------------

struct DateMatch {
  std::size_t end = npos;
  bool old_era = false;  // 明治, 大正, 昭和 (or M, T, S): only birth dates are written so
  bool year_only = false;  // 昭和17年 (era years only): a birth date with 生まれ or 生年月日
};

// "1942年3月5日", "1942/3/5", "1942-03-05", "1942.3.5".
DateMatch western_date(const Text& t, std::size_t i) {
  const std::size_t y = number(t, i, 4);
  if (y == npos || y - i != 4) return {};
  if (t.at(y) == U'年') {
    const std::size_t m = number(t, y + 1, 2);
    if (m == npos || t.at(m) != U'月') return {};
    const std::size_t d = number(t, m + 1, 2);
    if (d == npos || t.at(d) != U'日') return {};
    return DateMatch{d + 1, false};
  }
  const char32_t sep = t.at(y);
  if (sep != U'/' && sep != U'-' && sep != U'.') return {};
  const std::size_t m = number(t, y + 1, 2);
  if (m == npos || t.at(m) != sep) return {};
  const std::size_t d = digits_end(t, m + 1);
  if (d == m + 1 || d - (m + 1) > 2) return {};
  return DateMatch{d, false};
}

constexpr std::array<std::u32string_view, 5> era_names{U"明治", U"大正", U"昭和", U"平成", U"令和"};

// "昭和17年3月5日", "平成元年3月5日".
DateMatch era_date(const Text& t, std::size_t i) {
  for (std::size_t e = 0; e < era_names.size(); ++e) {
    if (!starts_with(t, i, era_names[e])) continue;
    std::size_t y = i + 2;
    if (t.at(y) == U'元') {
      ++y;
    } else {
      const std::size_t end = number(t, y, 2);
      if (end == npos) return {};
      y = end;
    }
    if (t.at(y) != U'年') return {};
    const std::size_t m = number(t, y + 1, 2);
    if (m == npos || t.at(m) != U'月') return DateMatch{y + 1, e < 3, true};
    const std::size_t d = number(t, m + 1, 2);
    if (d == npos || t.at(d) != U'日') return {};
    return DateMatch{d + 1, e < 3};
  }
  return {};
}

// "S17.3.5", "S.17.3.5", "H5/3/5": an era initial and a numeric date.
DateMatch letter_era_date(const Text& t, std::size_t i) {
  const char32_t era = t.c[i];
  if (era != U'M' && era != U'T' && era != U'S' && era != U'H' && era != U'R') return {};
  if (i > 0 && (is_ascii_alpha(t.c[i - 1]) || is_digit(t.c[i - 1]))) return {};
  std::size_t j = i + 1;
  if (t.at(j) == U'.') ++j;
  const std::size_t y = number(t, j, 2);
  if (y == npos) return {};
  const char32_t sep = t.at(y);
  if (sep != U'.' && sep != U'/' && sep != U'-') return {};
  const std::size_t m = number(t, y + 1, 2);
  if (m == npos || t.at(m) != sep) return {};
  const std::size_t d = digits_end(t, m + 1);
  if (d == m + 1 || d - (m + 1) > 2) return {};
  return DateMatch{d, era == U'M' || era == U'T' || era == U'S'};
}

// "生まれ", "生れ" or a lone "生" (not the start of 生活, 生涯, ...) after a date.
std::size_t birth_marker_end(const Text& t, std::size_t i) {
  while (is_space(t.at(i))) ++i;
  if (starts_with(t, i, U"生まれ")) return i + 3;
  if (starts_with(t, i, U"生れ")) return i + 2;
  if (t.at(i) == U'生' && !is_kanji(t.at(i + 1))) return i + 1;
  return npos;
}

constexpr std::u32string_view birth_keyword = U"生年月日";

// The start of a 生年月日 keyword that ends at most a few separators before `i`.
std::size_t keyword_before(const Text& t, std::size_t i) {
  std::size_t j = i;
  for (int gap = 0; gap < 3 && j > 0; ++gap) {
    const char32_t c = t.c[j - 1];
    if (!(is_space(c) || c == U':' || c == U'(' || c == U'、' || c == U'は' || c == U'=')) break;
    --j;
  }
  if (j >= birth_keyword.size() && starts_with(t, j - birth_keyword.size(), birth_keyword))
    return j - birth_keyword.size();
  return npos;
}

void find_birth_dates(const Text& t, std::vector<Span>& out) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    DateMatch date = western_date(t, i);
    if (date.end == npos) date = era_date(t, i);
    if (date.end == npos) date = letter_era_date(t, i);
    if (date.end == npos) continue;
    const std::size_t marker = birth_marker_end(t, date.end);
    const std::size_t keyword = keyword_before(t, i);
    const std::size_t begin = keyword != npos ? keyword : i;
    if (marker != npos) {
      out.push_back(Span{PersonalInfoKind::birth_date, begin, marker});
    } else if (keyword != npos || (date.old_era && !date.year_only)) {
      out.push_back(Span{PersonalInfoKind::birth_date, begin, date.end});
    } else {
      continue;
    }
    i = out.back().end - 1;
  }
  // The keyword alone ("生年月日：別紙") says a birth date is being recorded.
  for (std::size_t i = 0; i + birth_keyword.size() <= t.size(); ++i)
    if (starts_with(t, i, birth_keyword))
      out.push_back(Span{PersonalInfoKind::birth_date, i, i + birth_keyword.size()});
}

// --- names with ages ----------------------------------------------------------

constexpr std::array<std::u32string_view, 8> honorifics{U"ちゃん", U"さん", U"さま", U"くん",
                                                        U"様",     U"氏",   U"君",   U"殿"};

// The length of the honorific at `i`, or 0.
std::size_t honorific_at(const Text& t, std::size_t i) {
  for (std::u32string_view h : honorifics)
    if (starts_with(t, i, h)) return h.size();
  return 0;
}

// Words before さん/様 that are not names: relatives, roles, people in
// general. A run ending in one of the suffixes below (利用者, 看護師,
// 施設長, 家族, 男性, 北広島町, 保健所 ...) is not a name either.
constexpr std::array<std::u32string_view, 30> not_names{
    U"本人", U"家族", U"皆",   U"奥",   U"母",   U"父",   U"兄", U"姉",   U"弟",   U"妹",
    U"娘",   U"息子", U"孫",   U"嫁",   U"夫",   U"妻",   U"婆", U"爺",   U"祖母", U"祖父",
    U"叔母", U"叔父", U"伯母", U"伯父", U"相手", U"先方", U"隣", U"近所", U"大家", U"同僚"};
constexpr std::u32string_view not_name_suffixes =
    U"者員師士長族人民生方達医係官主宅家先側局課所会館園院町市村区県府都道党社協組団部室班校性"
    U"女男児様殿";

// The start of a name written just before `h` (where an honorific or a
// bracket begins): a run of up to 8 kanji, optionally followed by up to 4
// kana of a given name (山田はな). npos when there is none or the run is a
// word that names no one.
std::size_t name_before(const Text& t, std::size_t h) {
  std::size_t j = h;
  std::size_t k = j;
  while (k > 0 && is_kana(t.c[k - 1]) && j - k < 4) --k;
  if (k < j) {
    if (k == 0 || !is_kanji(t.c[k - 1])) return npos;
    j = k;
  }
  if (j == 0 || !is_kanji(t.c[j - 1])) return npos;
  std::size_t m = j;
  while (m > 0 && is_kanji(t.c[m - 1]) && j - m < 8) --m;
  const std::u32string_view run(t.c.data() + m, j - m);
  if (not_name_suffixes.find(run.back()) != std::u32string_view::npos) return npos;
  for (std::u32string_view word : not_names)
    if (run == word || (run.size() > word.size() && run.substr(run.size() - word.size()) == word))
      return npos;
  return m;
}

// Words after an age that make it a range or a group, not a person's age.
constexpr std::array<std::u32string_view, 19> range_words{
    U"以上", U"以下",   U"未満",   U"から", U"まで", U"代", U"前後", U"超", U"程度", U"以降",
    U"頃",   U"くらい", U"ぐらい", U"位",   U"台",   U"児", U"~",    U"～", U"〜"};

// "82歳" / "82才" at `i` that is a person's age; returns its end or npos.
std::size_t age_at(const Text& t, std::size_t i) {
  const std::size_t end = number(t, i, 3);
  if (end == npos) return npos;
  if (t.at(end) != U'歳' && t.at(end) != U'才') return npos;
  std::size_t after = end + 1;
  while (is_space(t.at(after))) ++after;
  for (std::u32string_view word : range_words)
    if (starts_with(t, after, word)) return npos;
  if (is_hyphen(t.at(after)) && is_digit(t.at(after + 1))) return npos;  // 40歳-64歳
  return end + 1;
}

// "(82)" right after a name with honorific; returns the end or npos.
std::size_t bare_bracket_age(const Text& t, std::size_t i) {
  if (t.at(i) != U'(') return npos;
  const std::size_t end = number(t, i + 1, 3);
  if (end == npos || end - (i + 1) < 2 || t.at(end) != U')') return npos;
  return end + 1;
}

bool gap_char(char32_t c) {
  return is_space(c) || c == U'、' || c == U',' || c == U'は' || c == U':' || c == U'・' ||
         c == U'(';
}

// Names with an honorific, and 氏名 followed by a name: [begin, end).
std::vector<std::pair<std::size_t, std::size_t>> name_mentions(const Text& t) {
  std::vector<std::pair<std::size_t, std::size_t>> names;
  for (std::size_t h = 0; h < t.size(); ++h) {
    const std::size_t len = honorific_at(t, h);
    if (len == 0) continue;
    const std::size_t begin = name_before(t, h);
    if (begin != npos) names.emplace_back(begin, h + len);
    h += len - 1;
  }
  for (std::size_t i = 0; i + 2 < t.size(); ++i) {
    if (!starts_with(t, i, U"氏名")) continue;
    std::size_t j = i + 2;
    while (j < t.size() && (is_space(t.c[j]) || t.c[j] == U':' || t.c[j] == U'　')) ++j;
    std::size_t k = j;
    while (k < t.size() && is_kanji(t.c[k]) && k - j < 8) ++k;
    if (k - j >= 2) names.emplace_back(i, k);
  }
  return names;
}

constexpr std::size_t name_window = 30;  // code points between a name and an age

void find_names_with_ages(const Text& t, std::vector<Span>& out) {
  const auto names = name_mentions(t);
  // Name + honorific, then the age after a short gap: 山田さん（82歳）,
  // 山田さん 82歳, 山田さん(82), 山田さんは82歳.
  for (std::size_t h = 0; h < t.size(); ++h) {
    const std::size_t len = honorific_at(t, h);
    if (len == 0) continue;
    const std::size_t begin = name_before(t, h);
    std::size_t k = h + len;
    h = k - 1;
    if (begin == npos) continue;
    for (int gap = 0; gap <= 4 && k <= t.size(); ++gap, ++k) {
      if (const std::size_t end = bare_bracket_age(t, k); end != npos) {
        out.push_back(Span{PersonalInfoKind::name_with_age, begin, end});
        break;
      }
      if (const std::size_t end = age_at(t, k); end != npos) {
        const bool closed = t.at(k - 1) == U'(' && t.at(end) == U')';
        out.push_back(Span{PersonalInfoKind::name_with_age, begin, closed ? end + 1 : end});
        break;
      }
      if (!gap_char(t.at(k))) break;
    }
  }
  // Name without honorific and the age in brackets: 山田太郎（82歳）.
  for (std::size_t k = 1; k < t.size(); ++k) {
    if (t.c[k] != U'(' || !is_place_char(t.c[k - 1])) continue;
    const std::size_t end = age_at(t, k + 1);
    if (end == npos) continue;
    const std::size_t begin = name_before(t, k);
    if (begin == npos) continue;
    out.push_back(Span{PersonalInfoKind::name_with_age, begin, t.at(end) == U')' ? end + 1 : end});
  }
  // Any other age of a person (82歳の山田さん, 85歳の男性) with a name within
  // name_window code points before or after it.
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::size_t end = age_at(t, i);
    if (end == npos) continue;
    for (const auto& [begin_name, end_name] : names) {
      const bool near = (end_name <= i && i - end_name <= name_window) ||
                        (begin_name >= end && begin_name - end <= name_window) ||
                        (begin_name < end && end_name > i);
      if (!near) continue;
      out.push_back(
          Span{PersonalInfoKind::name_with_age, std::min(i, begin_name), std::max(end, end_name)});
      break;
    }
    i = end - 1;
  }
}

// --- addresses -------------------------------------------------------------------

bool is_kanji_numeral(char32_t c) {
  return std::u32string_view(U"一二三四五六七八九十").find(c) != std::u32string_view::npos;
}

// Characters whose presence in the place name before a street number makes
// it an address: 都道府県 and 市区町村 (and 郡).
constexpr std::u32string_view anchor_chars = U"都道府県市区町村郡";

// The street number at `i`: 3丁目5番12号, 3丁目5-12, 三丁目5番地, 1234番地,
// 5番12号, 1-2-3. Returns its end or npos. A 丁目 without a number after it
// names an area, not a house, and is not matched.
std::size_t street_number(const Text& t, std::size_t i) {
  if (i > 0 && (is_digit(t.c[i - 1]) || t.c[i - 1] == U'第' || is_hyphen(t.c[i - 1]))) return npos;
  std::size_t a = i;
  if (is_digit(t.at(i))) {
    a = digits_end(t, i);
  } else {
    if (i > 0 && is_kanji_numeral(t.c[i - 1])) return npos;
    while (a < t.size() && is_kanji_numeral(t.c[a])) ++a;
    if (a == i || !starts_with(t, a, U"丁目")) return npos;
  }
  // The rest after the first number: optional "-C" or "C" and "号".
  const auto tail = [&](std::size_t j) {
    if (is_hyphen(t.at(j)) && is_digit(t.at(j + 1))) j = digits_end(t, j + 1);
    if (is_digit(t.at(j))) j = digits_end(t, j);
    if (t.at(j) == U'号') ++j;
    return j;
  };
  if (starts_with(t, a, U"丁目")) {
    std::size_t b = a + 2;
    if (is_hyphen(t.at(b))) ++b;
    const std::size_t b_end = digits_end(t, b);
    if (b_end == b) return npos;
    if (starts_with(t, b_end, U"番地")) return tail(b_end + 2);
    if (t.at(b_end) == U'番' || is_hyphen(t.at(b_end))) return tail(b_end + 1);
    if (t.at(b_end) == U'号') return b_end + 1;
    return b_end;
  }
  if (!is_digit(t.at(i))) return npos;
  if (starts_with(t, a, U"番地")) return tail(a + 2);
  if (t.at(a) == U'番' && is_digit(t.at(a + 1))) {
    const std::size_t b_end = digits_end(t, a + 1);
    return t.at(b_end) == U'号' ? b_end + 1 : b_end;
  }
  if (is_hyphen(t.at(a)) && is_digit(t.at(a + 1))) {
    const std::size_t b_end = digits_end(t, a + 1);
    if (!is_hyphen(t.at(b_end)) || !is_digit(t.at(b_end + 1))) return npos;
    const std::size_t c_end = digits_end(t, b_end + 1);
    if (t.c[i] == U'0') return npos;  // a phone number
    if (a - i == 4 && b_end - (a + 1) <= 2 && c_end - (b_end + 1) <= 2) return npos;  // a date
    if (is_hyphen(t.at(c_end)) && is_digit(t.at(c_end + 1))) return npos;  // a longer code
    return t.at(c_end) == U'号' ? c_end + 1 : c_end;
  }
  return npos;
}

constexpr std::size_t max_place_name = 25;  // code points before a street number

void find_addresses(const Text& t, std::vector<Span>& out) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool candidate = is_digit(t.c[i]) || is_kanji_numeral(t.c[i]);
    if (!candidate) continue;
    const std::size_t end = street_number(t, i);
    if (end == npos) continue;
    // The place name ends at the number or one space before it.
    std::size_t place_end = i;
    if (place_end > 0 && is_space(t.c[place_end - 1])) --place_end;
    std::size_t begin = place_end;
    while (begin > 0 && is_place_char(t.c[begin - 1]) && place_end - begin < max_place_name)
      --begin;
    const std::u32string_view place(t.c.data() + begin, place_end - begin);
    if (place.find_first_of(anchor_chars) == std::u32string_view::npos) continue;
    out.push_back(Span{PersonalInfoKind::address, begin, end});
    i = end - 1;
  }
}

// Every heuristic above needs a digit (ASCII or full-width), a kanji numeral
// (八十二歳, 三丁目), 元 (平成元年生まれ) or 生 (生年月日): a text with none of
// them holds no finding. One pass over the bytes, without decoding into a
// Text: every event's texts are checked when it is accepted (its "pii"), and
// most of them have no digit at all.
bool is_trigger(char32_t c) {
  switch (c) {
    case U'〇':
    case U'一':
    case U'二':
    case U'三':
    case U'四':
    case U'五':
    case U'六':
    case U'七':
    case U'八':
    case U'九':
    case U'十':
    case U'百':
    case U'千':
    case U'元':
    case U'生': return true;
    default: return c >= U'０' && c <= U'９';
  }
}

bool could_hold_personal_info(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= '0' && b <= '9') return true;
    if ((b & 0xF0) != 0xE0 || i + 2 >= text.size()) continue;  // triggers are 3 bytes
    const char32_t c =
        (static_cast<char32_t>(b & 0x0F) << 12) |
        (static_cast<char32_t>(static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
        static_cast<char32_t>(static_cast<unsigned char>(text[i + 2]) & 0x3F);
    if (is_trigger(c)) return true;
    i += 2;
  }
  return false;
}

}  // namespace

std::string_view to_string(PersonalInfoKind kind) {
  switch (kind) {
    case PersonalInfoKind::name_with_age: return "name_with_age";
    case PersonalInfoKind::birth_date: return "birth_date";
    case PersonalInfoKind::address: return "address";
    case PersonalInfoKind::phone: return "phone";
  }
  return "name_with_age";
}

std::vector<PersonalInfoFinding> find_personal_info(std::string_view text) {
  if (!could_hold_personal_info(text)) return {};
  const Text t = decode(text);
  std::vector<Span> spans;
  find_names_with_ages(t, spans);
  find_birth_dates(t, spans);
  find_addresses(t, spans);
  find_phones(t, spans);

  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.begin < b.begin;
  });
  std::vector<Span> merged;
  for (const Span& span : spans) {
    if (!merged.empty() && merged.back().kind == span.kind && span.begin < merged.back().end) {
      merged.back().end = std::max(merged.back().end, span.end);
      continue;
    }
    merged.push_back(span);
  }
  std::sort(merged.begin(), merged.end(), [](const Span& a, const Span& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.kind < b.kind;
  });

  std::vector<PersonalInfoFinding> findings;
  findings.reserve(merged.size());
  for (const Span& span : merged) {
    const std::size_t start = t.byte[span.begin];
    findings.push_back(PersonalInfoFinding{span.kind, start, t.byte[span.end] - start});
  }
  return findings;
}

std::vector<PersonalInfoKind> personal_info_kinds(const std::vector<std::string_view>& texts) {
  std::array<bool, 4> found{};
  for (std::string_view text : texts)
    for (const PersonalInfoFinding& f : find_personal_info(text))
      found[static_cast<std::size_t>(f.kind)] = true;
  std::vector<PersonalInfoKind> kinds;
  for (std::size_t k = 0; k < found.size(); ++k)
    if (found[k]) kinds.push_back(static_cast<PersonalInfoKind>(k));
  return kinds;
}

}  // namespace renkei::domain
