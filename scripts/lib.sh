# Shared helpers for scripts/*: sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The .NET 10 SDK must be on PATH (it is on this project's machines); say so clearly if it is not.
require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK 10 is required (dotnet not on PATH); see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
    exit 2
  fi
  local major
  major="$(dotnet --version | cut -d. -f1)"
  if [ "$major" -lt 10 ]; then
    echo "error: .NET SDK >= 10 required, found $(dotnet --version)" >&2
    exit 2
  fi
}

# apt-get install the named packages if any is missing (runs apt-get update once first).
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}
