# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pvesm_global_optspecs
    string join \n
end

function __fish_pvesm_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pvesm_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pvesm_using_subcommand
    set -l cmd (__fish_pvesm_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pvesm -n "__fish_pvesm_needs_command" -f -a "status" -d 'Get status for all datastores.'
complete -c pvesm -n "__fish_pvesm_needs_command" -f -a "list" -d 'List storage content.'
complete -c pvesm -n "__fish_pvesm_needs_command" -f -a "alloc" -d 'Allocate disk images.'
complete -c pvesm -n "__fish_pvesm_needs_command" -f -a "free" -d 'Delete volume'
complete -c pvesm -n "__fish_pvesm_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pvesm -n "__fish_pvesm_using_subcommand status" -l content -d 'Only list stores which support this content type.' -r
complete -c pvesm -n "__fish_pvesm_using_subcommand status" -l enabled -d 'Only list stores which are enabled (not disabled in config).' -r
complete -c pvesm -n "__fish_pvesm_using_subcommand status" -l storage -d 'Only list status for specified storage' -r
complete -c pvesm -n "__fish_pvesm_using_subcommand status" -l target -d 'If target is different to \'node\', we only lists shared storages which content is accessible on this \'node\' and the specified \'target\' node.' -r
complete -c pvesm -n "__fish_pvesm_using_subcommand list" -l content -d 'Only list content of this type.' -r
complete -c pvesm -n "__fish_pvesm_using_subcommand list" -l vmid -d 'Only list images for this VM' -r
complete -c pvesm -n "__fish_pvesm_using_subcommand alloc" -l format -d 'Format of the image.' -r
complete -c pvesm -n "__fish_pvesm_using_subcommand free" -l storage -d 'The storage identifier.' -r
complete -c pvesm -n "__fish_pvesm_using_subcommand help; and not __fish_seen_subcommand_from status list alloc free help" -f -a "status" -d 'Get status for all datastores.'
complete -c pvesm -n "__fish_pvesm_using_subcommand help; and not __fish_seen_subcommand_from status list alloc free help" -f -a "list" -d 'List storage content.'
complete -c pvesm -n "__fish_pvesm_using_subcommand help; and not __fish_seen_subcommand_from status list alloc free help" -f -a "alloc" -d 'Allocate disk images.'
complete -c pvesm -n "__fish_pvesm_using_subcommand help; and not __fish_seen_subcommand_from status list alloc free help" -f -a "free" -d 'Delete volume'
complete -c pvesm -n "__fish_pvesm_using_subcommand help; and not __fish_seen_subcommand_from status list alloc free help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
