// The handover packet (domain::HandoverPacket, CONTINUITY.md §2) as JSON
// (GET /api/orgs/<o>/handover), Markdown (…/handover.md, a download) and a
// print-ready A4 HTML page (…/handover.html; its stylesheet is /print.css,
// its only script /minutes.js, so the server's Content-Security-Policy
// holds). Every user text is escaped for its format. The shapes are
// described in server/docs/RECORD.md ("Handover packet"). Pure; any thread.
#pragma once

#include <string>
#include <string_view>

#include "domain/handover_packet.hpp"

namespace renkei::protocol {

std::string encode_handover_packet(const domain::HandoverPacket& packet);
std::string render_handover_markdown(const domain::HandoverPacket& packet);
std::string render_handover_html(const domain::HandoverPacket& packet);

// "引き継ぎ資料_<organisation>_<today>.<extension>" (unsafe characters
// replaced) and the ASCII fallback "handover-<org id>-<today>.<extension>".
std::string handover_file_name(const domain::HandoverPacket& packet, std::string_view extension);
std::string handover_ascii_file_name(const domain::HandoverPacket& packet,
                                     std::string_view extension);

// "2027年4月1日" of "2027-04-01"; of an instant ("…Z"), its day in JST.
// The text itself when it is neither.
std::string japanese_date(std::string_view date_or_instant);

}  // namespace renkei::protocol
