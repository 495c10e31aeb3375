// The minutes of a meeting (domain::Minutes) as documents: Markdown for
// editing and sharing, and an HTML page to print on A4 (its stylesheet is
// /print.css, client-web/print.css; no inline style or script, so the
// server's Content-Security-Policy holds). Every user text is escaped for
// the format. Layout described in server/docs/RECORD.md ("Minutes").
#pragma once

#include <string>
#include <string_view>

#include "domain/minutes.hpp"

namespace renkei::protocol {

std::string render_minutes_markdown(const domain::Minutes& minutes);
std::string render_minutes_html(const domain::Minutes& minutes);

// "議事録_<title>_<YYYY-MM-DD>.<extension>" (unsafe characters replaced) and
// the ASCII fallback "minutes-<meeting id>.<extension>".
std::string minutes_file_name(const domain::Minutes& minutes, std::string_view extension);
std::string minutes_ascii_file_name(const domain::Minutes& minutes, std::string_view extension);

// Text made safe for Markdown: ASCII punctuation that Markdown reads
// (\ ` * _ [ ] < > # | ~ ! &) is backslash-escaped, and a line that would
// start a list, a heading or a rule (- + = 1.) is escaped at its start.
// Line breaks become `line_break`.
std::string markdown_text(std::string_view text, std::string_view line_break);

// The HTML page's only script, served by the server at minutes_script_path
// (an external file, so the page keeps a CSP without inline script): the
// 印刷 button prints the page. 戻る is a plain link.
inline constexpr std::string_view minutes_script_path = "/minutes.js";
inline constexpr std::string_view minutes_script =
    "// Renkei minutes page: the print button.\n"
    "const button = document.getElementById(\"print-minutes\");\n"
    "if (button) button.addEventListener(\"click\", () => window.print());\n";

// Text made safe for HTML content and attribute values (& < > " ').
std::string html_text(std::string_view text);

}  // namespace renkei::protocol
