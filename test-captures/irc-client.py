#!/usr/bin/env python3
"""irc-client.py - a small IRC client (RFC 2812) for record-apps.sh: registers
(NICK, USER), answers PING, joins a channel, talks, parts and quits.
usage: irc-client.py HOST PORT"""
import socket
import sys
import time


def main():
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
    f = s.makefile("rb")

    def send(line):
        s.sendall(line.encode() + b"\r\n")

    def until(*codes):
        for raw in f:
            line = raw.decode(errors="replace").rstrip("\r\n")
            if line.startswith("PING "):
                send("PONG " + line[5:])
            parts = line.split()
            if len(parts) > 1 and parts[1] in codes:
                return

    send("NICK wipuser")
    send("USER wip 0 * :wip test user")
    until("376", "422")                   # end of MOTD, or no MOTD
    send("JOIN #wip")
    until("366")                          # end of NAMES
    send("TOPIC #wip :testing port 3414")
    send("PRIVMSG #wip :hello from the wip test")
    send("MODE #wip")
    until("324")
    send("WHOIS wipuser")
    until("318")
    send("PART #wip :bye")
    send("QUIT :done")
    time.sleep(0.3)
    s.close()


if __name__ == "__main__":
    main()
