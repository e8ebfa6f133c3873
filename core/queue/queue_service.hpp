#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

#include "core/queue/queue.hpp"
#include "core/queue/queue_failure.hpp"

namespace leadsync {

template <class Role>
class QueueRole;

// Gives the Queue one owner thread, so that SQLite's fsyncs and parsing
// never stall the network loop. Coroutines on the loop co_await
// Submit(work); the work runs on the queue thread, one item at a time, and
// the coroutine resumes on its own executor with the result (or the
// exception). A part that needs one role of the queue gets a QueueRole
// (Role<DispatchQueue>() for the dispatcher) and submits work against that
// role only.
//
// With Threading::kInline the work runs at once on the caller's thread
// instead: for unit tests that drive a loop by hand and must not race a
// second thread.
//
// A failure of the queue itself (QueueFailureReason) is reported to the
// observer, on the queue thread, before the exception reaches the caller.
class QueueService final {
 public:
  enum class Threading { kOwnThread, kInline };

  explicit QueueService(std::unique_ptr<Queue> queue, Threading threading = Threading::kOwnThread)
      : queue_(std::move(queue)) {
    if (threading == Threading::kOwnThread) pool_.emplace(1);
  }
  ~QueueService() { Shutdown(); }
  QueueService(const QueueService&) = delete;
  QueueService& operator=(const QueueService&) = delete;

  using FailureObserver = std::function<void(std::string_view reason)>;
  // Set before the first Submit.
  void OnFailure(FailureObserver observer) { on_failure_ = std::move(observer); }

  // Runs work(queue) on the queue thread; `work` may take any role of Queue.
  template <class Work>
  [[nodiscard]] boost::asio::awaitable<std::invoke_result_t<Work, Queue&>> Submit(Work work) {
    co_return co_await Run([this, &work] { return work(*queue_); });
  }

  // Runs work() on the queue thread, for a QueueRole: `work` touches only
  // the queue, or what its caller keeps alive and leaves alone meanwhile.
  template <class Work>
  [[nodiscard]] boost::asio::awaitable<std::invoke_result_t<Work>> Run(Work work) {
    using Result = std::invoke_result_t<Work>;
    if (!pool_) co_return Observed(work);
    co_return co_await boost::asio::co_spawn(
        *pool_, [this, &work]() -> boost::asio::awaitable<Result> { co_return Observed(work); },
        boost::asio::use_awaitable);
  }

  // One role of this queue, for a part that needs only it.
  template <class R>
  [[nodiscard]] QueueRole<R> Role() {
    return QueueRole<R>(*this, *queue_);
  }

  // Stops taking work once what was posted has run; then the Queue may be
  // closed from any thread.
  void Shutdown() {
    if (pool_) pool_->join();
  }
  // For the owner after Shutdown(), or for single-threaded tools.
  [[nodiscard]] Queue& queue() { return *queue_; }

 private:
  template <class Work>
  std::invoke_result_t<Work> Observed(Work& work) {
    try {
      return work();
    } catch (const std::exception& e) {
      const std::string_view reason = QueueFailureReason(e);
      if (on_failure_ && !reason.empty()) on_failure_(reason);
      throw;
    }
  }

  std::unique_ptr<Queue> queue_;
  FailureObserver on_failure_;
  std::optional<boost::asio::thread_pool> pool_;
};

// One role of a queue (DispatchQueue, IngestQueue, ...) reached through a
// QueueService: work submitted here runs on the queue thread against that
// role alone. A test hands a part a QueueRole over a double of its role.
// Copyable; borrows the service and the role, which must outlive it.
template <class Role>
class QueueRole final {
 public:
  QueueRole(QueueService& service, Role& role) : service_(&service), role_(&role) {}
  // A wider role narrowed (a DispatchQueue's CallStartStore); compiles only
  // when Wider derives from Role.
  template <class Wider>
  QueueRole(const QueueRole<Wider>& wider)  // implicit: a narrower view of the same queue
      : service_(&wider.service()), role_(&wider.role()) {}

  template <class Work>
  [[nodiscard]] boost::asio::awaitable<std::invoke_result_t<Work, Role&>> Submit(Work work) {
    co_return co_await service_->Run([role = role_, &work] { return work(*role); });
  }

  [[nodiscard]] QueueService& service() const { return *service_; }
  // For single-threaded use only (tools, tests): no hop to the queue thread.
  [[nodiscard]] Role& role() const { return *role_; }

 private:
  QueueService* service_;
  Role* role_;
};

}  // namespace leadsync
