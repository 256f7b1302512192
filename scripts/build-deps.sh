# Sourced by the scripts that build wfctl (quickstart.sh, test.sh, .ci/run): the Debian packages
# the build links against, installed when missing (as root), or named when they cannot be.

ensure_build_deps() {
  local need=()
  command -v pkg-config >/dev/null || need+=(pkg-config)
  [ -e /usr/include/postgresql/libpq-fe.h ] || need+=(libpq-dev)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "build-deps: installing ${need[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  else
    echo "build-deps: missing ${need[*]}: install them (apt-get install ${need[*]}) or build with --features bundled-libpq" >&2
    return 1
  fi
}
