# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_qm_global_optspecs
    string join \n
end

function __fish_qm_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_qm_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_qm_using_subcommand
    set -l cmd (__fish_qm_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c qm -n "__fish_qm_needs_command" -f -a "list" -d 'Virtual machine index (per node).'
complete -c qm -n "__fish_qm_needs_command" -f -a "status" -d 'Show VM status.'
complete -c qm -n "__fish_qm_needs_command" -f -a "config" -d 'Get the virtual machine configuration with pending configuration changes applied.'
complete -c qm -n "__fish_qm_needs_command" -f -a "pending" -d 'Get the virtual machine configuration with both current and pending values.'
complete -c qm -n "__fish_qm_needs_command" -f -a "create" -d 'Create or restore a virtual machine.'
complete -c qm -n "__fish_qm_needs_command" -f -a "set" -d 'Set virtual machine options (synchronous API).'
complete -c qm -n "__fish_qm_needs_command" -f -a "start" -d 'Start virtual machine.'
complete -c qm -n "__fish_qm_needs_command" -f -a "stop" -d 'Stop virtual machine. The qemu process will exit immediately.'
complete -c qm -n "__fish_qm_needs_command" -f -a "shutdown" -d 'Shutdown virtual machine.'
complete -c qm -n "__fish_qm_needs_command" -f -a "reboot" -d 'Reboot the VM by shutting it down, and starting it again.'
complete -c qm -n "__fish_qm_needs_command" -f -a "suspend" -d 'Suspend virtual machine.'
complete -c qm -n "__fish_qm_needs_command" -f -a "resume" -d 'Resume virtual machine.'
complete -c qm -n "__fish_qm_needs_command" -f -a "destroy" -d 'Destroy the VM and all used/owned volumes.'
complete -c qm -n "__fish_qm_needs_command" -f -a "unlock" -d 'Unlock the VM.'
complete -c qm -n "__fish_qm_needs_command" -f -a "migrate" -d 'Migrate virtual machine. Creates a new migration task.'
complete -c qm -n "__fish_qm_needs_command" -f -a "snapshot" -d 'Snapshot a VM.'
complete -c qm -n "__fish_qm_needs_command" -f -a "delsnapshot" -d 'Delete a VM snapshot.'
complete -c qm -n "__fish_qm_needs_command" -f -a "rollback" -d 'Rollback VM state to specified snapshot.'
complete -c qm -n "__fish_qm_needs_command" -f -a "listsnapshot" -d 'List all snapshots.'
complete -c qm -n "__fish_qm_needs_command" -f -a "rescan" -d 'Rescan all storages and update disk sizes and unused disk images.'
complete -c qm -n "__fish_qm_needs_command" -f -a "disk" -d 'Disk related commands.'
complete -c qm -n "__fish_qm_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qm -n "__fish_qm_using_subcommand list" -l full -d 'Determine the full status of active VMs.' -r
complete -c qm -n "__fish_qm_using_subcommand status" -l verbose -d 'Verbose output format' -r
complete -c qm -n "__fish_qm_using_subcommand config" -l current -d 'Get current values (instead of pending values).' -r
complete -c qm -n "__fish_qm_using_subcommand config" -l snapshot -d 'Fetch config values from given snapshot.' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l storage -d 'Default storage.' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l start -d 'Start VM after it was created successfully.' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ha-managed -d 'Add the VM as a HA resource after it was created.' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l pool -d 'Add the VM to the specified pool.' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l bwlimit -d 'Override I/O bandwidth limit (in KiB/s).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l acpi -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l affinity -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l agent -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l amd-sev -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l arch -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l args -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l audio0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l autostart -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l balloon -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l bios -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l boot -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l bootdisk -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l cdrom -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l cicustom -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l cipassword -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l citype -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ciupgrade -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ciuser -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l cores -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l cpu -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l cpulimit -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l cpuunits -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l description -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l efidisk0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l freeze -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hookscript -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hotplug -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hugepages -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l intel-tdx -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ivshmem -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l keephugepages -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l keyboard -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l kvm -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l localtime -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l lock -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l machine -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l memory -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l migrate_downtime -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l migrate_speed -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l name -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l nameserver -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l numa -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l onboot -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ostype -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l protection -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l reboot -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l rng0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsihw -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l searchdomain -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l shares -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l smbios1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l smp -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l sockets -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l spice_enhancements -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l sshkeys -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l startdate -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l startup -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l tablet -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l tags -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l tdf -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l template -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l tpmstate0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l vcpus -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l vga -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l vmgenid -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l vmstatestorage -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l watchdog -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ide0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ide1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ide2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ide3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi16 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi17 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi18 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi19 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi20 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi21 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi22 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi23 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi24 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi25 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi26 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi27 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi28 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi29 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l scsi30 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtio15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l sata0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l sata1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l sata2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l sata3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l sata4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l sata5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net16 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net17 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net18 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net19 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net20 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net21 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net22 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net23 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net24 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net25 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net26 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net27 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net28 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net29 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net30 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l net31 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l hostpci15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l usb13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l serial0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l serial1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l serial2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l serial3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l parallel0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l parallel1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l parallel2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig16 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig17 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig18 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig19 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig20 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig21 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig22 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig23 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig24 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig25 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig26 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig27 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig28 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig29 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig30 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l ipconfig31 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l numa0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l numa1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l numa2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l numa3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l numa4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l numa5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l numa6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l numa7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l virtiofs9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused16 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused17 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused18 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused19 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused20 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused21 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused22 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused23 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused24 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused25 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused26 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused27 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused28 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused29 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused30 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused31 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused32 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused33 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused34 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused35 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused36 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused37 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused38 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused39 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused40 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused41 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused42 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused43 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused44 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused45 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused46 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused47 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused48 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused49 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused50 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused51 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused52 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused53 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused54 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused55 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused56 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused57 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused58 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused59 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused60 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused61 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused62 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused63 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused64 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused65 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused66 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused67 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused68 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused69 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused70 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused71 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused72 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused73 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused74 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused75 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused76 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused77 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused78 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused79 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused80 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused81 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused82 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused83 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused84 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused85 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused86 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused87 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused88 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused89 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused90 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused91 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused92 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused93 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused94 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused95 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused96 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused97 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused98 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused99 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused100 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused101 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused102 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused103 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused104 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused105 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused106 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused107 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused108 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused109 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused110 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused111 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused112 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused113 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused114 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused115 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused116 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused117 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused118 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused119 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused120 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused121 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused122 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused123 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused124 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused125 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused126 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused127 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused128 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused129 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused130 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused131 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused132 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused133 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused134 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused135 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused136 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused137 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused138 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused139 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused140 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused141 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused142 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused143 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused144 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused145 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused146 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused147 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused148 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused149 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused150 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused151 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused152 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused153 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused154 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused155 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused156 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused157 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused158 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused159 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused160 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused161 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused162 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused163 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused164 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused165 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused166 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused167 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused168 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused169 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused170 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused171 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused172 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused173 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused174 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused175 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused176 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused177 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused178 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused179 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused180 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused181 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused182 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused183 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused184 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused185 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused186 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused187 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused188 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused189 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused190 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused191 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused192 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused193 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused194 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused195 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused196 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused197 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused198 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused199 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused200 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused201 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused202 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused203 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused204 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused205 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused206 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused207 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused208 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused209 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused210 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused211 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused212 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused213 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused214 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused215 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused216 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused217 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused218 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused219 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused220 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused221 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused222 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused223 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused224 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused225 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused226 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused227 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused228 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused229 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused230 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused231 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused232 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused233 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused234 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused235 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused236 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused237 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused238 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused239 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused240 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused241 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused242 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused243 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused244 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused245 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused246 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused247 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused248 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused249 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused250 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused251 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused252 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused253 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused254 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand create" -l unused255 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l delete -d 'A list of settings you want to delete.' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l revert -d 'Revert a pending change.' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l force -d 'Force physical removal. Without this, we simple remove the disk from the config file and create an additional configuration entry called \'unused[n]\', which contains the volume ID.' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l skiplock -d 'Ignore locks - only root is allowed to use this option.' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l digest -d 'Prevent changes if current configuration file has a different SHA1 digest.' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l acpi -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l affinity -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l agent -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l amd-sev -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l arch -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l args -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l audio0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l autostart -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l balloon -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l bios -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l boot -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l bootdisk -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l cdrom -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l cicustom -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l cipassword -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l citype -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ciupgrade -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ciuser -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l cores -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l cpu -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l cpulimit -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l cpuunits -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l description -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l efidisk0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l freeze -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hookscript -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hotplug -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hugepages -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l intel-tdx -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ivshmem -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l keephugepages -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l keyboard -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l kvm -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l localtime -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l lock -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l machine -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l memory -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l migrate_downtime -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l migrate_speed -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l name -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l nameserver -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l numa -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l onboot -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ostype -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l protection -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l reboot -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l rng0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsihw -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l searchdomain -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l shares -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l smbios1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l smp -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l sockets -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l spice_enhancements -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l sshkeys -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l startdate -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l startup -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l tablet -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l tags -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l tdf -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l template -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l tpmstate0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l vcpus -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l vga -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l vmgenid -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l vmstatestorage -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l watchdog -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ide0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ide1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ide2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ide3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi16 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi17 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi18 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi19 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi20 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi21 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi22 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi23 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi24 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi25 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi26 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi27 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi28 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi29 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l scsi30 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtio15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l sata0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l sata1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l sata2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l sata3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l sata4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l sata5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net16 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net17 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net18 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net19 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net20 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net21 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net22 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net23 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net24 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net25 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net26 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net27 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net28 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net29 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net30 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l net31 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l hostpci15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l usb13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l serial0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l serial1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l serial2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l serial3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l parallel0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l parallel1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l parallel2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig16 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig17 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig18 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig19 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig20 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig21 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig22 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig23 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig24 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig25 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig26 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig27 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig28 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig29 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig30 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l ipconfig31 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l numa0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l numa1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l numa2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l numa3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l numa4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l numa5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l numa6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l numa7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l virtiofs9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused0 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused1 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused2 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused3 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused4 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused5 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused6 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused7 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused8 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused9 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused10 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused11 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused12 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused13 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused14 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused15 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused16 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused17 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused18 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused19 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused20 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused21 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused22 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused23 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused24 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused25 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused26 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused27 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused28 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused29 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused30 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused31 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused32 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused33 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused34 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused35 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused36 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused37 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused38 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused39 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused40 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused41 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused42 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused43 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused44 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused45 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused46 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused47 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused48 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused49 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused50 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused51 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused52 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused53 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused54 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused55 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused56 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused57 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused58 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused59 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused60 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused61 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused62 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused63 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused64 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused65 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused66 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused67 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused68 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused69 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused70 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused71 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused72 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused73 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused74 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused75 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused76 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused77 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused78 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused79 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused80 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused81 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused82 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused83 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused84 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused85 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused86 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused87 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused88 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused89 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused90 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused91 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused92 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused93 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused94 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused95 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused96 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused97 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused98 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused99 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused100 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused101 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused102 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused103 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused104 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused105 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused106 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused107 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused108 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused109 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused110 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused111 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused112 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused113 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused114 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused115 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused116 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused117 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused118 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused119 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused120 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused121 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused122 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused123 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused124 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused125 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused126 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused127 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused128 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused129 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused130 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused131 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused132 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused133 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused134 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused135 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused136 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused137 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused138 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused139 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused140 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused141 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused142 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused143 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused144 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused145 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused146 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused147 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused148 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused149 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused150 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused151 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused152 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused153 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused154 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused155 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused156 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused157 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused158 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused159 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused160 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused161 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused162 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused163 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused164 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused165 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused166 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused167 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused168 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused169 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused170 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused171 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused172 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused173 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused174 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused175 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused176 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused177 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused178 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused179 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused180 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused181 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused182 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused183 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused184 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused185 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused186 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused187 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused188 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused189 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused190 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused191 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused192 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused193 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused194 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused195 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused196 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused197 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused198 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused199 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused200 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused201 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused202 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused203 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused204 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused205 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused206 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused207 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused208 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused209 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused210 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused211 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused212 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused213 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused214 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused215 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused216 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused217 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused218 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused219 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused220 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused221 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused222 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused223 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused224 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused225 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused226 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused227 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused228 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused229 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused230 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused231 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused232 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused233 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused234 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused235 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused236 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused237 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused238 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused239 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused240 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused241 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused242 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused243 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused244 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused245 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused246 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused247 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused248 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused249 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused250 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused251 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused252 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused253 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused254 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand set" -l unused255 -d 'VM configuration option (see qm.conf(5)).' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l skiplock -d 'Ignore locks - only root is allowed to use this option.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l timeout -d 'Wait maximal timeout seconds.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l machine -d 'Specify the QEMU machine.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l force-cpu -d 'Override QEMU\'s -cpu argument with the given string.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l migratedfrom -d 'The cluster node name.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l migration_type -d 'Migration traffic is encrypted using an SSH tunnel by default.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l migration_network -d 'CIDR of the (sub) network that is used for migration.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l stateuri -d 'Some command save/restore state from this location.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l targetstorage -d 'Mapping from source to target storages.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l nets-host-mtu -d 'Used for migration compat.' -r
complete -c qm -n "__fish_qm_using_subcommand start" -l with-conntrack-state -d 'Whether to migrate conntrack entries for running VMs.' -r
complete -c qm -n "__fish_qm_using_subcommand stop" -l skiplock -d 'Ignore locks - only root is allowed to use this option.' -r
complete -c qm -n "__fish_qm_using_subcommand stop" -l timeout -d 'Wait maximal timeout seconds.' -r
complete -c qm -n "__fish_qm_using_subcommand stop" -l keepActive -d 'Do not deactivate storage volumes.' -r
complete -c qm -n "__fish_qm_using_subcommand stop" -l overrule-shutdown -d 'Try to abort active \'qmshutdown\' tasks before stopping.' -r
complete -c qm -n "__fish_qm_using_subcommand stop" -l migratedfrom -d 'The cluster node name.' -r
complete -c qm -n "__fish_qm_using_subcommand shutdown" -l timeout -d 'Wait maximal timeout seconds.' -r
complete -c qm -n "__fish_qm_using_subcommand shutdown" -l forceStop -d 'Make sure the VM stops.' -r
complete -c qm -n "__fish_qm_using_subcommand shutdown" -l keepActive -d 'Do not deactivate storage volumes.' -r
complete -c qm -n "__fish_qm_using_subcommand shutdown" -l skiplock -d 'Ignore locks - only root is allowed to use this option.' -r
complete -c qm -n "__fish_qm_using_subcommand reboot" -l timeout -d 'Wait maximal timeout seconds for the shutdown.' -r
complete -c qm -n "__fish_qm_using_subcommand suspend" -l skiplock -d 'Ignore locks.' -r
complete -c qm -n "__fish_qm_using_subcommand suspend" -l todisk -d 'If set, suspends the VM to disk.' -r
complete -c qm -n "__fish_qm_using_subcommand resume" -l skiplock -d 'Ignore locks.' -r
complete -c qm -n "__fish_qm_using_subcommand resume" -l nocheck -d '' -r
complete -c qm -n "__fish_qm_using_subcommand destroy" -l purge -d 'Remove VMID from configurations, like backup & replication jobs and HA.' -r
complete -c qm -n "__fish_qm_using_subcommand destroy" -l destroy-unreferenced-disks -d 'If set, destroy additionally all disks not referenced in the config but with a matching VMID from all enabled storages.' -r
complete -c qm -n "__fish_qm_using_subcommand destroy" -l skiplock -d 'Ignore locks - only root is allowed to use this option.' -r
complete -c qm -n "__fish_qm_using_subcommand migrate" -l online -d 'Use online/live migration if VM is running. Ignored if VM is stopped.' -r
complete -c qm -n "__fish_qm_using_subcommand migrate" -l with-local-disks -d 'Enable live storage migration for local disk' -r
complete -c qm -n "__fish_qm_using_subcommand migrate" -l targetstorage -d 'Mapping from source to target storages.' -r
complete -c qm -n "__fish_qm_using_subcommand migrate" -l bwlimit -d 'Override I/O bandwidth limit (in KiB/s).' -r
complete -c qm -n "__fish_qm_using_subcommand migrate" -l force -d 'Allow to migrate VMs which use local devices.' -r
complete -c qm -n "__fish_qm_using_subcommand migrate" -l migration_type -d 'Migration traffic is encrypted using an SSH tunnel by default.' -r
complete -c qm -n "__fish_qm_using_subcommand migrate" -l migration_network -d 'CIDR of the (sub) network that is used for migration.' -r
complete -c qm -n "__fish_qm_using_subcommand migrate" -l with-conntrack-state -d 'Whether to migrate conntrack entries for running VMs.' -r
complete -c qm -n "__fish_qm_using_subcommand snapshot" -l description -d 'A textual description or comment.' -r
complete -c qm -n "__fish_qm_using_subcommand snapshot" -l vmstate -d 'Save the vmstate' -r
complete -c qm -n "__fish_qm_using_subcommand delsnapshot" -l force -d 'For removal from config file, even if removing disk snapshots fails.' -r
complete -c qm -n "__fish_qm_using_subcommand rollback" -l start -d 'Whether the VM should get started after rolling back successfully. (default=0)' -r
complete -c qm -n "__fish_qm_using_subcommand rescan" -l vmid -d 'The (unique) ID of the VM.' -r
complete -c qm -n "__fish_qm_using_subcommand rescan" -l dryrun -d 'Do not actually write changes out to VM config(s).' -r
complete -c qm -n "__fish_qm_using_subcommand disk; and not __fish_seen_subcommand_from rescan help" -f -a "rescan" -d 'Rescan all storages and update disk sizes and unused disk images.'
complete -c qm -n "__fish_qm_using_subcommand disk; and not __fish_seen_subcommand_from rescan help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qm -n "__fish_qm_using_subcommand disk; and __fish_seen_subcommand_from rescan" -l vmid -d 'The (unique) ID of the VM.' -r
complete -c qm -n "__fish_qm_using_subcommand disk; and __fish_seen_subcommand_from rescan" -l dryrun -d 'Do not actually write changes out to VM config(s).' -r
complete -c qm -n "__fish_qm_using_subcommand disk; and __fish_seen_subcommand_from help" -f -a "rescan" -d 'Rescan all storages and update disk sizes and unused disk images.'
complete -c qm -n "__fish_qm_using_subcommand disk; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "list" -d 'Virtual machine index (per node).'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "status" -d 'Show VM status.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "config" -d 'Get the virtual machine configuration with pending configuration changes applied.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "pending" -d 'Get the virtual machine configuration with both current and pending values.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "create" -d 'Create or restore a virtual machine.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "set" -d 'Set virtual machine options (synchronous API).'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "start" -d 'Start virtual machine.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "stop" -d 'Stop virtual machine. The qemu process will exit immediately.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "shutdown" -d 'Shutdown virtual machine.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "reboot" -d 'Reboot the VM by shutting it down, and starting it again.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "suspend" -d 'Suspend virtual machine.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "resume" -d 'Resume virtual machine.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "destroy" -d 'Destroy the VM and all used/owned volumes.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "unlock" -d 'Unlock the VM.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "migrate" -d 'Migrate virtual machine. Creates a new migration task.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "snapshot" -d 'Snapshot a VM.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "delsnapshot" -d 'Delete a VM snapshot.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "rollback" -d 'Rollback VM state to specified snapshot.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "listsnapshot" -d 'List all snapshots.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "rescan" -d 'Rescan all storages and update disk sizes and unused disk images.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "disk" -d 'Disk related commands.'
complete -c qm -n "__fish_qm_using_subcommand help; and not __fish_seen_subcommand_from list status config pending create set start stop shutdown reboot suspend resume destroy unlock migrate snapshot delsnapshot rollback listsnapshot rescan disk help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qm -n "__fish_qm_using_subcommand help; and __fish_seen_subcommand_from disk" -f -a "rescan" -d 'Rescan all storages and update disk sizes and unused disk images.'
