#!/usr/bin/env bash
# .ci/chroot.sh SUITE [command...]
#
# Build and test wip against another Debian's Wireshark in a debootstrap
# chroot (trixie: Wireshark 4.4, sid: 4.6).  Needs root and debootstrap
# (apt-get install -y --no-install-recommends debootstrap).
#
#  - Creates (first run) or reuses a cached minbase chroot for SUITE in
#    $WIP_CHROOT_CACHE/SUITE (default /var/cache/wip-chroots/SUITE) with
#    the Wireshark dev packages, the build tools and what tests/*.sh use.
#  - Copies the current working tree (tracked + untracked, not ignored,
#    without build dirs or .git) to /src in the chroot, fresh each run.
#  - Runs the command in /src as root (the tests drop to nobody with
#    setpriv themselves).  No command: configure, build and ctest.
#    One argument is run with bash -c; several are run as they are.
#
# Environment:
#   WIP_CHROOT_CACHE    base dir of the cached chroots (default /var/cache/wip-chroots)
#   WIP_CHROOT_MIRROR   Debian mirror (default: the host's own, read from its
#                       apt sources: the first URI ending in /debian)
#   WIP_CHROOT_UPDATE=1 apt-get update + dist-upgrade a cached chroot first
#   WIP_CHROOT_REBUILD=1 delete the cached chroot and bootstrap it again
#   WIP_CHROOT_EXTRA_PACKAGES  more packages to install (space separated)
#   WIP_SRC             the source tree to copy (default: this checkout)
#
# Mounts: only proc and a fresh devpts instance; both are unmounted in an
# EXIT trap.  The host's /dev is never bind-mounted.  A chroot is deleted
# only after findmnt shows nothing mounted under it.
set -euo pipefail

usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
case $1 in -h|--help) usage ;; esac
SUITE=$1; shift
case $SUITE in
    trixie|sid|unstable|testing|forky|bookworm) ;;
    *) echo "chroot.sh: unsupported suite '$SUITE' (trixie or sid)" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "chroot.sh: must run as root" >&2; exit 2; }

CACHE_BASE=${WIP_CHROOT_CACHE:-/var/cache/wip-chroots}
# The host's Debian mirror, from its apt sources (one-line and deb822 forms):
# the first deb URI whose path ends in /debian (not -security, not a vendor's).
host_mirror() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        grep -hE '^[[:space:]]*(deb[[:space:]]|URIs:)' "$f" |
            grep -oE '[a-z]+://[^[:space:]]+' | sed 's:/*$::' | grep -E '/debian$' | head -n1
    done | head -n1
}
MIRROR=${WIP_CHROOT_MIRROR:-$(host_mirror)}
[ -n "$MIRROR" ] || { echo "chroot.sh: no Debian mirror in the host's apt sources; set WIP_CHROOT_MIRROR" >&2; exit 2; }
R=$CACHE_BASE/$SUITE
SRC=${WIP_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
PACKAGES="wireshark-dev libwireshark-dev tshark cmake gcc make pkg-config libglib2.0-dev
          nmap-common bash diffutils util-linux coreutils grep sed findutils ca-certificates time
          ${WIP_CHROOT_EXTRA_PACKAGES:-}"
PACKAGES=$(printf '%s\n' $PACKAGES | sort -u | tr '\n' ' ')
DEFAULT_CMD='cd /src && cmake -S . -B build && cmake --build build -j2 && (cd build && ctest --output-on-failure)'

log() { printf '[chroot.sh %s] %s\n' "$SUITE" "$*" >&2; }

# ---- mounts -------------------------------------------------------------

# Mount points under DIR (DIR included), deepest first.
mounts_under() {
    findmnt -rn -o TARGET | awk -v r="$1" '$0 == r || index($0, r "/") == 1' | sort -r
}

unmount_all() {
    local dir=$1 m
    while read -r m; do
        [ -n "$m" ] || continue
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
    done < <(mounts_under "$dir")
}

# Delete DIR only when nothing is mounted under it.
safe_rm() {
    local dir=$1
    [ -e "$dir" ] || return 0
    case $dir in /|/var|/var/cache|/tmp|"") log "refusing to delete '$dir'"; exit 1 ;; esac
    unmount_all "$dir"
    if [ -n "$(mounts_under "$dir")" ]; then
        log "still mounted under $dir, not deleting:"; mounts_under "$dir" >&2; exit 1
    fi
    rm -rf --one-file-system "$dir"
}

MOUNTED=()
cleanup() {
    local i
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        umount "${MOUNTED[i]}" 2>/dev/null || umount -l "${MOUNTED[i]}" 2>/dev/null \
            || log "could not unmount ${MOUNTED[i]}"
    done
    MOUNTED=()
    if [ -n "$(mounts_under "$R")" ]; then
        log "WARNING: still mounted under $R:"; mounts_under "$R" >&2
    fi
}

mount_chroot() {
    mountpoint -q "$R/proc" || { mount -t proc proc "$R/proc"; MOUNTED+=("$R/proc"); }
    mkdir -p "$R/dev/pts"
    mountpoint -q "$R/dev/pts" || {
        mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$R/dev/pts"
        MOUNTED+=("$R/dev/pts")
    }
}

in_chroot() {
    chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
        ${CI:+CI=$CI} "$@"
}

apt_in_chroot() {
    in_chroot apt-get -q -y -o Dpkg::Use-Pty=0 "$@"
}

# ---- create / reuse -----------------------------------------------------

