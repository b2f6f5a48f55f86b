#include "console/operator_store.hpp"

#include "console/session_store.hpp"
#include "text/token_text.hpp"

namespace payhost::host::console {

namespace {

struct OperatorRow {
  Operator op;
  std::string role;
  long long created = 0, updated = 0;

  Operator take() const {
    Operator out = op;
    out.role = parse_role(role).value_or(Role::viewer);
    out.created = created;
    out.updated = updated;
    return out;
  }
};

bool changed_one(soci::statement& st) {
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace

bool is_operator_name(std::string_view name) noexcept {
  return is_token(name, 64, "._-");
}

bool OperatorStore::add(soci::session& sql, const Operator& op) const {
  if (find(sql, op.name)) return false;
  const std::string role = to_string(op.role);
  const long long created = op.created, updated = op.updated;
  sql << "INSERT INTO console_operators (name, role, password_hash, created, updated) VALUES "
         "(:name, :role, :hash, :created, :updated)",
      soci::use(op.name, "name"), soci::use(role, "role"), soci::use(op.password_hash, "hash"),
      soci::use(created, "created"), soci::use(updated, "updated");
  return true;
}

std::optional<Operator> OperatorStore::find(soci::session& sql, const std::string& name) const {
  OperatorRow row;
  soci::indicator ind = soci::i_null;
  sql << "SELECT name, role, password_hash, created, updated FROM console_operators WHERE "
         "name = :name",
      soci::use(name, "name"), soci::into(row.op.name, ind), soci::into(row.role),
      soci::into(row.op.password_hash), soci::into(row.created), soci::into(row.updated);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return row.take();
}

std::vector<Operator> OperatorStore::list(soci::session& sql) const {
  std::vector<Operator> out;
  OperatorRow row;
  soci::statement st =
      (sql.prepare << "SELECT name, role, password_hash, created, updated FROM console_operators "
                      "ORDER BY name",
       soci::into(row.op.name), soci::into(row.role), soci::into(row.op.password_hash),
       soci::into(row.created), soci::into(row.updated));
  st.execute();
  while (st.fetch())
    out.push_back(row.take());
  return out;
}

bool OperatorStore::remove(soci::session& sql, const std::string& name) const {
  soci::statement st =
      (sql.prepare << "DELETE FROM console_operators WHERE name = :name", soci::use(name, "name"));
  if (!changed_one(st)) return false;
  SessionStore().end_sessions_of(sql, name);
  return true;
}

bool OperatorStore::set_password(soci::session& sql, const std::string& name,
                                 const std::string& hash, std::int64_t now) const {
  const long long at = now;
  soci::statement st = (sql.prepare << "UPDATE console_operators SET password_hash = :hash, "
                                       "updated = :at WHERE name = :name",
                        soci::use(hash, "hash"), soci::use(at, "at"), soci::use(name, "name"));
  if (!changed_one(st)) return false;
  SessionStore().end_sessions_of(sql, name);
  return true;
}

bool OperatorStore::set_role(soci::session& sql, const std::string& name, Role role,
                             std::int64_t now) const {
  const std::string text = to_string(role);
  const long long at = now;
  soci::statement st =
      (sql.prepare << "UPDATE console_operators SET role = :role, updated = :at WHERE name = :name",
       soci::use(text, "role"), soci::use(at, "at"), soci::use(name, "name"));
  if (!changed_one(st)) return false;
  SessionStore().end_sessions_of(sql, name);
  return true;
}

}  // namespace payhost::host::console
