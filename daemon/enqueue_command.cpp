#include <fcntl.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "core/dispatch/batch_plan.hpp"
#include "core/sources/ingest_commit.hpp"
#include "core/sources/ingest_stream.hpp"
#include "core/sources/unique_fd.hpp"
#include "daemon/commands.hpp"
#include "daemon/config_option.hpp"
#include "daemon/escape.hpp"
#include "daemon/load.hpp"
#include "daemon/options/source_options.hpp"
#include "daemon/progress.hpp"
#include "daemon/queue_change.hpp"

namespace leadsync::daemon {
namespace {

// The input could not be read to its end.
class ReadFailed final : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct EnqueueArgs {
  std::string config;
  std::string source;
  std::string format;
  std::string path;
  std::string priority;  // empty: the source's, else normal
  bool dry_run = false;
};

// The input, read through one descriptor a chunk at a time: a regular file
// by offset (so its size gives the progress line an ETA), anything else
// (a pipe, standard input) as a stream.
struct Input {
  UniqueFd owned;
  IngestStream::Input stream;
  std::uint64_t size = 0;  // 0: unknown
};

std::optional<Input> OpenInput(const std::string& path) {
  Input input;
  int fd = STDIN_FILENO;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    input.owned = UniqueFd(fd);
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) return std::nullopt;
  input.stream.fd = fd;
  input.stream.seekable = S_ISREG(info.st_mode) && ::lseek(fd, 0, SEEK_CUR) == 0;
  if (input.stream.seekable) input.size = static_cast<std::uint64_t>(info.st_size);
  return input;
}

// Rejections on stderr as "file:line: reason", the first hundred of them:
// all of them are in the dead-letter store.
class RejectionPrinter final {
 public:
  void Print(const std::vector<Rejection>& rejections) {
    for (const Rejection& r : rejections) {
      if (++count_ <= kShown)
        std::cerr << EscapeForDisplay(r.location) << ": " << EscapeForDisplay(r.reason) << "\n";
    }
  }
  void Finish() const {
    if (count_ > kShown) std::cerr << "... and " << count_ - kShown << " more (leadsync dlq list)\n";
  }
  [[nodiscard]] std::int64_t count() const { return count_; }

