#pragma once

#include <filesystem>

namespace leadsync {

// Creates `path` empty with mode 0600 whatever the umask (a queue file or a
// copy of one holds every lead), failing if anything already lives there:
// a copy never writes through a file or link it did not create. Throws
// QueueError naming the file.
void CreateNewPrivateFile(const std::filesystem::path& path);

// Makes a finished copy durable under its final name: fsyncs `from`, renames
// it to `to` (replacing what was there) and fsyncs the directory. Throws
// QueueError.
void PublishFile(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace leadsync
