// The SQLite store. See caseflow/sqlite_store.h and README.md "Database schema".
#include "caseflow/sqlite_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>
#include <set>
#include <utility>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "caseflow/case_id.h"
#include "caseflow/chain.h"
#include "caseflow/core.h"
#include "caseflow/hash.h"
#include "store/sqlite/schema.h"

namespace caseflow {

struct sqlite_store::impl {
  // Set while opening `db` (declared before it, so initialised first).
  std::optional<schema_migration> migration;
  const sqlite_options options;
  // The database is declared before the statements that use it (destroyed after them).
  SQLite::Database db;
  SQLite::Statement select_case;
  SQLite::Statement select_definition;
  SQLite::Statement insert_definition;
  SQLite::Statement insert_event;
  SQLite::Statement select_head;
  SQLite::Statement upsert_case;
  SQLite::Statement next_serial;
  SQLite::Statement bump_serial;
  SQLite::Statement insert_personal;
  SQLite::Statement select_personal;
  SQLite::Statement select_case_events;

  impl(const std::string& path, const sqlite_options& opened_with)
      : options(opened_with),
        db(open(path, options, &migration)),
        select_case(db, "SELECT id, procedure, definition_hash, step, assignee, open, seq, state FROM cases WHERE id = ?"),
        select_definition(db, "SELECT text FROM definitions WHERE hash = ?"),
        insert_definition(db, "INSERT OR IGNORE INTO definitions(hash, procedure, version, text, first_used_at) "
                              "VALUES (?, ?, ?, ?, ?)"),
        insert_event(db, "INSERT INTO events(id, case_id, seq, at, actor, role, on_behalf_of, kind, action, from_step, "
                         "to_step, data, comment, definition_hash, prev_hash, hash, format, branch, org_version) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        select_head(db, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1"),
        upsert_case(db, "INSERT INTO cases(id, procedure, definition_hash, step, open, assignee, seq, opened_at, "
                        "updated_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT(id) DO UPDATE SET step = excluded.step, open = excluded.open, "
                        "assignee = excluded.assignee, seq = excluded.seq, updated_at = excluded.updated_at, "
                        "state = excluded.state"),
        next_serial(db, "INSERT INTO case_serials(period, last) VALUES (?, 1) "
                        "ON CONFLICT(period) DO UPDATE SET last = last + 1 RETURNING last"),
        bump_serial(db, "UPDATE case_serials SET last = ? WHERE period = ?"),
        insert_personal(db, "INSERT INTO personal_data(digest, case_id, field, value, scheme, digest_key) "
                            "VALUES (?, ?, ?, ?, ?, ?)"),
        select_personal(db, "SELECT value FROM personal_data WHERE digest = ?"),
        select_case_events(db, std::string(detail::k_event_columns) + " WHERE case_id = ? ORDER BY seq") {
    // An erasure's purge that a reader kept from finishing is tried again, without waiting.
    if (!options.read_only && db.execAndGet("SELECT count(*) FROM meta WHERE key = 'purge_pending'").getInt() > 0)
      purge(0);
  }

  // See personal_data::purge_erased; waits up to `wait_ms` for readers of older snapshots.
  bool purge(int wait_ms);

