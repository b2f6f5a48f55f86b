// A plugin's option table rendered for people: the terminal (`payhostd plugins describe`) and
// the Markdown the documentation embeds (`--markdown`). Both come from the table itself, so
// the docs cannot describe options the plugin does not have.
#pragma once

#include <string>
#include <vector>

#include "payhost/sdk/options.hpp"

namespace payhost::host {

// Indented text, one option per entry: name (type, flags, default, choices) and description.
std::string describe_options(const std::vector<sdk::OptionSpec>& specs);

// A Markdown table: option | type | default | meaning. Cells are escaped (`|`, newlines) so a
// description cannot break the table. A plugin without options gets one sentence instead.
std::string options_markdown(const std::vector<sdk::OptionSpec>& specs);

}  // namespace payhost::host
