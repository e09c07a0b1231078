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
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "where" -d 'Show the state root and the node commands act as'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "replay" -d 'Replay an upstream HA regression test directory and print its log'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "schedule-analyze" -d 'Show the next events of a calendar-event schedule'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "shell" -d 'Open a shell where the emulated tools come first on PATH'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "upgrade" -d 'Upgrade the emulated cluster to a newer Proxmox VE generation'
complete -c pvesim -n "__fish_pvesim_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pvesim -n "__fish_pvesim_using_subcommand where" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand replay" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand schedule-analyze" -l starttime -d 'Start from this time (epoch seconds); default: the simulated clock' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand schedule-analyze" -l iterations -d 'Number of events to show' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand schedule-analyze" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand shell" -l node -d 'The node the shell acts as (sets PVESIM_NODE); default: the node chosen with `pvesim use`' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand shell" -s c -d 'Run this command in the shell\'s environment instead of an interactive shell' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand shell" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand upgrade" -l pve-version -d 'The Proxmox VE generation to upgrade to (9; there is no way back)' -r
complete -c pvesim -n "__fish_pvesim_using_subcommand upgrade" -s h -l help -d 'Print help'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from where replay schedule-analyze shell upgrade help" -f -a "where" -d 'Show the state root and the node commands act as'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from where replay schedule-analyze shell upgrade help" -f -a "replay" -d 'Replay an upstream HA regression test directory and print its log'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from where replay schedule-analyze shell upgrade help" -f -a "schedule-analyze" -d 'Show the next events of a calendar-event schedule'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from where replay schedule-analyze shell upgrade help" -f -a "shell" -d 'Open a shell where the emulated tools come first on PATH'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from where replay schedule-analyze shell upgrade help" -f -a "upgrade" -d 'Upgrade the emulated cluster to a newer Proxmox VE generation'
complete -c pvesim -n "__fish_pvesim_using_subcommand help; and not __fish_seen_subcommand_from where replay schedule-analyze shell upgrade help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