  static SQLite::Database open(const std::string& path, const sqlite_options& options,
                               std::optional<schema_migration>* migrated) {
    const bool in_memory = path == ":memory:";
    const bool existed = !in_memory && std::filesystem::exists(path);
    if (existed && std::filesystem::is_directory(path))
      throw store_error(fmt::format("{} is a folder, not a database file (give --db a file name)", path));
    if (options.read_only && !existed) throw store_error(fmt::format("{}: no such database", path));
    if (!existed && !in_memory) {
      // Owner-only from the first byte: the file holds personal data.
      const mode_t old_mask = ::umask(077);
      try {
        SQLite::Database created(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      } catch (const SQLite::Exception& e) {
        ::umask(old_mask);
        throw store_error(fmt::format("{}: cannot create the database: {}", path, e.what()));
      }
      ::umask(old_mask);
    }
    // Two processes opening a new database at once race to create the schema and switch
    // it to WAL; the loser sees SQLITE_BUSY outside any busy handler, so retry briefly.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
    bool immutable = false;  // see read_only_folder below
    for (;;) {
      try {
        SQLite::Database db(immutable ? immutable_uri(path) : path,
                            options.read_only ? SQLite::OPEN_READONLY | (immutable ? SQLite::OPEN_URI : 0)
                                              : SQLite::OPEN_READWRITE,
                            options.busy_timeout_ms);
        db.exec("PRAGMA foreign_keys = ON");
        db.exec("PRAGMA synchronous = NORMAL");
        // Freed space is zeroed, so no old copy of a value (a rewritten case, a moved index
        // cell, an erased row) lingers in the file's free areas.
        db.exec("PRAGMA secure_delete = ON");
        // The schema is checked first: a file that is not ours is not switched to WAL.
        *migrated = detail::prepare_schema(db, path, options);
        if (!options.read_only && db.execAndGet("PRAGMA journal_mode").getString() != "wal")
          db.exec("PRAGMA journal_mode = WAL");
        return db;
      } catch (const SQLite::Exception& e) {
        if (!immutable && read_only_folder(path, e)) {
          if (!options.read_only)
            throw store_error(fmt::format("{}: this user may not write the folder the database is in (SQLite keeps "
                                          "its -wal and -shm files beside it); give --read-only to read it; nothing "
                                          "was written",
                                          path));
          immutable = true;
          continue;
        }
        const bool busy = e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED;
        if (busy && std::chrono::steady_clock::now() < give_up) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          continue;
        }
        throw store_error(fmt::format("{}: {}", path, detail::explain_sqlite_error(e)));
      }
    }
  }

  // Whether a read-only open failed only because the database sits in a folder this process may
  // not write: SQLite reads a WAL database through a -shm file it must create beside it. When
  // there is no -wal file either, the main file holds every committed transaction and no writer
  // is at work (a writer keeps its -wal until it closes), so the file is read as immutable. A
  // writer that starts while such a read runs (the folder's owner) may make it report the file
  // corrupt; the README says so.
  static bool read_only_folder(const std::string& path, const SQLite::Exception& e) {
    if (e.getErrorCode() != SQLITE_READONLY && e.getErrorCode() != SQLITE_CANTOPEN) return false;
    std::error_code ignored;
    if (std::filesystem::exists(path + "-wal", ignored)) return false;
    const std::filesystem::path folder = std::filesystem::absolute(path).parent_path();
    return ::access(folder.c_str(), W_OK) != 0;
  }

  // `file:` URI of `path` with ?immutable=1 (RFC 3986 percent-encoding of every byte that is
  // not unreserved or '/').
  static std::string immutable_uri(const std::string& path) {
    std::string uri = "file:";
    for (const unsigned char c : std::filesystem::absolute(path).string()) {
      if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') uri += static_cast<char>(c);
      else uri += fmt::format("%{:02X}", c);
    }
    return uri + "?immutable=1";
  }

  // Replaces each personal field value in `fields` by its keyed digest, the value and a new
  // random key kept apart (caseflow/store.h, personal_value).
  nlohmann::json separate_personal(const procedure& p, const std::string& case_id, nlohmann::json fields) {
    for (auto& [name, v] : fields.items()) {
      const field_def* field = p.find_field(name);
      if (!field || !field->personal || v.is_null()) continue;
      const std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      const std::string key = random_hex(32);
      const std::string digest = personal_digest(k_personal_hmac, key, case_id, name, text);
      insert_personal.bind(1, digest);
      insert_personal.bind(2, case_id);
      insert_personal.bind(3, name);
      insert_personal.bind(4, text);
      insert_personal.bind(5, std::string(k_personal_hmac));
      insert_personal.bind(6, key);
      insert_personal.exec();
      insert_personal.reset();
      v = nlohmann::json{{"personal", digest}};
    }
    return fields;
  }