mkdir -p "$CACHE_BASE"
# One user of a chroot at a time (setup, /src copy and run).
exec 9>"$CACHE_BASE/$SUITE.lock"
flock 9
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${WIP_CHROOT_REBUILD:-0}" = 1 ]; then
    log "WIP_CHROOT_REBUILD=1: deleting $R"
    safe_rm "$R"
fi

setup_start=$(date +%s)
did_setup=0
if [ ! -f "$R/.wip-chroot-ready" ]; then
    command -v debootstrap >/dev/null || {
        echo "chroot.sh: debootstrap missing: apt-get install -y --no-install-recommends debootstrap" >&2; exit 1; }
    [ -e "$R" ] && { log "removing incomplete chroot $R"; safe_rm "$R"; }
    log "debootstrap --variant=minbase $SUITE $R $MIRROR"
    t0=$(date +%s)
    # debootstrap mounts proc/sys itself while it runs; clean up if it fails.
    if ! debootstrap --variant=minbase --components=main "$SUITE" "$R" "$MIRROR" \
            > "$CACHE_BASE/$SUITE.debootstrap.log" 2>&1; then
        tail -30 "$CACHE_BASE/$SUITE.debootstrap.log" >&2
        unmount_all "$R"
        log "debootstrap failed (log: $CACHE_BASE/$SUITE.debootstrap.log)"; exit 1
    fi
    log "debootstrap took $(( $(date +%s) - t0 ))s"
    # sid on a frozen mirror: Release may be past Valid-Until.
    cat > "$R/etc/apt/apt.conf.d/99wip" <<'EOF'
Acquire::Check-Valid-Until "false";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
    # No daemons may start inside the chroot.
    printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d"
    chmod 755 "$R/usr/sbin/policy-rc.d"
    echo "deb $MIRROR $SUITE main" > "$R/etc/apt/sources.list"
    did_setup=1
fi

cp -L /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
mount_chroot

if [ "$did_setup" = 1 ] || [ "${WIP_CHROOT_UPDATE:-0}" = 1 ]; then
    t0=$(date +%s)
    apt_in_chroot update >&2
    [ "$did_setup" = 1 ] || apt_in_chroot dist-upgrade >&2
    log "apt-get update took $(( $(date +%s) - t0 ))s"
fi

# Install whatever of PACKAGES the chroot lacks (the list may have grown).
want=$(printf '%s\n' $PACKAGES)
have=$(cat "$R/.wip-chroot-packages" 2>/dev/null || true)
missing=$(comm -23 <(printf '%s\n' "$want" | sort -u) <(printf '%s\n' "$have" | sort -u) | tr '\n' ' ')
if [ -n "${missing// /}" ]; then
    t0=$(date +%s)
    log "apt-get install $missing"
    if ! apt_in_chroot install --no-install-recommends $missing >&2; then
        # The package index may be old (cached chroot): refresh and retry once.
        apt_in_chroot update >&2
        apt_in_chroot install --no-install-recommends $missing >&2
    fi
    apt_in_chroot clean >&2
    log "apt-get install took $(( $(date +%s) - t0 ))s"
    printf '%s\n' "$want" | sort -u > "$R/.wip-chroot-packages"
    did_setup=1
fi
touch "$R/.wip-chroot-ready"
setup_secs=$(( $(date +%s) - setup_start ))
if [ "$did_setup" = 1 ]; then
    echo "$setup_secs" > "$R/.wip-chroot-setup-seconds"
    log "chroot setup took ${setup_secs}s"
else
    log "reusing cached chroot $R (first setup took $(cat "$R/.wip-chroot-setup-seconds" 2>/dev/null || echo '?')s)"
fi
log "$(in_chroot dpkg-query -W -f '${Package} ${Version}\n' tshark libwireshark-dev cmake gcc 2>/dev/null | tr '\n' ';')"

# ---- copy the working tree to /src --------------------------------------

safe_rm "$R/src"
mkdir -p "$R/src"
# git's file list only when SRC is the top of a work tree (a snapshot that
# sits in an ignored dir of a checkout is copied whole).
if [ "$(git -C "$SRC" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$SRC" && pwd -P)" ]; then
    # Tracked and untracked-but-not-ignored files as they are on disk now
    # (uncommitted edits included, deleted files skipped, build dirs never).
    (cd "$SRC" && git ls-files -z -c -o --exclude-standard --deduplicate) |
        while IFS= read -r -d '' f; do
            case /$f in */build/*|*/build-*/*|*/.git/*) continue ;; esac
            [ -e "$SRC/$f" ] || [ -L "$SRC/$f" ] || continue
            printf '%s\0' "$f"
        done |
        { tar -C "$SRC" --null -T - --warning=no-file-changed -cf - || [ $? = 1 ]; } |
        tar -C "$R/src" -xf -
else
    { tar -C "$SRC" --exclude=.git --exclude=build --exclude='build-*' \
          --warning=no-file-changed -cf - . || [ $? = 1 ]; } | tar -C "$R/src" -xf -
fi
nfiles=$(find "$R/src" -type f | wc -l)
log "copied $nfiles files from $SRC to /src"
[ -f "$R/src/CMakeLists.txt" ] || { log "no CMakeLists.txt copied from $SRC"; exit 1; }

# ---- run ----------------------------------------------------------------

set +e
if [ $# -eq 0 ]; then
    in_chroot bash -c "$DEFAULT_CMD"
elif [ $# -eq 1 ]; then
    in_chroot bash -c "cd /src && $1"
else
    in_chroot bash -c 'cd /src && exec "$@"' bash "$@"
fi
rc=$?
set -e
exit $rc
