# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pvecm_global_optspecs
    string join \n
end

function __fish_pvecm_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pvecm_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pvecm_using_subcommand
    set -l cmd (__fish_pvecm_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "add" -d 'Adds the current node to an existing cluster.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "addnode" -d 'Adds a node to the cluster configuration. This call is for internal use.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "apiver" -d 'Return the version of the cluster join API available on this node.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "create" -d 'Generate new cluster configuration. If no links given, default to local IP address as link0.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "delnode" -d 'Removes a node from the cluster configuration.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "expected" -d 'Tells corosync a new value of expected votes.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "help" -d 'Get help about specified command.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "keygen" -d 'Generate new cryptographic key for corosync.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "mtunnel" -d 'Used by VM/CT migration - do not use manually.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "nodes" -d 'Displays the local view of the cluster nodes.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "status" -d 'Displays the local view of the cluster status.'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "updatecerts" -d 'Update node certificates (and generate all needed files/directories).'
complete -c pvecm -n "__fish_pvecm_needs_command" -f -a "qdevice" -d 'QDevice setup and removal'
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l fingerprint -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l force -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l link0 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l link1 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l link2 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l link3 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l link4 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l link5 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l link6 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l link7 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l nodeid -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l use_ssh -r
complete -c pvecm -n "__fish_pvecm_using_subcommand add" -l votes -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l apiversion -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l force -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l link0 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l link1 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l link2 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l link3 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l link4 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l link5 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l link6 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l link7 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l new_node_ip -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l nodeid -r
complete -c pvecm -n "__fish_pvecm_using_subcommand addnode" -l votes -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l link0 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l link1 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l link2 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l link3 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l link4 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l link5 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l link6 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l link7 -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l nodeid -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l token-coefficient -r
complete -c pvecm -n "__fish_pvecm_using_subcommand create" -l votes -r
complete -c pvecm -n "__fish_pvecm_using_subcommand help" -l verbose -r
complete -c pvecm -n "__fish_pvecm_using_subcommand mtunnel" -l get_migration_ip -r
complete -c pvecm -n "__fish_pvecm_using_subcommand mtunnel" -l migration_network -r
complete -c pvecm -n "__fish_pvecm_using_subcommand mtunnel" -l run-command -r
complete -c pvecm -n "__fish_pvecm_using_subcommand updatecerts" -l force -r
complete -c pvecm -n "__fish_pvecm_using_subcommand updatecerts" -l silent -r
complete -c pvecm -n "__fish_pvecm_using_subcommand updatecerts" -l unmerge-known-hosts -r
complete -c pvecm -n "__fish_pvecm_using_subcommand qdevice; and not __fish_seen_subcommand_from remove setup" -f -a "remove" -d 'Remove a configured QDevice'
complete -c pvecm -n "__fish_pvecm_using_subcommand qdevice; and not __fish_seen_subcommand_from remove setup" -f -a "setup" -d 'Setup the use of a QDevice'
complete -c pvecm -n "__fish_pvecm_using_subcommand qdevice; and __fish_seen_subcommand_from setup" -l force -r
complete -c pvecm -n "__fish_pvecm_using_subcommand qdevice; and __fish_seen_subcommand_from setup" -l network -r