  commit_result write(commit_request& request);
  // A new id for `request` (a new case without one) from its pattern and local day.
  std::string allocate_id(const commit_request& request);
  bool case_exists(const std::string& id) {
    select_case.bind(1, id);
    const bool found = select_case.executeStep();
    select_case.reset();
    return found;
  }
  void read_head();
  void reset_statements();
  // Deletes the values and their digest keys (freed space is zeroed: secure_delete is on).
  void erase_personal(const commit_request& request, const std::string& case_id) {
    erased_in_transaction = true;
    SQLite::Statement erase(db, "UPDATE personal_data SET value = NULL, digest_key = NULL, erased_at = ?, "
                                "erased_by = ? WHERE case_id = ? AND field = ? AND value IS NOT NULL");
    for (const auto& field : request.erase_personal_fields) {
      erase.bind(1, request.events.empty() ? "" : format_instant_utc(request.events.front().at));
      erase.bind(2, request.erased_by);
      erase.bind(3, case_id);
      erase.bind(4, field);
      erase.exec();
      erase.reset();
    }
  }

  // An erasure was written in the open transaction (see commit_batch).
  bool erased_in_transaction = false;
  // The head of the log while a transaction is open.
  std::int64_t head_id = 0;
  std::string head_hash;
  // Definitions known to be stored (skips re-inserting the text on every commit).
  std::set<std::string> known_definitions;
  // Writes the outbox rows of each stored event (see outbox.h); unset = no outbox rows.
  outbox_router router;

  // The inverse of separate_personal for reading: digests become values (null when erased).
  void resolve_personal(nlohmann::json& fields) {
    if (!fields.is_object()) return;
    for (auto& [name, v] : fields.items()) {
      if (!v.is_object() || !v.contains("personal")) continue;
      select_personal.bind(1, v["personal"].get<std::string>());
      nlohmann::json resolved = nullptr;
      if (select_personal.executeStep() && !select_personal.getColumn(0).isNull())
        resolved = select_personal.getColumn(0).getString();
      select_personal.reset();
      v = resolved;
    }
  }
};

sqlite_store::sqlite_store(const std::string& path, sqlite_options options)
    : impl_(std::make_unique<impl>(path, options)) {}

sqlite_store::~sqlite_store() = default;

const std::optional<schema_migration>& sqlite_store::migration() const { return impl_->migration; }

database_clock sqlite_store::clock_kind() { return detail::stored_clock(impl_->db); }

void sqlite_store::mark_virtual(const std::string& by, const std::string& role, instant at) {
  try {
    SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    detail::append_marked_virtual(impl_->db, by, role, at);
    SQLite::Statement put(impl_->db, "INSERT INTO meta(key, value) VALUES ('clock', 'virtual'), ('clock_marked_by', ?), "
                                     "('clock_marked_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    put.bind(1, by);
    put.bind(2, format_instant_utc(at));
    put.exec();
    tx.commit();
  } catch (const SQLite::Exception& e) {
    throw store_error(detail::explain_sqlite_error(e));
  }
}

std::optional<case_record> sqlite_store::load_case(std::string_view id) {
  auto& q = impl_->select_case;
  q.bind(1, std::string(id));
  std::optional<case_record> record;
  if (q.executeStep()) record = detail::read_case_row(q);
  q.reset();
  return record;
}

std::optional<std::string> sqlite_store::definition_text(std::string_view hash) {
  auto& q = impl_->select_definition;
  q.bind(1, std::string(hash));
  std::optional<std::string> text;
  if (q.executeStep()) text = q.getColumn(0).getString();
  q.reset();
  return text;
}

namespace {

// Replaces each placeholder in the texts of `j` (recursively, also inside longer texts such
// as a rendered message) by the id it stands for.
void substitute_ids(nlohmann::json& j, const std::map<std::string, std::string, std::less<>>& ids) {
  if (j.is_string()) {
    auto& text = j.get_ref<std::string&>();
    for (const auto& [placeholder, id] : ids)
      for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + id.size()))
        text.replace(at, placeholder.size(), id);
  } else if (j.is_structured()) {
    for (auto& item : j) substitute_ids(item, ids);
  }
}

void substitute_ids(commit_request& r, const std::map<std::string, std::string, std::less<>>& ids) {
  auto id_of = [&](std::string& text) {
    if (auto it = ids.find(text); it != ids.end()) text = it->second;
  };
  for (auto& e : r.events) {
    id_of(e.case_id);
    substitute_ids(e.data, ids);
  }
  id_of(r.resulting_state.id);
  id_of(r.resulting_state.parent);
  for (auto& s : r.resulting_state.subcases) id_of(s.id);
}

}  // namespace

