#!/bin/sh
# Rewrites sdk/abi.lock from the SDK headers as they are now. Run it after a deliberate header
# change, having first bumped PAYHOST_SDK_ABI_VERSION in abi.hpp if the change affects the
# layout or vtables of anything a plugin uses; tests/sdk/abi_lock_test checks both values.
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

# -r: with no files at all, hash nothing instead of letting cat read stdin.
hash=$(find include/payhost/sdk -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cat | sha256sum |
  cut -d' ' -f1)

printf 'abi_version=%s\nheaders_sha256=%s\n' "$version" "$hash" > abi.lock
echo "sdk/abi.lock: abi_version=$version headers_sha256=$hash"
