# Sourced: ensure_moto puts `moto_server` (PyPI moto[server], a local S3-compatible server
# for the repository tests) on PATH, installing it with pip when it is missing.
ensure_moto() {
  command -v moto_server >/dev/null && return 0
  echo "moto.sh: installing moto[server] with pip" >&2
  python3 -m pip install -q 'moto[server]' 2>/dev/null \
    || python3 -m pip install -q --user --break-system-packages 'moto[server]'
  local user_bin
  user_bin="$(python3 -m site --user-base)/bin"
  case ":$PATH:" in *":$user_bin:"*) ;; *) export PATH="$PATH:$user_bin" ;; esac
  command -v moto_server >/dev/null || { echo "moto.sh: moto_server still not on PATH" >&2; return 1; }
}