std::string sqlite_store::impl::allocate_id(const commit_request& request) {
  const std::string period = fmt::format("{}|{}", request.definition->id, case_id_period(request.id_pattern, request.local_day));
  next_serial.bind(1, period);
  next_serial.executeStep();
  const std::int64_t serial = next_serial.getColumn(0).getInt64();
  next_serial.reset();
  std::string case_id = format_case_id(request.id_pattern, request.local_day, serial);
  // An imported case may already hold the next id of the pattern: move past it.
  for (std::int64_t next = serial + 1; case_exists(case_id); ++next) {
    case_id = format_case_id(request.id_pattern, request.local_day, next);
    bump_serial.bind(1, next);
    bump_serial.bind(2, period);
    bump_serial.exec();
    bump_serial.reset();
  }
  return case_id;
}

namespace {

// A handler decides its messages before its trigger has a log id: a payload naming its trigger
// by `event_seq` (outbox.h) gets the trigger's `event_id` here, before the event is hashed, so
// the event, the outbox row and the delivered document agree. REQUIRES: the trigger precedes
// `e` in `events` and has its id.
void fill_trigger_ids(const std::vector<event>& events, event* e) {
  auto messages = e->data.find("messages");
  if (messages == e->data.end() || !messages->is_array()) return;
  for (auto& m : *messages) {
    auto payload = m.find("payload");
    if (payload == m.end() || !payload->is_object() || !payload->contains("event_seq")) continue;
    if (payload->value("event_id", std::int64_t{0}) != 0) continue;
    const std::int64_t seq = payload->value("event_seq", std::int64_t{0});
    for (const auto& trigger : events)
      if (trigger.seq == seq && trigger.id != 0) (*payload)["event_id"] = trigger.id;
  }
}

}  // namespace

