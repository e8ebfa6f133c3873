#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/codec/api_body.hpp"
#include "core/sources/ingest.hpp"
#include "daemon/commands.hpp"
#include "daemon/escape.hpp"
#include "daemon/load.hpp"
#include "daemon/progress.hpp"

namespace leadsync::daemon {
namespace {

struct EnqueueArgs {
  std::string config;
  std::string source;
  std::string format;
  std::string path;
  bool dry_run = false;
};

std::optional<std::string> ReadInput(const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  text << in.rdbuf();
  return text.str();
}

// Batches as the dispatcher would form them from this input alone:
// coalesced by key, oldest first, batch_size records a call.
void PrintBodies(const IngestBatch& batch, int batch_size) {
  std::vector<std::string> order;
  std::map<std::string, Lead> merged;
  for (const IncomingLead& lead : batch.leads) {
    auto [it, inserted] = merged.try_emplace(lead.key, lead.lead);
    if (inserted)
      order.push_back(lead.key);
    else
      it->second.MergeFrom(lead.lead);
  }
  for (std::size_t i = 0; i < order.size(); i += static_cast<std::size_t>(batch_size)) {
    std::vector<Lead> call;
    for (std::size_t j = i; j < std::min(order.size(), i + static_cast<std::size_t>(batch_size)); ++j) {
      call.push_back(merged[order[j]]);
    }
    std::cout << EncodeBatch(call) << "\n";
  }
}

// Large inputs go in chunks of their own transaction, so the progress line
// moves and a crash loses at most a chunk (a re-run enqueues it again).
EnqueueResult EnqueueInChunks(Queue& queue, const IngestBatch& batch, std::size_t bytes) {
  constexpr std::size_t kChunk = 5000;
  Progress progress(static_cast<std::int64_t>(batch.leads.size()), bytes);
  EnqueueResult total;
  const std::span<const IncomingLead> leads(batch.leads);
  for (std::size_t i = 0; i == 0 || i < leads.size(); i += kChunk) {
    const auto chunk = leads.subspan(i, std::min(kChunk, leads.size() - i));
    const auto rejections =
        i == 0 ? std::span<const Rejection>(batch.rejections) : std::span<const Rejection>();
    EnqueueResult r = queue.Enqueue(chunk, rejections, std::nullopt, SystemTimeSource().Now());
    total.inserted += r.inserted;
    total.coalesced += r.coalesced;
    total.rejected += r.rejected;
    progress.Update(static_cast<std::int64_t>(i + chunk.size()));
  }
  progress.Finish();
  return total;
}

const config::Source* FindSource(const config::Config& config, const std::string& name) {
  for (const auto& s : config.sources) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

int Enqueue(const EnqueueArgs& args) {
  auto config = LoadOrReport(args.config, config::SecretHandling::kSkip);
  if (!config) return 1;
  IngestOptions options{args.source.empty() ? "enqueue" : args.source, {}, std::nullopt};
  if (!args.source.empty()) {
    const config::Source* source = FindSource(*config, args.source);
    if (source == nullptr) {
      std::cerr << "leadsync: no source named '" << EscapeForDisplay(args.source) << "' in "
                << EscapeForDisplay(args.config) << "\n";
      return 2;
    }
    options.fields = FieldMap(source->fields.begin(), source->fields.end());
    options.search_by = source->search_by;
  }
  auto format = args.format.empty() ? FormatFromPath(args.path) : FormatFromName(args.format);
  if (!format) {
    std::cerr << "leadsync: cannot tell the format of " << EscapeForDisplay(args.path)
              << "; give --format csv|jsonl|json\n";
    return 2;
  }
  auto text = ReadInput(args.path);
  if (!text) {
    std::cerr << "leadsync: cannot read " << EscapeForDisplay(args.path) << "\n";
    return 1;
  }
  const std::string label = args.path == "-" ? "stdin" : std::filesystem::path(args.path).filename().string();
  IngestBatch batch = Ingest(*text, *format, options, label);
  for (const Rejection& r : batch.rejections) {
    std::cerr << EscapeForDisplay(r.location) << ": " << EscapeForDisplay(r.reason) << "\n";
  }
  if (args.dry_run) {
    PrintBodies(batch, config->leadsquared.batch_size);
    return batch.rejections.empty() ? 0 : 1;
  }
  auto queue = OpenQueueOrReport(*config, false);
  if (!queue) return 1;
  EnqueueResult r = EnqueueInChunks(*queue, batch, text->size());
  std::cerr << "enqueued " << batch.leads.size() << " record(s) (" << r.coalesced
            << " merged into pending ones), " << r.rejected << " rejected into the dead-letter store\n";
  return batch.rejections.empty() ? 0 : 1;
}

}  // namespace

void AddEnqueueCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("enqueue", "Ingest one file (or - for stdin) into the queue");
  auto args = std::make_shared<EnqueueArgs>();
  cmd->add_option("-c,--config", args->config, "Configuration file")->required();
  cmd->add_option("--source", args->source, "Use this source's fields and search_by, and its name");
  cmd->add_option("--format", args->format, "Input format")->check(CLI::IsMember({"csv", "jsonl", "json"}));
  cmd->add_flag("--dry-run", args->dry_run, "Print the API bodies (one call a line); leave the queue alone");
  cmd->add_option("path", args->path, "Input file, or - for standard input")->required();
  cmd->callback([args, &exit_code] { exit_code = Enqueue(*args); });
}

}  // namespace leadsync::daemon
