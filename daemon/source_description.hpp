#pragma once

#include <string>

#include "config/config.hpp"

namespace leadsync::daemon {

// One line for the start log naming a source and where it reads:
// "source signups: spool /var/spool/leadsync/signups, priority normal",
// "source crm: postgres db.internal:5432/crm, priority low" (a DSN's host
// and database only: never its user or password), "source forms: webhook
// listening on 127.0.0.1:8088 (HTTPS), priority high".
[[nodiscard]] std::string DescribeSource(const config::Source& source);

}  // namespace leadsync::daemon