// Writes one request inside the caller's transaction. A request that cannot be applied
// (stale version, taken id) writes nothing and says why.
commit_result sqlite_store::impl::write(commit_request& request) {
  commit_result result;
  case_state& state = request.resulting_state;
  std::string case_id = request.events.empty() ? state.id : request.events.front().case_id;
  const bool opening = request.expected_seq == 0;
  if (opening && case_id.empty()) case_id = allocate_id(request);
  if (request.opening && opening) {
    // The period's unique key, claimed first: a second tick that decided the same period writes
    // nothing (and is not told that the case's id is taken).
    const schedule_opening& o = *request.opening;
    SQLite::Statement claim(db, "INSERT INTO schedule_openings(procedure, schedule, period, period_start, case_id, "
                                "opened_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    claim.bind(1, o.procedure);
    claim.bind(2, o.schedule);
    claim.bind(3, o.period);
    claim.bind(4, format_value(o.period_start));
    claim.bind(5, case_id);
    claim.bind(6, format_instant_utc(o.opened_at));
    if (claim.exec() == 0) {
      result.status = commit_status::already_opened;
      result.message = fmt::format("period {} of schedule '{}' of {} was already opened", o.period, o.schedule, o.procedure);
      return result;
    }
  }
  select_case.bind(1, case_id);
  const std::int64_t current_seq = select_case.executeStep() ? select_case.getColumn(6).getInt64() : -1;
  select_case.reset();
  if (opening && current_seq >= 0) {
    result.status = commit_status::id_taken;
    result.message = fmt::format("a case with id {} already exists", case_id);
    return result;
  }
  if (std::max<std::int64_t>(current_seq, 0) != request.expected_seq) {
    result.status = commit_status::conflict;
    result.message = fmt::format("case {} changed while this command was being decided (now at event {}, expected {})",
                                 case_id, current_seq, request.expected_seq);
    return result;
  }
  const procedure& p = *request.definition;
  if (request.similar && !case_id.empty()) {
    case_state probe = state;
    probe.id = case_id;
    const std::size_t now_similar = detail::similar_rows(db, p, probe, request.similar->from, request.similar->to).others.size();
    if (now_similar != request.similar->others) {
      result.status = commit_status::conflict;
      // A new case's id is not kept: it is allocated again when the command is retried.
      result.message = opening ? fmt::format("the cases similar to a new {} case changed while this command was "
                                             "being decided", p.id)
                               : fmt::format("the cases similar to {} changed while this command was being decided", case_id);
      return result;
    }
  }
  if (!known_definitions.count(p.hash)) {
    insert_definition.bind(1, p.hash);
    insert_definition.bind(2, p.id);
    insert_definition.bind(3, p.version);
    insert_definition.bind(4, p.source_text);
    insert_definition.bind(5, request.events.empty() ? "" : format_instant_utc(request.events.front().at));
    insert_definition.exec();
    insert_definition.reset();
    known_definitions.insert(p.hash);
  }
  state.id = case_id;
  for (auto& e : request.events) {
    e.case_id = case_id;
    e.id = ++head_id;
    e.prev_hash = head_hash;
    if (e.kind == event_kind::messages_requested) fill_trigger_ids(request.events, &e);
    // The messages the router makes of a notification are recorded in it, so that its outbox
    // rows are held to the log (outbox.h).
    if (e.kind == event_kind::notification_requested && router)
      if (auto routed = router(p, state, e); !routed.empty()) e.data[std::string(k_routed_key)] = messages_to_json(routed);
    event stored = e;
    if (auto fields = stored.data.find("fields"); fields != stored.data.end())
      *fields = separate_personal(p, case_id, *fields);
    stored.data_text = stored.data.dump();
    e.hash = stored.hash = event_hash(stored);
    head_hash = e.hash;
    detail::bind_event(insert_event, stored);
    insert_event.exec();
    insert_event.reset();
  }
  for (const blob& b : request.blobs) {
    SQLite::Statement insert_blob(db, "INSERT OR IGNORE INTO attachments(digest, size, content) VALUES (?, ?, ?)");
    insert_blob.bind(1, b.digest);
    insert_blob.bind(2, static_cast<std::int64_t>(b.bytes.size()));
    insert_blob.bind(3, b.bytes.data(), static_cast<int>(b.bytes.size()));
    insert_blob.exec();
  }
  if (!request.erase_personal_fields.empty()) erase_personal(request, case_id);
  state.id = case_id;
  upsert_case.bind(1, case_id);
  upsert_case.bind(2, p.id);
  upsert_case.bind(3, state.definition_hash);
  upsert_case.bind(4, state.step);
  upsert_case.bind(5, state.open ? 1 : 0);
  upsert_case.bind(6, state.assignee);
  upsert_case.bind(7, state.seq);
  upsert_case.bind(8, format_instant_utc(state.opened_at));
  upsert_case.bind(9, format_instant_utc(state.updated_at));
  upsert_case.bind(10, state_to_json(state).dump());
  upsert_case.exec();
  upsert_case.reset();
  detail::sync_timers(db, state);
  detail::sync_similar(db, p, state);
  for (const auto& e : request.events) detail::project_outbox(db, e);
  result.case_id = case_id;
  result.events = std::move(request.events);
  return result;
}

void sqlite_store::impl::read_head() {
  head_id = 0;
  head_hash.clear();
  if (select_head.executeStep()) {
    head_id = select_head.getColumn(0).getInt64();
    head_hash = select_head.getColumn(1).getString();
  }
  select_head.reset();
}

void sqlite_store::impl::reset_statements() {
  for (auto* q : {&next_serial, &bump_serial, &select_head, &insert_definition, &insert_event, &upsert_case, &insert_personal,
                  &select_case})
    q->tryReset();
}

std::vector<commit_result> sqlite_store::commit_batch(std::vector<commit_request> requests) {
  auto& s = *impl_;
  std::vector<commit_result> results;
  try {
    SQLite::Transaction tx(s.db, SQLite::TransactionBehavior::IMMEDIATE);
    s.read_head();
    s.erased_in_transaction = false;
    // New cases named by placeholders get their ids first, so that cases of one batch can
    // name each other (a parent and the sub-case it opens).
    std::map<std::string, std::string, std::less<>> ids;
    for (auto& request : requests)
      if (!request.placeholder.empty() && request.expected_seq == 0 &&
          (request.events.empty() || request.events.front().case_id == request.placeholder))
        ids[request.placeholder] = s.allocate_id(request);
    if (!ids.empty())
      for (auto& request : requests) substitute_ids(request, ids);
    bool all_committed = true;
    for (auto& request : requests) {
      results.push_back(s.write(request));
      all_committed = all_committed && results.back().status == commit_status::committed;
      if (!all_committed) break;
    }
    if (all_committed) tx.commit();
    else s.known_definitions.clear();  // rolled back: the definitions may not be stored after all
    // Erased values also sit in older frames of the write-ahead log (and in the main file until
    // the frames erasing them are copied back): the caller purges (purge_erased); until then
    // the purge is pending, so that a crash before it still leads to one.
    if (all_committed && std::exchange(s.erased_in_transaction, false))
      s.db.exec("INSERT OR REPLACE INTO meta(key, value) VALUES ('purge_pending', '1')");
    return results;
  } catch (const SQLite::Exception& e) {
    s.reset_statements();
    s.known_definitions.clear();
    if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED) {
      commit_result busy;
      busy.status = commit_status::conflict;
      busy.message = "the database stayed busy with another writer; nothing was written";
      return {busy};
    }
    throw store_error(detail::explain_sqlite_error(e));
  }
}

