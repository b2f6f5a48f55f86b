// How a webhook endpoint is shown in logs and listings. Receivers often put a token in
// the URL's query or user info; neither is shown.
#pragma once

#include <string>

namespace payhost::host::webhooks {

// "https://user:token@hooks.example.com/pingpp?key=..." -> "https://hooks.example.com/pingpp",
// made printable on one line.
std::string endpoint_for_log(const std::string& url);

}  // namespace payhost::host::webhooks
