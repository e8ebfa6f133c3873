#pragma once

#include <string>
#include <string_view>

#include "config/yaml_walker.hpp"

namespace leadsync::config {

// Reads the required secret `key` (access_key, secret_key, dsn, token) from
// `map`, given either inline as `key` or as a path in `key`_file. A file is
// read whole, less one trailing newline ("\n" or "\r\n"); a relative path is
// resolved against the config file's directory. Reports both keys given,
// neither, an unreadable file (naming the path, at the key) and an empty
// secret; the secret itself never appears in a message. Leaves `out` alone
// on error.
void GetSecret(MapReader& map, std::string_view key, std::string& out);

}  // namespace leadsync::config