commit_result sqlite_store::commit(commit_request request) {
  std::vector<commit_request> one;
  one.push_back(std::move(request));
  auto results = commit_batch(std::move(one));
  return std::move(results.back());
}

void sqlite_store::set_outbox_router(outbox_router router) { impl_->router = std::move(router); }

SQLite::Database& detail::database_of(sqlite_store& s) { return s.internals().db; }

std::vector<event> sqlite_store::case_events(std::string_view id) {
  auto& q = impl_->select_case_events;
  q.bind(1, std::string(id));
  std::vector<event> events;
  while (q.executeStep()) {
    event e = detail::read_event_row(q);
    if (auto fields = e.data.find("fields"); fields != e.data.end()) {
      impl_->resolve_personal(*fields);
      e.data_text.clear();  // no longer the bytes stored
    }
    events.push_back(std::move(e));
  }
  q.reset();
  return events;
}

std::vector<event> sqlite_store::stored_case_events(std::string_view id) {
  auto& q = impl_->select_case_events;
  q.bind(1, std::string(id));
  std::vector<event> events;
  while (q.executeStep()) events.push_back(detail::read_event_row(q));
  q.reset();
  return events;
}

void sqlite_store::scan_events(const std::function<bool(const event&)>& visit) {
  SQLite::Statement q(impl_->db, std::string(detail::k_event_columns) + " ORDER BY id");
  while (q.executeStep())
    if (!visit(detail::read_event_row(q))) break;
}

void sqlite_store::scan_cases(const std::function<bool(const case_record&)>& visit) {
  SQLite::Statement q(impl_->db,
                      "SELECT id, procedure, definition_hash, step, assignee, open, seq, state FROM cases ORDER BY id");
  while (q.executeStep())
    if (!visit(detail::read_case_row(q))) break;
}

