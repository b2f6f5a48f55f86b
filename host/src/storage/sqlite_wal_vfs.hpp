// SQLite appends each WAL frame with two writes: its 24-byte header, then the page. A
// commit of n pages is 2n pwrite calls, each covering only part of the 4 KiB file pages it
// touches (a frame is 24 bytes longer than a page), so the kernel may first have to read
// what it partly overwrites. This VFS wraps the default one and gathers the contiguous writes
// of a WAL append in memory, writing them with one pwrite when the commit frame is complete.
//
// Nothing is published early or lost: readers see only frames up to the last commit frame,
// which the write that completes it puts on disk before returning (its error is that
// write's error, so SQLite fails the commit as it would have). A read, sync, truncate, size
// query, file control or close of the WAL writes out whatever is gathered first.
#pragma once

namespace payhost::host {

inline constexpr const char* kWalVfsName = "payhost-wal";

// Registers the VFS over the default one and makes it the default. Safe to call more than
// once and from several threads; false if SQLite has no default VFS to wrap.
bool install_sqlite_wal_vfs();

// Writes this VFS has passed on to the one it wraps, for WAL files (tests count them).
unsigned long long sqlite_wal_writes_issued() noexcept;

}  // namespace payhost::host
