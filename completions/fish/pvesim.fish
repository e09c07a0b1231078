# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pvesim_global_optspecs
    string join \n h/help V/version
end

function __fish_pvesim_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pvesim_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pvesim_using_subcommand
    set -l cmd (__fish_pvesim_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pvesim -n "__fish_pvesim_needs_command" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_needs_command" -s V -l version -d 'Print version'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "init" -d 'Create a state root with standalone machines (optionally clustered)'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "use" -d 'Choose the node commands act as (when PVESIM_NODE is not set)'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "host" -d 'Add a machine or qnetd host, or reinstall a removed node'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "power" -d 'Power a machine on or off'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "network" -d 'Connect or cut a machine\'s network'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "split" -d 'Divide the network into segments (comma-separated groups of machines)'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "heal" -d 'Remove the network split'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "status" -d 'Show the state root, machines, power, network, partitions and quorum'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "replay" -d 'Replay an upstream HA regression test directory and print its log'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "schedule-analyze" -d 'Show the next events of a calendar-event schedule'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "shell" -d 'Open a shell where the emulated tools come first on PATH'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "tick" -d 'Advance the simulated clock: HA rounds and replication runs'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "demo" -d 'Build a three-node demo cluster, fail a node and show the HA failover'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "log" -d 'Show the event log (HA daemons, replication, lab bench actions)'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "shutdown" -d 'Shut a node down cleanly (the HA shutdown policy applies at the next tick)'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "reboot" -d 'Reboot a node cleanly (the HA shutdown policy applies at the next tick)'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "upgrade" -d 'Upgrade the emulated cluster to a newer Proxmox VE generation'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pvesim -n "__fish_pvesim_using_subcommand init" -l nodes -d 'Number of machines (named pve1..pveN unless --name is given)' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand init" -l name -d 'Machine names (repeat, or comma-separated); overrides --nodes' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand init" -l ip -d 'Primary addresses in machine order (repeat, or comma-separated); missing ones come from 192.168.1.11 upwards' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand init" -l cluster -d 'Create cluster NAME on the first machine and join all others' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand init" -l pve-version -d 'Proxmox VE generation to emulate (8 or 9)' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand init" -l cpu-model -d 'CPU model of every machine' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand init" -l force -d 'Replace an existing state root' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand init" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand use" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and not __fish_seen_subcommand_from add reinstall help" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and not __fish_seen_subcommand_from add reinstall help" -f -a "add" -d 'Add a standalone machine (powered on), or a qnetd host with --qnetd'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and not __fish_seen_subcommand_from add reinstall help" -f -a "reinstall" -d 'Give a machine removed with \'pvecm delnode\' a fresh standalone install'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and not __fish_seen_subcommand_from add reinstall help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and __fish_seen_subcommand_from add" -l ip -d 'An address of the machine; repeat for more (the first is primary). Default: the next free address from 192.168.1.11 upwards' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and __fish_seen_subcommand_from add" -l cpu-model -d 'CPU model (default EPYC-7302)' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and __fish_seen_subcommand_from add" -l qnetd -d 'The machine runs only corosync-qnetd (a QDevice server)'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and __fish_seen_subcommand_from reinstall" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a standalone machine (powered on), or a qnetd host with --qnetd'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and __fish_seen_subcommand_from help" -f -a "reinstall" -d 'Give a machine removed with \'pvecm delnode\' a fresh standalone install'
complete -c pvesim -n "__fish_pvesim_using_subcommand host; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pvesim -n "__fish_pvesim_using_subcommand power" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand network" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand split" -l qnetd-only-with -d 'Only the segment containing NODE reaches qnetd' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand split" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand heal" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand status" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand replay" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand schedule-analyze" -l starttime -d 'Start from this time (epoch seconds); default: the simulated clock' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand schedule-analyze" -l iterations -d 'Number of events to show' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand schedule-analyze" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand shell" -l node -d 'The node the shell acts as (sets PVESIM_NODE); default: the node chosen with `pvesim use`' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand shell" -s c -d 'Run this command in the shell\'s environment instead of an interactive shell' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand shell" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand tick" -l for -d 'Run for this much simulated time, e.g. 90s, 15m, 1h, 1h30m' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand tick" -l max-rounds -d 'The cap for --until-stable' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand tick" -l interval -d 'Wall-clock seconds between rounds in --live mode (0.05 to 3600)' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand tick" -l until-stable -d 'Run until no service or node is between states (at most --max-rounds)'
complete -c pvesim -n "__fish_pvesim_using_subcommand tick" -l live -d 'Keep ticking, one round per wall-clock interval, until interrupted'
complete -c pvesim -n "__fish_pvesim_using_subcommand tick" -s q -l quiet -d 'Print nothing but errors'
complete -c pvesim -n "__fish_pvesim_using_subcommand tick" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand demo" -l force -d 'Replace an existing state root that was not made by `pvesim demo`'
complete -c pvesim -n "__fish_pvesim_using_subcommand demo" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand log" -l tail -d 'Only the last N lines' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand log" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand shutdown" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand reboot" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand upgrade" -l pve-version -d 'The Proxmox VE generation to upgrade to (9; there is no way back)' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand upgrade" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "init" -d 'Create a state root with standalone machines (optionally clustered)'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "use" -d 'Choose the node commands act as (when PVESIM_NODE is not set)'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "host" -d 'Add a machine or qnetd host, or reinstall a removed node'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "power" -d 'Power a machine on or off'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "network" -d 'Connect or cut a machine\'s network'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "split" -d 'Divide the network into segments (comma-separated groups of machines)'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "heal" -d 'Remove the network split'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "status" -d 'Show the state root, machines, power, network, partitions and quorum'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "replay" -d 'Replay an upstream HA regression test directory and print its log'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "schedule-analyze" -d 'Show the next events of a calendar-event schedule'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "shell" -d 'Open a shell where the emulated tools come first on PATH'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "tick" -d 'Advance the simulated clock: HA rounds and replication runs'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "demo" -d 'Build a three-node demo cluster, fail a node and show the HA failover'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "log" -d 'Show the event log (HA daemons, replication, lab bench actions)'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "shutdown" -d 'Shut a node down cleanly (the HA shutdown policy applies at the next tick)'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "reboot" -d 'Reboot a node cleanly (the HA shutdown policy applies at the next tick)'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "upgrade" -d 'Upgrade the emulated cluster to a newer Proxmox VE generation'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from init use host power network split heal status replay schedule-analyze shell tick demo log shutdown reboot upgrade help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and __fish_seen_subcommand_from host" -f -a "add" -d 'Add a standalone machine (powered on), or a qnetd host with --qnetd'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and __fish_seen_subcommand_from host" -f -a "reinstall" -d 'Give a machine removed with \'pvecm delnode\' a fresh standalone install'
