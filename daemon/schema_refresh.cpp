#include "daemon/schema_refresh.hpp"

#include <fmt/chrono.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "core/http/schema_fetch.hpp"
#include "daemon/options/client_options.hpp"

namespace leadsync::daemon {
namespace {

SchemaValidationMode ModeOf(config::Validate validate) {
  switch (validate) {
    case config::Validate::kOff:
      return SchemaValidationMode::kOff;
    case config::Validate::kReject:
      return SchemaValidationMode::kReject;
    case config::Validate::kWarn:
      break;
  }
  return SchemaValidationMode::kWarn;
}

std::string Described(TimePoint at) {
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(at);
  return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", fmt::gmtime(WallClock::to_time_t(seconds)));
}

}  // namespace

SchemaRefresh::SchemaRefresh(boost::asio::any_io_executor executor, QueueRole<SchemaStore> store,
                             Clock& clock, const config::LeadSquared& settings)
    : executor_(std::move(executor)), store_(store), clock_(clock), settings_(settings) {
  if (settings.validate == config::Validate::kOff) return;
  validation_ = std::make_shared<SchemaValidation>(ModeOf(settings.validate), clock_);
  timer_ = clock_.MakeTimer();
}

SchemaRefresh::~SchemaRefresh() = default;

void SchemaRefresh::LoadStored() {
  if (!validation_) return;
  std::optional<StoredLeadSchema> stored;
  try {
    stored = store_.role().LoadLeadSchema();
  } catch (const std::exception& e) {
    spdlog::warn("schema: cannot read the one kept in the queue: {}", e.what());
  }
  std::string error;
  std::optional<LeadSchema> schema = stored ? ParseLeadSchema(stored->body, &error) : std::nullopt;
  if (!schema) {
    spdlog::info("schema: none kept in the queue; records are not validated until LeadsMetaData.Get answers");
    return;
  }
  validation_->Replace(std::make_shared<const LeadSchema>(std::move(*schema)));
  kept_at_ = stored->fetched_at;
  spdlog::info("schema: validating with the one kept in the queue, fetched at {}", Described(*kept_at_));
}

void SchemaRefresh::Start() {
  if (!validation_) return;
  boost::asio::co_spawn(executor_, Run(), [](const std::exception_ptr& e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& error) {
      spdlog::error("schema: refresh stopped: {}", error.what());
    }
  });
}

void SchemaRefresh::Stop() {
  stopped_ = true;
  if (timer_) timer_->Cancel();
  if (client_) client_->Close();
}

void SchemaRefresh::Reconfigure(const config::LeadSquared& settings) {
  if (settings.validate != settings_.validate) {
    spdlog::warn("reload: leadsquared.validate takes effect at the next restart");
  }
  const config::Validate validate = settings_.validate;
  settings_ = settings;
  settings_.validate = validate;
}

ClientOptions SchemaRefresh::FetchOptions() const {
  ClientOptions options = ClientOptionsFrom(settings_);
  options.request_timeout = std::min(options.request_timeout, Duration{std::chrono::seconds(15)});
  // An account's field list, options included, runs to hundreds of KiB.
  options.body_limit = std::size_t{16} * 1024 * 1024;
  return options;
}

boost::asio::awaitable<void> SchemaRefresh::Run() {
  while (!stopped_) {
    const bool fetched = co_await FetchOnce();
    if (stopped_) break;
    co_await timer_->WaitUntil(clock_.Now() + (fetched ? kPeriod : kRetryPeriod));
  }
}

boost::asio::awaitable<bool> SchemaRefresh::FetchOnce() {
  client_ = std::make_unique<LeadSquaredClient>(executor_, FetchOptions());
  const ApiOutcome outcome = co_await client_->GetLeadsMetaData();
  client_.reset();
  if (stopped_) co_return false;
  SchemaFetch fetch = JudgeSchemaAnswer(outcome);
  if (!fetch.schema) {
    if (kept_at_) {
      spdlog::warn("schema: {}; validating with the one fetched at {}", fetch.error, Described(*kept_at_));
    } else {
      spdlog::warn("schema: {}; running without schema validation until a fetch succeeds", fetch.error);
    }
    co_return false;
  }
  const std::size_t fields = fetch.schema->fields().size();
  validation_->Replace(std::make_shared<const LeadSchema>(std::move(*fetch.schema)));
  const StoredLeadSchema kept{std::move(fetch.body), clock_.Now()};
  kept_at_ = kept.fetched_at;
  try {
    // By reference: `kept` lives in this frame until the work is done, and a
    // capture with a destructor in a co_await'ed temporary is destroyed twice
    // by GCC 12 (a known coroutine bug).
    co_await store_.Submit([&kept](SchemaStore& store) { store.StoreLeadSchema(kept); });
  } catch (const std::exception& e) {
    spdlog::warn("schema: cannot keep it in the queue: {}", e.what());
  }
  spdlog::info("schema: {} lead field(s) from LeadsMetaData.Get; validating ({})", fields,
               settings_.validate == config::Validate::kReject ? "reject" : "warn");
  co_return true;
}

}  // namespace leadsync::daemon
