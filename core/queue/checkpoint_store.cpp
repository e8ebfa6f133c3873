#include "core/queue/checkpoint_store.hpp"

#include "core/queue/sqlite.hpp"

namespace leadsync {

Checkpoint CheckpointStore::Read(const std::string& source) {
  sqlite::Statement& s = db_.Prepare("SELECT checkpoint, epoch FROM checkpoints WHERE source = ?1");
  Checkpoint checkpoint;
  if (!s.Bind(1, source).Step()) return checkpoint;
  if (!s.IsNull(0)) checkpoint.value = s.Text(0);
  checkpoint.epoch = s.Int(1);
  s.Reset();
  return checkpoint;
}

bool CheckpointStore::Advance(const CheckpointUpdate& update, std::int64_t ingested) {
  if (update.expected_epoch && Read(update.source).epoch != *update.expected_epoch) return false;
  sqlite::Statement& s = db_.Prepare(
      "INSERT INTO checkpoints(source, checkpoint, ingested) VALUES(?1, ?2, ?3) "
      "ON CONFLICT(source) DO UPDATE SET checkpoint = ?2, ingested = ingested + ?3");
  s.Bind(1, update.source).Bind(2, update.value).Bind(3, ingested).Run();
  return true;
}

void CheckpointStore::Reset(const std::string& source, const std::optional<std::string>& value) {
  sqlite::Statement& s = db_.Prepare(
      "INSERT INTO checkpoints(source, checkpoint, epoch) VALUES(?1, ?2, 1) "
      "ON CONFLICT(source) DO UPDATE SET checkpoint = ?2, epoch = epoch + 1");
  s.Bind(1, source);
  if (value) {
    s.Bind(2, *value);
  } else {
    s.BindNull(2);
  }
  s.Run();
}

std::map<std::string, SourceState> CheckpointStore::All() {
  sqlite::Statement& s = db_.Prepare("SELECT source, checkpoint, ingested FROM checkpoints ORDER BY source");
  std::map<std::string, SourceState> out;
  while (s.Step()) out[s.Text(0)] = SourceState{s.Text(1), s.Int(2)};
  return out;
}

}  // namespace leadsync
