#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "config/config.hpp"
#include "config/loader.hpp"
#include "core/queue/queue.hpp"

namespace leadsync::daemon {

// Loads and validates the config; prints each problem as FILE:LINE:COL:
// message on stderr and returns nullopt when there is any. With
// `print_warnings`, warnings are printed too, as FILE:LINE:COL: warning:
// message; with `warnings`, they are stored there (the daemon logs them once
// its logging is set up). Reading the secrets (kRead), it first turns core
// dumps off for the process (ForbidCoreDumps), which holds them from then on,
// and checks the host for the sources (HostCheck::kCheck).
[[nodiscard]] std::optional<config::Config> LoadOrReport(
    const std::filesystem::path& file, config::SecretHandling secrets = config::SecretHandling::kRead,
    bool print_warnings = false, std::vector<config::ConfigError>* warnings = nullptr);

// Opens the configured queue for a command (not as its owner, so a running
// daemon is not disturbed); prints the error and returns null on failure.
[[nodiscard]] std::unique_ptr<Queue> OpenQueueOrReport(const config::Config& config, bool read_only);

}  // namespace leadsync::daemon
