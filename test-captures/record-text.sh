#!/bin/bash
# record-text.sh - record real text protocols on TCP 3414 for recognition:
# FTP (pyftpdlib server, curl client), SMTP (aiosmtpd server, curl client),
# POP3 and IMAP (Dovecot, curl client).
#
# REQUIRES (Debian 12): iproute2 tcpdump curl python3-pyftpdlib python3-aiosmtpd
#   dovecot-pop3d dovecot-imapd
#
# Usage (as root):  test-captures/record-text.sh [ftp smtp pop3 imap]
#
# Every byte stays inside a network namespace this script creates
# (wiptext<PID>) and deletes on exit; only its loopback is up, servers listen
# on 127.0.0.1:3414, tcpdump -i lo writes text-NAME.pcap with the filter
# 'port 3414' (FTP: the control connection; its data connections use other
# ports).  Every command is bounded by timeout.  Truth in manifest-text.tsv.
set -u
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${WIP_TEXT_OUT:-$HERE}
TAG=record-text CAP_PREFIX=text-
. "$HERE/lib-netns.sh"
netns_init wiptext$$

sc_ftp() {
    mkdir -p "$TMP/ftp"; echo "hello from pyftpdlib" > "$TMP/ftp/hello.txt"
    cap_start ftp
    bgrun 20 "$TMP/ftpd.log" /usr/bin/python3 -m pyftpdlib -i 127.0.0.1 -p $PORT -d "$TMP/ftp"
    local srv=$BGPID
    wait_listen || return 1
    nsx 10 curl -s -o /dev/null "ftp://127.0.0.1:$PORT/hello.txt"
    nsx 10 curl -s -o /dev/null --ftp-port 127.0.0.1 "ftp://127.0.0.1:$PORT/hello.txt"
    stop "$srv"; cap_stop
}

sc_smtp() {
    printf 'From: alice@example.org\r\nTo: bob@example.org\r\nSubject: wip test\r\n\r\nhello from curl\r\n' > "$TMP/mail.txt"
    cap_start smtp
    bgrun 20 "$TMP/smtpd.log" /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:$PORT
    local srv=$BGPID
    wait_listen || return 1
    nsx 10 curl -s "smtp://127.0.0.1:$PORT/client.example.org" --mail-from alice@example.org \
        --mail-rcpt bob@example.org -T "$TMP/mail.txt"
    stop "$srv"; cap_stop
}

dovecot_conf() {   # protocol
    mkdir -p "$TMP/dc/run" "$TMP/dc/state" "$TMP/dc/home/wip/Maildir/new" "$TMP/dc/home/wip/Maildir/cur" "$TMP/dc/home/wip/Maildir/tmp"
    printf 'From: alice@example.org\nTo: wip@example.test\nSubject: hello\n\nhello from dovecot\n' \
        > "$TMP/dc/home/wip/Maildir/new/1700000000.M1P1.wip"
    chown -R 65534:65534 "$TMP/dc/home"
    echo 'wip:{PLAIN}wippass::::::' > "$TMP/dc/passwd"
    cat > "$TMP/dc/dovecot.conf" <<CONF
protocols = $1
listen = 127.0.0.1
base_dir = $TMP/dc/run
state_dir = $TMP/dc/state
log_path = $TMP/dc/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 65534
passdb {
  driver = passwd-file
  args = $TMP/dc/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$TMP/dc/home/%u
}
mail_location = maildir:~/Maildir
service pop3-login {
  inet_listener pop3 {
    port = $( [ "$1" = pop3 ] && echo $PORT || echo 0 )
  }
  inet_listener pop3s {
    port = 0
  }
}
service imap-login {
  inet_listener imap {
    port = $( [ "$1" = imap ] && echo $PORT || echo 0 )
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
}

sc_pop3() {
    dovecot_conf pop3
    cap_start pop3
    bgrun 20 "$TMP/dovecot.out" dovecot -F -c "$TMP/dc/dovecot.conf"
    local srv=$BGPID
    wait_listen || { cat "$TMP/dovecot.out" "$TMP/dc/dovecot.log" >&2; return 1; }
    nsx 10 curl -s -o /dev/null -u wip:wippass "pop3://127.0.0.1:$PORT/"
    nsx 10 curl -s -o /dev/null -u wip:wippass "pop3://127.0.0.1:$PORT/1"
    stop "$srv"; cap_stop
}

sc_imap() {
    dovecot_conf imap
    cap_start imap
    bgrun 20 "$TMP/dovecot.out" dovecot -F -c "$TMP/dc/dovecot.conf"
    local srv=$BGPID
    wait_listen || { cat "$TMP/dovecot.out" "$TMP/dc/dovecot.log" >&2; return 1; }
    nsx 10 curl -s -o /dev/null -u wip:wippass "imap://127.0.0.1:$PORT/INBOX"
    nsx 10 curl -s -o /dev/null -u wip:wippass "imap://127.0.0.1:$PORT/INBOX;UID=1"
    stop "$srv"; cap_stop
}

SCEN=("$@")
[ ${#SCEN[@]} -gt 0 ] || SCEN=(ftp smtp pop3 imap)
for s in "${SCEN[@]}"; do log "scenario $s"; "sc_$s" || log "scenario $s FAILED"; done