std::vector<case_record> sqlite_store::overdue_cases(instant now, const case_filter& filter) {
  // Indexed by timers_by_kind: only limits due by now are read, not every case.
  std::string sql =
      "SELECT c.id, c.procedure, c.definition_hash, c.step, c.assignee, c.open, c.seq, c.state FROM cases c "
      "WHERE c.id IN (SELECT case_id FROM timers WHERE kind = 'limit' AND due_seconds <= :now)";
  if (!filter.procedure.empty()) sql += " AND c.procedure = :procedure";
  if (!filter.step.empty()) sql += " AND c.step = :step";
  if (!filter.assignee.empty()) sql += " AND c.assignee = :assignee";
  sql += " ORDER BY c.id";
  if (filter.limit) sql += " LIMIT :limit";
  SQLite::Statement q(impl_->db, sql);
  q.bind(":now", now.seconds);
  if (!filter.procedure.empty()) q.bind(":procedure", filter.procedure);
  if (!filter.step.empty()) q.bind(":step", filter.step);
  if (!filter.assignee.empty()) q.bind(":assignee", filter.assignee);
  if (filter.limit) q.bind(":limit", static_cast<std::int64_t>(filter.limit));
  std::vector<case_record> rows;
  while (q.executeStep()) rows.push_back(detail::read_case_row(q));
  return rows;
}

std::vector<timer_ref> sqlite_store::due_timers(instant now, std::size_t limit) {
  SQLite::Statement q(impl_->db,
                      "SELECT case_id, rule, due_seconds FROM timers WHERE fired = 0 AND due_seconds <= ? "
                      "ORDER BY due_seconds LIMIT ?");
  q.bind(1, now.seconds);
  q.bind(2, static_cast<std::int64_t>(limit));
  std::vector<timer_ref> timers;
  while (q.executeStep())
    timers.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), instant{q.getColumn(2).getInt64()}});
  return timers;
}

std::optional<instant> sqlite_store::next_timer_due() {
  SQLite::Statement q(impl_->db, "SELECT min(due_seconds) FROM timers WHERE fired = 0");
  if (q.executeStep() && !q.getColumn(0).isNull()) return instant{q.getColumn(0).getInt64()};
  return std::nullopt;
}

std::vector<std::string> sqlite_store::cases_with_deadlines() {
  SQLite::Statement q(impl_->db, "SELECT DISTINCT case_id FROM timers ORDER BY case_id");
  std::vector<std::string> ids;
  while (q.executeStep()) ids.push_back(q.getColumn(0).getString());
  return ids;
}

std::vector<case_deadline> sqlite_store::case_timers(std::string_view id) {
  SQLite::Statement q(impl_->db, "SELECT rule, kind, due_seconds, provisional, calendar_version, fired FROM timers "
                                 "WHERE case_id = ? ORDER BY rule");
  q.bind(1, std::string(id));
  std::vector<case_deadline> timers;
  while (q.executeStep())
    timers.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), instant{q.getColumn(2).getInt64()},
                      q.getColumn(3).getInt() != 0, q.getColumn(4).getString(), q.getColumn(5).getInt() != 0, "", std::nullopt, std::nullopt, std::nullopt});
  return timers;
}

std::optional<schedule_opening> sqlite_store::last_opening(std::string_view procedure, std::string_view schedule) {
  if (!impl_->db.tableExists("schedule_openings")) return std::nullopt;  // an older database, read only
  SQLite::Statement q(impl_->db, "SELECT period, period_start, case_id, opened_at FROM schedule_openings "
                                 "WHERE procedure = ? AND schedule = ? ORDER BY period_start DESC LIMIT 1");
  q.bind(1, std::string(procedure));
  q.bind(2, std::string(schedule));
  if (!q.executeStep()) return std::nullopt;
  schedule_opening o;
  o.procedure = procedure;
  o.schedule = schedule;
  o.period = q.getColumn(0).getString();
  if (auto start = parse_value(field_type::date, q.getColumn(1).getString(), nullptr))
    o.period_start = std::get<civil_date>(*start);
  o.case_id = q.getColumn(2).getString();
  o.opened_at = parse_instant(q.getColumn(3).getString()).value_or(instant{});
  return o;
}

