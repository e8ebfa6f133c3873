#pragma once

namespace leadsync {

// What becomes of an empty value: an empty CSV cell, a JSON null, a SQL NULL
// (a source's `empty`). The decoders apply it, keeping such a value as "" or
// leaving it out; a JSON empty string is a value either way.
enum class EmptyValues {
  kSkip,   // left out: a field is never cleared by accident
  kClear,  // kept as "", which clears the field in LeadSquared
};

}  // namespace leadsync
