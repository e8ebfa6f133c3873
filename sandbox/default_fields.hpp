#pragma once

#include <string_view>

namespace leadsync {

// The lead fields a sandbox serves when it is given none (`sandbox
// --fields`), in LeadsMetaData.Get's own form: the common built-in fields
// and a few custom ones (a Select with options, a Text with a MaxLength, a
// Date), so that `check --online` and leadsquared.validate have something
// real to read.
[[nodiscard]] std::string_view DefaultSandboxFields();

}  // namespace leadsync
