// Search latency against a council's size: a real log (store::Database) and
// its trigram index file (store::SearchIndexWriter) with 1k, 10k and 50k
// texts in the council searched, beside a second council of the same size,
// queried as GET /api/councils/<id>/search queries them (the terms through
// domain::search_terms, 50 hits at most). Prints, per size and query, the
// hits and the median and p95 of the query's latency.
//
//   renkei_search_bench [--sizes 1000,10000,50000] [--runs N] [--dir DIR] [--keep]
//
// Each size is a fresh database in a temporary directory, removed after
// unless --keep (then its path is printed, to look at with sqlite3).
// Texts are issue texts made of the domain's words; a rare term occurs in
// three texts of the council, a common one in about a third of them.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "domain/search_text.hpp"
#include "store/database.hpp"
#include "store/search_index.hpp"

namespace {

using renkei::store::Database;
using renkei::store::EventRow;
using renkei::store::SearchIndexWriter;

constexpr std::size_t max_hits = 50;  // as the HTTP search answers

const std::vector<std::string> subjects = {"退院調整",
                                           "訪問看護",
                                           "ケアマネジャー",
                                           "地域包括支援センター",
                                           "主治医意見書",
                                           "服薬管理",
                                           "家族介護者",
                                           "通所リハビリ",
                                           "認知症初期集中支援",
                                           "入退院支援",
                                           "夜間の対応",
                                           "情報共有シート",
                                           "看取り",
                                           "医療的ケア児",
                                           "精神科訪問",
                                           "民生委員",
                                           "見守り",
                                           "移動支援",
                                           "口腔ケア",
                                           "栄養指導"};
const std::vector<std::string> predicates = {
    "の運用に病院ごとの差がある", "の担い手が足りない",     "の連絡が遅れることがある",
    "の様式が統一されていない",   "について役割分担が曖昧", "の研修が必要",
    "の相談窓口が分かりにくい",   "に時間がかかっている",   "の評価指標を決めたい"};
const std::vector<std::string> places = {"北広島町", "安芸高田市", "中部圏域",
                                         "西部圏域", "山間部",     "市街地"};

// Issue texts of one council: mostly the domain's phrases; text number
// 1/4, 2/4 and 3/4 of the way hold the rare term; a third hold the common one.
std::vector<std::string> council_texts(std::size_t n, unsigned seed) {
  std::mt19937 random(seed);
  auto pick = [&](const std::vector<std::string>& words) { return words[random() % words.size()]; };
  std::vector<std::string> texts;
  texts.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::string text = pick(places) + "では" + pick(subjects) + pick(predicates) + "。";
    if (i % 3 == 0) text += "訪問看護ステーションとの調整も課題。";
    if (i == n / 4 || i == n / 2 || i == 3 * n / 4) text += "（福祉避難所の指定について要確認）";
    text += "番号" + std::to_string(i + 1) + "。";
    texts.push_back(std::move(text));
  }
  return texts;
}

void append(Database& db, const std::string& council, const std::vector<std::string>& texts) {
  constexpr std::size_t batch = 2000;
  for (std::size_t from = 0; from < texts.size(); from += batch) {
    std::vector<EventRow> rows;
    for (std::size_t i = from; i < std::min(texts.size(), from + batch); ++i) {
      EventRow row;
      row.council = council;
      row.seq = i + 1;
      row.op = "issue.posted";
      row.at = "2026-11-24T10:00:00.000Z";
      row.participant = "p1";
      row.by_name = "山田";
      row.by_org = "保健所";
      row.by_role = renkei::domain::Role::facilitator;
      row.meeting = council + "-m1";
      row.data = R"({"issue":")" + council + "-i" + std::to_string(i + 1) + R"(","text":")" +
                 texts[i] + R"("})";
      row.frame = "{}";
      rows.push_back(std::move(row));
    }
    std::vector<const EventRow*> pointers;
    for (const EventRow& row : rows) pointers.push_back(&row);
    db.append_events(pointers);
  }
}

struct Case {
  const char* label;
  std::string query;
};

std::size_t run_query(Database& db, const std::string& council, const std::string& query) {
  const auto terms = renkei::domain::search_terms(query);
  std::vector<std::string> patterns;
  bool short_term = false;
  for (const std::string& term : terms) {
    patterns.push_back(renkei::domain::search_like_pattern(term));
    short_term = short_term || renkei::domain::code_points(term) < 3;
  }
  const auto hits = short_term ? db.search_like(council, patterns, max_hits)
                               : db.search_match(council, renkei::domain::search_fts_query(terms),
                                                 patterns, max_hits);
  return hits.size();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

std::vector<std::size_t> parse_sizes(const std::string& text) {
  std::vector<std::size_t> sizes;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string part =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) sizes.push_back(std::stoul(part));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return sizes;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes = {1000, 10000, 50000};
  int runs = 21;
  std::string base = std::filesystem::temp_directory_path().string();
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--sizes" && i + 1 < argc)
      sizes = parse_sizes(argv[++i]);
    else if (arg == "--runs" && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--dir" && i + 1 < argc)
      base = argv[++i];
    else if (arg == "--keep")
      keep = true;
    else {
      std::fprintf(stderr,
                   "usage: renkei_search_bench [--sizes 1000,10000,50000] [--runs N] [--dir DIR] "
                   "[--keep]\n");
      return 2;
    }
  }
  const std::vector<Case> cases = {
      {"rare, 8 chars", "福祉避難所の指定"},
      {"common, 4 chars", "訪問看護"},
      {"absent, 6 chars", "災害拠点病院"},
      {"two terms", "退院調整 北広島町"},
      {"2 chars, common", "訪問"},
      {"2 chars, rare", "避難"},
      {"1 char", "訪"},
  };
  std::printf(
      "| texts in the council | query | hits | median ms | p95 ms |\n|---:|---|---:|---:|---:|\n");
  for (const std::size_t n : sizes) {
    char pattern[] = "renkei-search-bench-XXXXXX";
    const std::string dir_template = base + "/" + pattern;
    std::vector<char> dir_name(dir_template.begin(), dir_template.end());
    dir_name.push_back('\0');
    if (::mkdtemp(dir_name.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    const std::string dir = dir_name.data();
    const std::string path = dir + "/renkei.db";
    {
      Database db(path);
      append(db, "c1", council_texts(n, 1));
      append(db, "c2", council_texts(n, 2));
      {
        SearchIndexWriter index(path);
        index.index(index.log_heads(), 2 * n + 1);
      }
      for (const Case& c : cases) {
        std::vector<double> ms;
        std::size_t hits = 0;
        run_query(db, "c1", c.query);  // warm the page cache and the statements
        for (int r = 0; r < runs; ++r) {
          const auto start = std::chrono::steady_clock::now();
          hits = run_query(db, "c1", c.query);
          const std::chrono::duration<double, std::milli> took =
              std::chrono::steady_clock::now() - start;
          ms.push_back(took.count());
        }
        std::printf("| %zu | %s 「%s」 | %zu | %.2f | %.2f |\n", n, c.label, c.query.c_str(), hits,
                    percentile(ms, 0.5), percentile(ms, 0.95));
        std::fflush(stdout);
      }
    }
    if (keep)
      std::printf("(kept: %s)\n", path.c_str());
    else
      std::filesystem::remove_all(dir);
  }
  return 0;
}
