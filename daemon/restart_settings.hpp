#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace leadsync::daemon {

// The settings a reload cannot apply (the queue's and the metrics
// endpoint's: the running daemon holds the file and the socket), one line
// for each that `next` changes, naming the key, the new value and the one
// still in use: "metrics.listen changed to 0.0.0.0:9200; still serving
// 127.0.0.1:9100 until restart". Empty when none changed.
[[nodiscard]] std::vector<std::string> DescribeRestartSettings(const config::Config& running,
                                                               const config::Config& next);

}  // namespace leadsync::daemon