 private:
  static constexpr std::int64_t kShown = 100;
  std::int64_t count_ = 0;
};

// The calls the daemon would make for this input alone, as core plans them;
// escaped for the terminal, the same JSON values the API would get.
void PrintBodies(IngestStream& stream, const config::LeadSquared& settings, RejectionPrinter& rejections) {
  BatchPlan plan(settings.batch_size, static_cast<std::size_t>(settings.max_request_bytes));
  for (IngestChunk chunk; chunk.state == IngestChunk::State::kMore;) {
    chunk = stream.Next(ChunkLimits{});
    rejections.Print(chunk.batch.rejections);
    plan.Add(chunk.batch.leads);
  }
  for (std::string body = plan.NextBody(); !body.empty(); body = plan.NextBody())
    std::cout << EscapeJsonForDisplay(body) << "\n";
}

// The room left under max_pending, waiting (with a line that says so) while
// there is none: the daemon delivers, and the backlog falls. Looks again
// when the queue's files change (the daemon committed), at least every
// second.
std::size_t WaitForRoom(Queue& queue, const QueueChange& change, std::int64_t max_pending,
                        Progress& progress) {
  while (true) {
    queue.Refresh();
    const std::int64_t backlog = queue.Backlog();
    if (const std::size_t room = RoomUnder(backlog, max_pending, ChunkLimits{}.records); room > 0)
      return room;
    progress.Waiting(backlog, max_pending);
    change.Wait(std::chrono::seconds(1));
  }
}

// Each chunk is its own transaction, so the progress line moves and a crash
// loses nothing committed (a re-run enqueues the rest again, and repeats
// merge into what is pending).
EnqueueResult EnqueueChunks(Queue& queue, const QueueChange& change, IngestStream& stream, const Input& input,
                            std::int64_t max_pending, RejectionPrinter& rejections) {
  Progress progress(input.size);
  EnqueueResult total;
  std::int64_t records = 0;
  for (IngestChunk chunk; chunk.state == IngestChunk::State::kMore;) {
    ChunkLimits limits;
    limits.records = WaitForRoom(queue, change, max_pending, progress);
    chunk = stream.Next(limits);
    if (chunk.state == IngestChunk::State::kFailed) throw ReadFailed(chunk.error);
    rejections.Print(chunk.batch.rejections);
    const CommitOutcome commit =
        CommitBatch(queue, std::move(chunk.batch), std::nullopt, SystemTimeSource().Now());
    total.inserted += commit.result.inserted;
    total.coalesced += commit.result.coalesced;
    total.rejected += commit.result.rejected;
    records += static_cast<std::int64_t>(commit.leads);
    progress.Update(records, chunk.end.offset);
  }
  progress.Finish();
  return total;
}

IngestOptions OptionsFor(const config::Config& config, const std::string& name, bool& found) {
  found = name.empty();
  for (const config::Source& source : config.sources) {
    if (source.name == name) {
      found = true;
      return IngestOptionsFrom(source, config.leadsquared.max_request_bytes);
    }
  }
  IngestOptions options{name.empty() ? "enqueue" : name, {}, std::nullopt};
  options.max_request_bytes = static_cast<std::size_t>(config.leadsquared.max_request_bytes);
  return options;
}

int Enqueue(const EnqueueArgs& args) {
  auto config = LoadOrReport(args.config, config::SecretHandling::kSkip);
  if (!config) return 1;
  bool found = false;
  IngestOptions options = OptionsFor(*config, args.source, found);
  if (!found) {
    std::cerr << "leadsync: no source named '" << EscapeForDisplay(args.source) << "' in "
              << EscapeForDisplay(args.config) << "\n";
    return 2;
  }
  if (!args.priority.empty()) options.priority = ParsePriority(args.priority).value_or(Priority::kNormal);
  auto format = args.format.empty() ? FormatFromPath(args.path) : FormatFromName(args.format);
  if (!format) {
    std::cerr << "leadsync: cannot tell the format of " << EscapeForDisplay(args.path)
              << "; give --format csv|jsonl|json\n";
    return 2;
  }
  std::optional<Input> input = OpenInput(args.path);
  if (!input) {
    std::cerr << "leadsync: cannot read " << EscapeForDisplay(args.path) << ": " << std::strerror(errno)
              << "\n";
    return 1;
  }
  const std::string label = args.path == "-" ? "stdin" : std::filesystem::path(args.path).filename().string();
  IngestStream stream(input->stream, *format, options, label);
  RejectionPrinter rejections;
  if (args.dry_run) {
    PrintBodies(stream, config->leadsquared, rejections);
    rejections.Finish();
    return rejections.count() == 0 ? 0 : 1;
  }
  auto queue = OpenQueueOrReport(*config, false);
  if (!queue) return 1;
  EnqueueResult r;
  try {
    r = EnqueueChunks(*queue, QueueChange(config->queue.path), stream, *input, config->queue.max_pending,
                      rejections);
  } catch (const ReadFailed& e) {
    std::cerr << "\nleadsync: cannot read " << args.path << ": " << e.what()
              << " (what was read before is enqueued)\n";
    return 1;
  }
  rejections.Finish();
  std::cerr << "enqueued " << r.inserted + r.coalesced << " record(s) (" << r.coalesced
            << " merged into pending ones), " << r.rejected << " rejected into the dead-letter store\n";
  return rejections.count() == 0 ? 0 : 1;
}

}  // namespace

void AddEnqueueCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("enqueue", "Ingest one file (or - for stdin) into the queue");
  auto args = std::make_shared<EnqueueArgs>();
  AddConfigOption(*cmd, args->config);
  cmd->add_option("--source", args->source, "Use this source's fields, search_by, caps and name");
  cmd->add_option("--format", args->format, "Input format")->check(CLI::IsMember({"csv", "jsonl", "json"}));
  cmd->add_option("--priority", args->priority, "The records' priority (default: the source's, else normal)")
      ->check(CLI::IsMember({"high", "normal", "low"}));
  cmd->add_flag("--dry-run", args->dry_run, "Print the API bodies (one call a line); leave the queue alone");
  cmd->add_option("path", args->path, "Input file, or - for standard input")->type_name("FILE")->required();
  cmd->callback([args, &exit_code] { exit_code = Enqueue(*args); });
}

}  // namespace leadsync::daemon
