#!/bin/sh
# Rewrites sdk/abi.lock from the SDK headers as they are now. Run it after a deliberate header
# change, having first bumped PAYHOST_SDK_ABI_VERSION in abi.hpp if the change affects the
# layout or vtables of anything a plugin uses; tests/sdk/abi_lock_test checks both values.
#
#   sh sdk/update-abi-lock.sh              after bumping the version
#   sh sdk/update-abi-lock.sh --same-abi   the headers changed but plugins built against
#                                          them still work (comments, new free functions)
#
# Without either, a header change under an unchanged version is refused: a virtual added
# without a bump lets plugins built against the old headers pass the handshake and crash.
#
# headers_sha256 is SHA-256 over the concatenated bytes of every regular file under
# include/payhost/sdk/, in byte-wise (LC_ALL=C) sorted path order, normalising nothing.
set -eu
cd "$(dirname "$0")"

version=$(sed -n 's/^#define PAYHOST_SDK_ABI_VERSION[[:space:]]\{1,\}\([0-9]\{1,\}\)[uU]\{0,1\}[[:space:]]*$/\1/p' \
  include/payhost/sdk/abi.hpp)
if [ -z "$version" ]; then
  echo "update-abi-lock: no '#define PAYHOST_SDK_ABI_VERSION <n>u' in include/payhost/sdk/abi.hpp" >&2
  exit 1
fi

same_abi=0
case "${1:-}" in
  --same-abi) same_abi=1 ;;
  "") ;;
  *)
    echo "usage: sh sdk/update-abi-lock.sh [--same-abi]" >&2
    exit 2
    ;;
esac

# -r: with no files at all, hash nothing instead of letting cat read stdin.
hash=$(find include/payhost/sdk -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cat | sha256sum |
  cut -d' ' -f1)

locked_version=$(sed -n 's/^abi_version=//p' abi.lock 2>/dev/null || true)
locked_hash=$(sed -n 's/^headers_sha256=//p' abi.lock 2>/dev/null || true)
if [ "$locked_version" = "$version" ] && [ "$locked_hash" != "$hash" ] && [ "$same_abi" != 1 ]; then
  cat >&2 <<EOF
update-abi-lock: the SDK headers changed but PAYHOST_SDK_ABI_VERSION is still $version.
  Changed a struct's members, or added, removed or reordered a virtual anywhere?
    bump PAYHOST_SDK_ABI_VERSION in include/payhost/sdk/abi.hpp and run this again.
  Only comments, inline free functions or new types no existing interface uses?
    run this again with --same-abi.
EOF
  exit 1
fi

printf 'abi_version=%s\nheaders_sha256=%s\n' "$version" "$hash" > abi.lock
echo "sdk/abi.lock: abi_version=$version headers_sha256=$hash"
