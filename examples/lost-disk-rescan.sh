#!/usr/bin/env bash
# Journey (the failure from the field guide): HA recovers a VM whose disk
# lives on local ZFS of the failed node. The config moves, the disk does
# not, so the VM cannot start on the new node and HA puts it in `error`.
# The way back: take the VM out of HA, detach the missing disk, migrate the
# VM home, let `qm rescan` find the disk, attach it, and hand it back to HA.
#
# Run:  PATH=target/<host triple>/release:$PATH examples/lost-disk-rescan.sh
# (uses $PVESIM_ROOT if set - a new directory, the script builds the root -
# else a fresh temporary directory)
set -euo pipefail
export PVESIM_ROOT="${PVESIM_ROOT:-$(mktemp -d)}"
export TZ=UTC

say() { printf '\n### %s\n' "$*"; }
on() { local n=$1; shift; PVESIM_NODE=$n "$@"; }
holder() {  # the node whose directory holds the config of VM $1
  for n in pve1 pve2 pve3; do
    if [ -e "$PVESIM_ROOT/etc/pve/nodes/$n/qemu-server/$1.conf" ]; then echo "$n"; fi
  done
}

say "a VM with its disk on local ZFS of pve1, under HA"
pvesim init --nodes 3 --cluster lab
on pve1 qm create 100 --name web01 --memory 2048 --scsi0 local-zfs:32,iothread=1 --scsihw virtio-scsi-single
on pve1 ha-manager add vm:100
on pve1 pvesim tick --until-stable --quiet
on pve1 ha-manager status | grep '^service'

say "pve1 fails: the config is recovered elsewhere, the disk stays on pve1"
pvesim power pve1 off
on pve2 pvesim tick --until-stable | grep -E "recover service|unable to start|no zvol" || true
on pve2 ha-manager status | grep '^service'
new=$(holder 100)
echo "config now on $new"

say "pve1 is back; on $new: take the VM out of HA and detach the missing disk"
pvesim power pve1 on
on pve2 pvesim tick --until-stable --quiet
# In `error`, ha-manager accepts only `--state disabled`; once the CRM has
# moved the service to `stopped`, it can be taken out of HA with `ignored`.
on "$new" ha-manager set vm:100 --state disabled
on "$new" pvesim tick --until-stable --quiet
on "$new" ha-manager set vm:100 --state ignored
on "$new" pvesim tick --until-stable --quiet
on "$new" qm set 100 --delete scsi0
on "$new" qm set 100 --delete unused0

say "migrate the VM home to the node that holds the disk"
on "$new" qm migrate 100 pve1

say "on pve1: rescan finds the disk; attach it again and hand the VM back to HA"
on pve1 qm rescan --vmid 100
on pve1 qm set 100 --scsi0 local-zfs:vm-100-disk-0,iothread=1
on pve1 qm set 100 --boot 'order=scsi0'
on pve1 ha-manager set vm:100 --state started
on pve1 pvesim tick --until-stable --quiet
on pve1 ha-manager status | grep '^service'
on pve1 qm config 100 | grep -E '^(scsi0|boot):'
