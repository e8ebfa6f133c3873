#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace leadsync::testing {

struct HttpResult {
  int status = 0;  // 0 when the connection failed
  std::string body;
  std::map<std::string, std::string> headers;
};

// One blocking HTTP/1.1 request to 127.0.0.1:`port`, for tests only.
[[nodiscard]] HttpResult HttpRequest(std::uint16_t port, const std::string& method, const std::string& target,
                                     const std::string& body = "",
                                     const std::map<std::string, std::string>& headers = {});

}  // namespace leadsync::testing
