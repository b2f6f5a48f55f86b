#include "storage/sqlite_wal_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>

namespace payhost::host {

namespace {

constexpr int kFrameHeaderBytes = 24;
// The unix VFS writes at most 128 KiB - 1 bytes per call (it masks the length with
// 0x1ffff and reports SQLITE_FULL for the rest): a longer gathering is written in parts.
constexpr sqlite3_int64 kMaxWrite = 0x1ffff;

struct WalFile {
  sqlite3_file base;  // first: SQLite sees a WalFile as a sqlite3_file
  sqlite3_file* real;
  char* buffer;
  sqlite3_int64 capacity;
  sqlite3_int64 used;
  sqlite3_int64 start;    // file offset of buffer[0]
  bool completes_commit;  // the last write was a commit frame's header
};
static_assert(sizeof(WalFile) % 8 == 0, "the wrapped file follows, and needs alignment");

WalFile* wal(sqlite3_file* f) {
  return reinterpret_cast<WalFile*>(f);
}
sqlite3_file* real(sqlite3_file* f) {
  return wal(f)->real;
}

// A frame header's bytes 4..7 hold the database size after commit, zero when the frame
// does not commit.
bool is_commit_header(const void* data, int amount) {
  if (amount != kFrameHeaderBytes) return false;
  const auto* p = static_cast<const unsigned char*>(data);
  return (p[4] | p[5] | p[6] | p[7]) != 0;
}

std::atomic<unsigned long long> writes_issued{0};

int base_write(WalFile* w, const void* data, int amount, sqlite3_int64 offset) {
  writes_issued.fetch_add(1, std::memory_order_relaxed);
  return w->real->pMethods->xWrite(w->real, data, amount, offset);
}

int flush(WalFile* w) {
  if (w->used == 0) return SQLITE_OK;
  const int rc = base_write(w, w->buffer, static_cast<int>(w->used), w->start);
  w->used = 0;
  return rc;
}

bool reserve(WalFile* w, sqlite3_int64 more) {
  if (w->used + more <= w->capacity) return true;
  const sqlite3_int64 want = std::max({w->capacity * 2, w->used + more, sqlite3_int64{64 << 10}});
  void* grown = sqlite3_realloc64(w->buffer, static_cast<sqlite3_uint64>(want));
  if (grown == nullptr) return false;
  w->buffer = static_cast<char*>(grown);
  w->capacity = want;
  return true;
}

int write_through(WalFile* w, const void* data, int amount, sqlite3_int64 offset) {
  if (int rc = flush(w); rc != SQLITE_OK) return rc;
  return base_write(w, data, amount, offset);
}

int wal_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* w = wal(f);
  const bool completes = w->completes_commit;  // this is the page of a commit frame
  const bool commit_header = is_commit_header(data, amount);
  w->completes_commit = commit_header;
  const bool appends = w->used > 0 && offset == w->start + w->used;
  // A commit header that does not continue the gathered frames (a one-frame commit, a
  // checksum rewrite of an earlier frame) may be the last write before SQLite publishes
  // the commit: it goes straight to the file, and so does the page that follows it.
  if (commit_header && !appends) return write_through(w, data, amount, offset);
  if (!appends || w->used + amount > kMaxWrite) {
    if (int rc = flush(w); rc != SQLITE_OK) return rc;
    w->start = offset;
  }
  if (!reserve(w, amount)) return write_through(w, data, amount, offset);
  std::memcpy(w->buffer + w->used, data, static_cast<std::size_t>(amount));
  w->used += amount;
  return completes ? flush(w) : SQLITE_OK;
}

int wal_close(sqlite3_file* f) {
  WalFile* w = wal(f);
  const int flushed = flush(w);
  const int closed = w->real->pMethods->xClose(w->real);
  sqlite3_free(w->buffer);
  w->buffer = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

// The wrapped file's method, called once what is gathered is in that file (reads, syncs,
// size queries and the rest must see every write made so far).
template <auto Method, class... Args>
int flushed(sqlite3_file* f, Args... args) {
  if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
  return (real(f)->pMethods->*Method)(real(f), args...);
}

// The wrapped file's method, for calls that neither read nor write.
template <auto Method, class... Args>
int forwarded(sqlite3_file* f, Args... args) {
  return (real(f)->pMethods->*Method)(real(f), args...);
}

// SQLite never maps or shares memory through a WAL file; these only forward.
int wal_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  const auto* m = real(f)->pMethods;
  return m->iVersion >= 2 ? m->xShmMap(real(f), page, size, extend, out) : SQLITE_IOERR;
}
int wal_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  const auto* m = real(f)->pMethods;
  return m->iVersion >= 2 ? m->xShmLock(real(f), offset, n, flags) : SQLITE_IOERR;
}
void wal_shm_barrier(sqlite3_file* f) {
  const auto* m = real(f)->pMethods;
  if (m->iVersion >= 2) m->xShmBarrier(real(f));
}
int wal_shm_unmap(sqlite3_file* f, int delete_flag) {
  const auto* m = real(f)->pMethods;
  return m->iVersion >= 2 ? m->xShmUnmap(real(f), delete_flag) : SQLITE_OK;
}
int wal_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  *out = nullptr;  // "no mapping": SQLite then reads
  if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
  const auto* m = real(f)->pMethods;
  return m->iVersion >= 3 ? m->xFetch(real(f), offset, amount, out) : SQLITE_OK;
}
int wal_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  const auto* m = real(f)->pMethods;
  return m->iVersion >= 3 ? m->xUnfetch(real(f), offset, p) : SQLITE_OK;
}

