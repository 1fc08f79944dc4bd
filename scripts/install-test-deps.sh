#!/usr/bin/env bash
# Installs what the tests need besides npm packages, on an offline machine that reaches only the
# npm registry and Debian's packages:
#   - the real DocBook toolchain the tests compare with (xmllint, xsltproc, docbook-xsl-ns);
#   - Neovim, a second real LSP client;
#   - Debian's chromium (driven headless by playwright-core), libkrb5-dev (code-server's
#     `kerberos` module builds from source) and ripgrep;
#   - a pre-seeded @vscode/ripgrep download cache (its postinstall would otherwise try GitHub);
#   - code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) into
#     <repo>/.tools/code-server (git-ignored).
# Idempotent: every step is skipped when its result is already there. Runs as root.
# Usage: bash scripts/install-test-deps.sh
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$REPO_ROOT/.tools/code-server"
CS_PKG="$PREFIX/node_modules/code-server"

log() { echo "[install-test-deps] $*"; }
start=$(date +%s)

# 1. Debian packages (jing: the reference RELAX NG validator the schema tests compare with; it brings a JRE).
APT_PKGS=(chromium libkrb5-dev ripgrep libxml2-utils xsltproc docbook-xsl-ns neovim jing)
missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else
      echo "install-test-deps: Debian packages ${missing[*]} are missing and installing them needs root" >&2
      exit 1
    fi
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Update the lists when they are absent, or when the install fails on stale lists.
  if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ]; then
    $SUDO apt-get update -qq
  fi
  if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
else
  log "apt packages already installed: ${APT_PKGS[*]}"
fi

# 2. Pre-seed @vscode/ripgrep's cache from Debian's rg (same version 13.0.0) so its
#    postinstall never tries to download from GitHub. Harmless if already there.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
RG_TARBALL="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TARBALL" ]; then
  log "pre-seeding ripgrep cache $RG_TARBALL"
  mkdir -p "$RG_CACHE"
  tar czf "$RG_TARBALL" -C /usr/bin rg
fi

# 3. code-server from npm. A marker written after a complete install makes a half-done one
#    (interrupted npm) install again.
MARKER="$PREFIX/.installed-$CODE_SERVER_VERSION"
if [ -f "$MARKER" ] && [ -f "$CS_PKG/out/node/entry.js" ] \
   && [ -x "$CS_PKG/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in $PREFIX"
else
  log "installing code-server $CODE_SERVER_VERSION into $PREFIX (about 50-80 s, 300 MB)"
  rm -f "$PREFIX"/.installed-*
  mkdir -p "$PREFIX"
  # A package.json of its own keeps npm from walking up into the repository's.
  [ -f "$PREFIX/package.json" ] || echo '{"name":"code-server-tools","private":true}' > "$PREFIX/package.json"
  (cd "$PREFIX" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_yes=true \
     npm install --prefix "$PREFIX" "code-server@$CODE_SERVER_VERSION" \
       --unsafe-perm --foreground-scripts --no-audit --no-fund)
  test -x "$CS_PKG/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" \
    || { log "@vscode/ripgrep binary missing (cache not used?)"; exit 1; }
  touch "$MARKER"
fi

# Sanity check: the entry point exists.
test -f "$CS_PKG/out/node/entry.js" || { log "code-server entry point missing"; exit 1; }
log "done in $(( $(date +%s) - start )) s"
