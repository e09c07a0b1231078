#!/usr/bin/env bash
# Journey: without shared storage, HA works with ZFS replication. A VM on
# local ZFS of pve1 is replicated to pve2 and pve3 every 15 minutes. When
# pve1 dies, HA recovers the VM onto a replica; what was written since the
# last sync is lost.
#
# Run:  PATH=target/<host triple>/release:$PATH examples/zfs-replication-failover.sh
# (uses $PVESIM_ROOT if set - a new directory, the script builds the root -
# else a fresh temporary directory)
set -euo pipefail
export PVESIM_ROOT="${PVESIM_ROOT:-$(mktemp -d)}"
export TZ=UTC PVESIM_NODE=pve1

say() { printf '\n### %s\n' "$*"; }

say "a VM on local ZFS of pve1, replicated to pve2 and pve3 every 15 minutes"
pvesim init --nodes 3 --cluster lab
qm create 100 --name db --memory 2048 --scsi0 local-zfs:16
pvesr create-local-job 100-0 pve2 --schedule '*/15'
pvesr create-local-job 100-1 pve3 --schedule '*/15'
ha-manager add vm:100
pvesr list

say "an hour of simulated time"
pvesim tick --for 1h --quiet
pvesr status

say "pve1 fails ten minutes after the last sync"
pvesim tick --for 10m --quiet
pvesim power pve1 off
PVESIM_NODE=pve2 pvesim tick --until-stable | grep -E "recover|replica|lost" || true
PVESIM_NODE=pve2 ha-manager status | grep '^service'
