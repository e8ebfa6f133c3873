#pragma once

#include <exception>
#include <optional>
#include <string>

namespace leadsync::testing {

// The message of a coroutine's failure, taken on the thread that caught it.
// Tests hand this text across threads rather than the exception_ptr: the
// exception's reference count lives in the uninstrumented C++ runtime, so
// ThreadSanitizer cannot see that two threads sharing one are ordered.
inline std::optional<std::string> ErrorText(const std::exception_ptr& error) {
  if (!error) return std::nullopt;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace leadsync::testing
