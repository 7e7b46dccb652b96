# scripts/deps.sh - the Debian packages the plugin needs to build and test.
# Sourced by quickstart.sh, test.sh and .ci/run.
WIP_DEBS="wireshark-dev libwireshark-dev tshark cmake gcc make pkg-config libglib2.0-dev util-linux diffutils nmap-common time"

wip_missing_debs() {
    local p missing=""
    for p in $WIP_DEBS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    echo "$missing"
}

wip_install_debs() {
    local missing; missing=$(wip_missing_debs)
    [ -z "$missing" ] && return 0
    echo ">> installing:$missing"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections 2>/dev/null || true
    $sudo apt-get update -q
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
}
