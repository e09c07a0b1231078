#!/usr/bin/env bash
# Journey: three nodes, HA groups with node priorities (Proxmox VE 8 style),
# a node loses power, its VMs fail over; when it comes back, the VM of the
# normal group fails back, the VM of the `nofailback` group stays put.
#
# Run:  PATH=target/<host triple>/release:$PATH examples/ha-groups-failover.sh
# (uses $PVESIM_ROOT if set - a new directory, the script builds the root -
# else a fresh temporary directory)
set -euo pipefail
export PVESIM_ROOT="${PVESIM_ROOT:-$(mktemp -d)}"
export TZ=UTC PVESIM_NODE=pve2

say() { printf '\n### %s\n' "$*"; }
where() { ha-manager status | grep "^service vm:$1 "; }

say "three nodes on Proxmox VE 8, with an NFS share every node can reach"
pvesim init --nodes 3 --cluster lab --pve-version 8
cat >> "$PVESIM_ROOT/etc/pve/storage.cfg" <<'CFG'
nfs: shared
	export /export/pve
	path /mnt/pve/shared
	server 192.168.1.5
	content images

CFG

say "two groups: both prefer pve1; 'sticky' does not fail back"
ha-manager groupadd prefer-pve1 --nodes "pve1:2,pve2:1,pve3:1"
ha-manager groupadd sticky --nodes "pve1:2,pve2:1,pve3:1" --nofailback 1
ha-manager groupconfig

say "two VMs on pve1, one per group"
PVESIM_NODE=pve1 qm create 100 --name web --memory 1024 --scsi0 shared:8
PVESIM_NODE=pve1 qm create 101 --name db --memory 1024 --scsi0 shared:8
ha-manager add vm:100 --group prefer-pve1 --max_restart 1 --max_relocate 1
ha-manager add vm:101 --group sticky
pvesim tick --until-stable --quiet
where 100; where 101

say "pve1 loses power: fencing, then recovery to the next-best nodes"
pvesim power pve1 off
pvesim tick --until-stable | grep -E "fence|recover" || true
where 100; where 101

say "pve1 is back: vm:100 fails back to its preferred node, vm:101 stays"
pvesim power pve1 on
pvesim tick --until-stable --quiet
where 100; where 101
