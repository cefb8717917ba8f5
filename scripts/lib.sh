# Shared helpers for the scripts: quiet unless something has to happen.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '\033[1m%s\033[0m\n' "$*" >&2; }
# The wasm-bindgen version pinned in Cargo.lock (the CLI must match it exactly).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}
# geckodriver for the Firefox layers, from crates.io at this version.
GECKODRIVER_VERSION=0.37.1
export PATH="$HOME/.cargo/bin:$PATH"
