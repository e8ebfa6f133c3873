#include "core/queue/dead_letter_store.hpp"

#include "core/codec/input_parser.hpp"
#include "core/queue/dead_letter_reasons.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

constexpr const char* kInsert =
    "INSERT INTO dead_letters(key, source, reason, status, exception_type, message, attempts, first_seen, "
    "dead_lettered_at, record, priority) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

// " WHERE id IN (1,2,3)", or nothing for all.
std::string IdFilter(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return "";
  std::string in = " WHERE id IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) in += (i ? "," : "") + std::to_string(ids[i]);
  return in + ")";
}

}  // namespace

void DeadLetterStore::AddRefused(const StoredRecord& row, const DeadLetter& dead, TimePoint at) {
  sqlite::Statement& s = db_.Prepare(kInsert);
  s.Bind(1, row.key).Bind(2, row.source).Bind(3, dead.reason);
  s.Bind(4, dead.status ? std::optional<std::int64_t>(*dead.status) : std::nullopt);
  s.Bind(5, dead.exception_type).Bind(6, dead.message).Bind(7, std::int64_t{row.attempts + 1});
  s.Bind(8, ToUnixMillis(row.first_seen)).Bind(9, ToUnixMillis(at)).Bind(10, row.record);
  s.Bind(11, PriorityValue(row.priority)).Run();
}

void DeadLetterStore::AddUnreadable(const StoredRecord& row, TimePoint at) {
  sqlite::Statement& s = db_.Prepare(kInsert);
  s.Bind(1, row.key).Bind(2, row.source).Bind(3, dead_letter::kUnreadable).BindNull(4).Bind(5, "");
  s.Bind(6, "the queue row no longer decodes as a record; `record` holds its raw text");
  s.Bind(7, std::int64_t{row.attempts}).Bind(8, ToUnixMillis(row.first_seen)).Bind(9, ToUnixMillis(at));
  s.Bind(10, row.record).Bind(11, PriorityValue(row.priority)).Run();
}

void DeadLetterStore::AddRejected(const Rejection& r, TimePoint at) {
  sqlite::Statement& s = db_.Prepare(kInsert);
  const std::string message = r.location.empty() ? r.reason : r.location + ": " + r.reason;
  // A schema refusal has its own reason, so that `dlq replay` can take those
  // back once the account has the field.
  const char* reason = r.category == reject::kSchema ? dead_letter::kSchema : dead_letter::kRejected;
  s.Bind(1, r.key).Bind(2, r.source).Bind(3, reason).BindNull(4).Bind(5, "").Bind(6, message);
  s.Bind(7, std::int64_t{0}).Bind(8, ToUnixMillis(at)).Bind(9, ToUnixMillis(at)).Bind(10, r.record);
  s.Bind(11, PriorityValue(Priority::kNormal)).Run();
}

std::vector<DeadLetterEntry> DeadLetterStore::List(const std::vector<std::int64_t>& ids) {
  sqlite::Statement& s = db_.Prepare(
      "SELECT id, key, source, reason, status, exception_type, message, attempts, first_seen, "
      "dead_lettered_at, record, priority FROM dead_letters" +
      IdFilter(ids) + " ORDER BY id");
  std::vector<DeadLetterEntry> out;
  while (s.Step()) {
    DeadLetterEntry e{s.Int(0),
                      s.Text(1),
                      s.Text(2),
                      s.Text(3),
                      std::nullopt,
                      s.Text(5),
                      s.Text(6),
                      static_cast<int>(s.Int(7)),
                      FromUnixMillis(s.Int(8)),
                      FromUnixMillis(s.Int(9)),
                      s.Text(10),
                      PriorityFromValue(s.Int(11))};
    if (!s.IsNull(4)) e.status = static_cast<int>(s.Int(4));
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t DeadLetterStore::Remove(const std::vector<std::int64_t>& ids) {
  db_.Exec("DELETE FROM dead_letters" + IdFilter(ids));
  return db_.Changes();
}

std::int64_t DeadLetterStore::RemoveBefore(TimePoint before) {
  sqlite::Statement& s = db_.Prepare(DeadLetterQueries::kRemoveBefore);
  s.Bind(1, ToUnixMillis(before)).Run();
  return db_.Changes();
}

}  // namespace leadsync