const sqlite3_io_methods kWalMethods = {
    3,
    wal_close,
    flushed<&sqlite3_io_methods::xRead, void*, int, sqlite3_int64>,
    wal_write,
    flushed<&sqlite3_io_methods::xTruncate, sqlite3_int64>,
    flushed<&sqlite3_io_methods::xSync, int>,
    flushed<&sqlite3_io_methods::xFileSize, sqlite3_int64*>,
    flushed<&sqlite3_io_methods::xLock, int>,
    flushed<&sqlite3_io_methods::xUnlock, int>,
    forwarded<&sqlite3_io_methods::xCheckReservedLock, int*>,
    flushed<&sqlite3_io_methods::xFileControl, int, void*>,
    forwarded<&sqlite3_io_methods::xSectorSize>,
    forwarded<&sqlite3_io_methods::xDeviceCharacteristics>,
    wal_shm_map,
    wal_shm_lock,
    wal_shm_barrier,
    wal_shm_unmap,
    wal_fetch,
    wal_unfetch,
};

sqlite3_vfs* base_of(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  sqlite3_vfs* base = base_of(vfs);
  if ((flags & SQLITE_OPEN_WAL) == 0) return base->xOpen(base, name, f, flags, out_flags);
  WalFile* w = wal(f);
  std::memset(w, 0, sizeof *w);
  w->real = reinterpret_cast<sqlite3_file*>(w + 1);
  const int rc = base->xOpen(base, name, w->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // A file the base opened and failed on still needs closing; ours was never opened.
    if (w->real->pMethods != nullptr) w->real->pMethods->xClose(w->real);
    return rc;
  }
  w->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return base_of(vfs)->xDelete(base_of(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return base_of(vfs)->xAccess(base_of(vfs), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return base_of(vfs)->xFullPathname(base_of(vfs), name, n, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
  return base_of(vfs)->xDlOpen(base_of(vfs), name);
}
void vfs_dl_error(sqlite3_vfs* vfs, int n, char* out) {
  base_of(vfs)->xDlError(base_of(vfs), n, out);
}
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return base_of(vfs)->xDlSym(base_of(vfs), handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) {
  base_of(vfs)->xDlClose(base_of(vfs), handle);
}
int vfs_randomness(sqlite3_vfs* vfs, int n, char* out) {
  return base_of(vfs)->xRandomness(base_of(vfs), n, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int microseconds) {
  return base_of(vfs)->xSleep(base_of(vfs), microseconds);
}
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
  return base_of(vfs)->xCurrentTime(base_of(vfs), out);
}
int vfs_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
  return base_of(vfs)->xGetLastError(base_of(vfs), n, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return base_of(vfs)->xCurrentTimeInt64(base_of(vfs), out);
}

bool register_over(sqlite3_vfs* base) {
  if (base->iVersion < 2) return false;
  // A registered VFS must outlive every connection.
  static sqlite3_vfs wrapper{};
  sqlite3_vfs* vfs = &wrapper;
  vfs->iVersion = 2;
  vfs->szOsFile = static_cast<int>(sizeof(WalFile)) + base->szOsFile;
  vfs->mxPathname = base->mxPathname;
  vfs->zName = kWalVfsName;
  vfs->pAppData = base;
  vfs->xOpen = vfs_open;
  vfs->xDelete = vfs_delete;
  vfs->xAccess = vfs_access;
  vfs->xFullPathname = vfs_full_pathname;
  vfs->xDlOpen = vfs_dl_open;
  vfs->xDlError = vfs_dl_error;
  vfs->xDlSym = vfs_dl_sym;
  vfs->xDlClose = vfs_dl_close;
  vfs->xRandomness = vfs_randomness;
  vfs->xSleep = vfs_sleep;
  vfs->xCurrentTime = vfs_current_time;
  vfs->xGetLastError = vfs_get_last_error;
  vfs->xCurrentTimeInt64 = vfs_current_time_int64;
  return sqlite3_vfs_register(vfs, 1) == SQLITE_OK;
}

}  // namespace

bool install_sqlite_wal_vfs() {
  static const bool installed = [] {
    if (sqlite3_initialize() != SQLITE_OK) return false;
    sqlite3_vfs* current = sqlite3_vfs_find(nullptr);
    if (current == nullptr) return false;
    if (std::strcmp(current->zName, kWalVfsName) == 0) return true;
    return register_over(current);
  }();
  return installed;
}

unsigned long long sqlite_wal_writes_issued() noexcept {
  return writes_issued.load(std::memory_order_relaxed);
}

}  // namespace payhost::host
