#!/usr/bin/env bash
# Journey: a two-node cluster loses a node and with it quorum; `pvecm
# expected 1` lets the survivor work again; a QDevice on a third machine
# makes the next failure harmless.
#
# Run:  PATH=target/<host triple>/release:$PATH examples/two-node-quorum.sh
# (uses $PVESIM_ROOT if set - a new directory, the script builds the root -
# else a fresh temporary directory)
set -euo pipefail
export PVESIM_ROOT="${PVESIM_ROOT:-$(mktemp -d)}"
export TZ=UTC

say() { printf '\n### %s\n' "$*"; }
# `pvecm status` exits 2 on a node without quorum, as corosync-quorumtool does.
status() { PVESIM_NODE="$1" pvecm status || [ $? -eq 2 ]; }

say "two machines, one cluster"
pvesim init --nodes 2 --cluster lab
pvecm nodes

say "pve2 loses power: pve1 alone has 1 of 2 votes"
pvesim power pve2 off
status pve1 | grep -E '^(Quorate|Expected votes|Total votes|Quorum):'

say "without quorum /etc/pve is read-only: creating a VM fails"
if PVESIM_NODE=pve1 qm create 100 --memory 512; then
  echo "unexpected: write without quorum succeeded" >&2
  exit 1
fi

say "the admin lowers the expected votes on the survivor"
PVESIM_NODE=pve1 pvecm expected 1
status pve1 | grep -E '^(Quorate|Expected votes):'
PVESIM_NODE=pve1 qm create 100 --memory 512

say "pve2 is back; a QDevice on a small third machine gives the cluster a tie-breaker"
pvesim power pve2 on
pvesim host add qdev --ip 192.168.1.50 --qnetd
PVESIM_NODE=pve1 pvecm qdevice setup 192.168.1.50 >/dev/null
status pve1 | sed -n '/^Votequorum information/,$p'

say "pve2 loses power again: pve1 plus the QDevice keep quorum"
pvesim power pve2 off
status pve1 | grep -E '^(Quorate|Total votes|Flags):'
PVESIM_NODE=pve1 qm set 100 --memory 1024
