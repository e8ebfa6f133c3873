#include "core/codec/api_body.hpp"
#include "core/queue/queue.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {

void Queue::Settle(const Settlement& s) {
  sqlite::Transaction tx(*db_);
  for (const Delivered& d : s.delivered) Deliver(d, s);
  for (const DeadLetter& d : s.dead) Bury(d, s.at);
  for (const RetryLater& r : s.retry) ReturnToPending(r.id, r.not_before, true);
  for (std::int64_t id : s.released) ReturnToPending(id, std::nullopt, false);
  tx.Commit();
}

void Queue::Deliver(const Delivered& d, const Settlement& s) {
  sqlite::Statement row(*db_, "SELECT key, lead FROM records WHERE id = ?1 AND state = 1");
  if (!row.Bind(1, d.id).Step()) return;
  if (journal_) Journal(row.Text(0), row.Text(1), s, &d.row);
  sqlite::Statement del(*db_, "DELETE FROM records WHERE id = ?1");
  del.Bind(1, d.id).Run();
  --in_flight_;
}

void Queue::Journal(const std::string& key, const std::string& lead, const Settlement& s,
                    const RowResult* row) {
  sqlite::Statement j(*db_,
                      "INSERT INTO history(key, at, status, lead_id, created, updated, attributes) "
                      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  j.Bind(1, key).Bind(2, ToUnixMillis(s.at)).Bind(3, std::int64_t{s.status});
  j.Bind(4, row != nullptr ? row->lead_id : std::string());
  j.Bind(5, std::int64_t{row != nullptr && row->created})
      .Bind(6, std::int64_t{row != nullptr && row->updated});
  j.Bind(7, lead).Run();
}

void Queue::Bury(const DeadLetter& d, TimePoint at) {
  sqlite::Statement row(*db_,
                        "SELECT key, source, lead, attempts, first_seen, state FROM records WHERE id = ?1");
  if (!row.Bind(1, d.id).Step()) return;
  if (journal_) {
    Settlement s{at, d.status.value_or(0), {}, {}, {}, {}};
    Journal(row.Text(0), row.Text(2), s, nullptr);
  }
  sqlite::Statement ins(
      *db_,
      "INSERT INTO dead_letters(key, source, reason, status, exception_type, message, attempts, "
      "first_seen, dead_lettered_at, record) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  ins.Bind(1, row.Text(0)).Bind(2, row.Text(1)).Bind(3, d.reason);
  ins.Bind(4, d.status ? std::optional<std::int64_t>(*d.status) : std::nullopt);
  ins.Bind(5, d.exception_type).Bind(6, d.message).Bind(7, row.Int(3) + 1).Bind(8, row.Int(4));
  ins.Bind(9, ToUnixMillis(at)).Bind(10, row.Text(2)).Run();
  (row.Int(5) == 1 ? in_flight_ : pending_) -= 1;
  ++dead_letter_;
  sqlite::Statement del(*db_, "DELETE FROM records WHERE id = ?1");
  del.Bind(1, d.id).Run();
}

// Back to pending. A newer change to the same key may have arrived while this
// one was in flight: it is merged on top (later value wins) and this row,
// being older, keeps its place in line.
void Queue::ReturnToPending(std::int64_t id, std::optional<TimePoint> not_before, bool count_attempt) {
  sqlite::Statement row(*db_, "SELECT key, lead FROM records WHERE id = ?1 AND state = 1");
  if (!row.Bind(1, id).Step()) return;
  std::string lead = row.Text(1);
  sqlite::Statement newer(*db_, "SELECT id, lead FROM records WHERE key = ?1 AND state = 0");
  if (newer.Bind(1, row.Text(0)).Step()) {
    auto merged = DecodeRecord(lead);
    auto update = DecodeRecord(newer.Text(1));
    if (!merged || !update) throw QueueError("queue holds an unreadable record for key " + row.Text(0));
    merged->MergeFrom(*update);
    lead = EncodeRecord(*merged);
    sqlite::Statement del(*db_, "DELETE FROM records WHERE id = ?1");
    del.Bind(1, newer.Int(0)).Run();
    --pending_;
  }
  sqlite::Statement upd(*db_,
                        "UPDATE records SET state = 0, lead = ?2, attempts = attempts + ?3, "
                        "not_before = MAX(not_before, ?4) WHERE id = ?1");
  upd.Bind(1, id).Bind(2, lead).Bind(3, std::int64_t{count_attempt});
  upd.Bind(4, not_before ? ToUnixMillis(*not_before) : std::int64_t{0}).Run();
  --in_flight_;
  ++pending_;
}

}  // namespace leadsync