// A database created before evidence was kept has no attachments table: it holds none.
std::optional<std::string> sqlite_store::attachment(std::string_view digest) {
  if (!impl_->db.tableExists("attachments")) return std::nullopt;
  SQLite::Statement q(impl_->db, "SELECT content FROM attachments WHERE digest = ?");
  q.bind(1, std::string(digest));
  if (!q.executeStep()) return std::nullopt;
  const SQLite::Column content = q.getColumn(0);
  return std::string(static_cast<const char*>(content.getBlob()), static_cast<std::size_t>(content.getBytes()));
}

void sqlite_store::scan_attachments(const std::function<bool(const blob&)>& visit) {
  if (!impl_->db.tableExists("attachments")) return;
  SQLite::Statement q(impl_->db, "SELECT digest, content FROM attachments ORDER BY digest");
  while (q.executeStep()) {
    const SQLite::Column content = q.getColumn(1);
    const blob b{q.getColumn(0).getString(),
                 std::string(static_cast<const char*>(content.getBlob()), static_cast<std::size_t>(content.getBytes()))};
    if (!visit(b)) break;
  }
}

namespace {
constexpr const char* k_personal_columns =
    "SELECT digest, case_id, field, value, scheme, digest_key, erased_at, erased_by FROM personal_data";

personal_value read_personal_row(SQLite::Statement& q) {
  personal_value v{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(), std::nullopt,
                   q.getColumn(4).getString(), q.getColumn(5).getString(), q.getColumn(6).getString(),
                   q.getColumn(7).getString()};
  if (!q.getColumn(3).isNull()) v.value = q.getColumn(3).getString();
  return v;
}
}  // namespace

void sqlite_store::scan_personal_values(const std::function<bool(const personal_value&)>& visit) {
  SQLite::Statement q(impl_->db, std::string(k_personal_columns) + " WHERE value IS NOT NULL ORDER BY case_id, field, rowid");
  while (q.executeStep())
    if (!visit(read_personal_row(q))) break;
}

bool sqlite_store::impl::purge(int wait_ms) {
  // A TRUNCATE checkpoint waits (busy handler) for the readers of older snapshots, copies every
  // frame back and empties the log; its first column is 1 when a reader kept it from finishing.
  db.setBusyTimeout(wait_ms);
  const bool blocked = db.execAndGet("PRAGMA wal_checkpoint(TRUNCATE)").getInt() != 0;
  db.setBusyTimeout(options.busy_timeout_ms);
  if (blocked) return false;
  // Written to the emptied log: these frames hold no erased value.
  db.exec("DELETE FROM meta WHERE key = 'purge_pending'");
  return true;
}

bool sqlite_store::purge_erased() {
  if (impl_->options.read_only) return false;
  return impl_->purge(impl_->options.busy_timeout_ms);
}

std::vector<personal_value> sqlite_store::case_personal_values(const std::string& case_id) {
  SQLite::Statement q(impl_->db, std::string(k_personal_columns) + " WHERE case_id = ? ORDER BY rowid");
  q.bind(1, case_id);
  std::vector<personal_value> rows;
  while (q.executeStep()) rows.push_back(read_personal_row(q));
  return rows;
}

std::vector<case_record> sqlite_store::list_cases(const case_filter& filter) {
  std::string sql = "SELECT id, procedure, definition_hash, step, assignee, open, seq, state FROM cases WHERE 1";
  if (!filter.procedure.empty()) sql += " AND procedure = :procedure";
  if (!filter.step.empty()) sql += " AND step = :step";
  if (!filter.assignee.empty()) sql += " AND assignee = :assignee";
  if (filter.open_only) sql += " AND open = 1";
  sql += " ORDER BY id";
  if (filter.limit) sql += " LIMIT :limit";
  SQLite::Statement q(impl_->db, sql);
  if (!filter.procedure.empty()) q.bind(":procedure", filter.procedure);
  if (!filter.step.empty()) q.bind(":step", filter.step);
  if (!filter.assignee.empty()) q.bind(":assignee", filter.assignee);
  if (filter.limit) q.bind(":limit", static_cast<std::int64_t>(filter.limit));
  std::vector<case_record> rows;
  while (q.executeStep()) rows.push_back(detail::read_case_row(q));
  return rows;
}

}  // namespace caseflow
