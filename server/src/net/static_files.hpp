// The browser client's static files, served from one folder. Only plain
// paths of [A-Za-z0-9._-/] without ".." are served; anything else is 404.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace renkei::net {

// The file for a request target ("/" means "/index.html"), or nothing.
std::optional<std::string> static_file_path(const std::string& root, std::string_view target);

// The Content-Type for a file name, by extension.
std::string_view mime_type(std::string_view path);

// The Content-Security-Policy sent with every response: scripts, styles and
// connections from this origin only, no inline script.
inline constexpr std::string_view content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

}  // namespace renkei::net
