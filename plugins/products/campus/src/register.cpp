// The library's one exported symbol.
#include "campus_plugin.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_PRODUCT, "campus", "1.0.0",
                        "Campus one-card and SMS package shop (SearchPayPackages, PayMoney, "
                        "SearchSuccessData)",
                        payhost::campus::CampusPlugin);
