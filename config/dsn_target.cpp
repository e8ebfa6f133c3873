#include "config/dsn_target.hpp"

#include <libpq-fe.h>

#include <cstring>
#include <map>

namespace leadsync::config {

std::string DescribeDsnTarget(const std::string& dsn) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return "(unreadable DSN)";
  }
  std::map<std::string, std::string> set;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    for (const char* key : {"host", "hostaddr", "port", "dbname"}) {
      if (o->val != nullptr && o->val[0] != '\0' && std::strcmp(o->keyword, key) == 0) set[key] = o->val;
    }
  }
  PQconninfoFree(options);
  std::string target = set.contains("host") ? set["host"] : set["hostaddr"];
  if (set.contains("port")) target += ":" + set["port"];
  return target + "/" + set["dbname"];
}

}  // namespace leadsync::config
