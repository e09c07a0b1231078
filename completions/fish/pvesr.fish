# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pvesr_global_optspecs
    string join \n
end

function __fish_pvesr_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pvesr_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pvesr_using_subcommand
    set -l cmd (__fish_pvesr_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "create-local-job" -d 'Create a new replication job'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "delete" -d 'Mark replication job for removal.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "list" -d 'List replication jobs.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "read" -d 'Read replication job configuration.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "update" -d 'Update replication job configuration.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "enable" -d 'Enable a replication job.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "disable" -d 'Disable a replication job.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "status" -d 'List status of all replication jobs on this node.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "schedule-now" -d 'Schedule replication job to start as soon as possible.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "run" -d 'This method is called by the systemd-timer and executes all (or a specific) sync jobs.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "prepare-local-job" -d 'Prepare for starting a replication job. This is called on the target node before replication starts. This call is for internal use, and return a JSON object on stdout. The method first test if VM <vmid> reside on the local node. If so, stop immediately. After that the method scans all volume IDs for snapshots, and removes all replications snapshots with timestamps different than <last_sync>. It also removes any unused volumes. Returns a hash with boolean markers for all volumes with existing replication snapshots.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "finalize-local-job" -d 'Finalize a replication job. This removes all replications snapshots with timestamps different than <last_sync>.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "set-state" -d 'Set the job replication state on migration. This call is for internal use. It will accept the JSON or hash as input.'
complete -c pvesr -n "__fish_pvesr_needs_command" -f -a "help" -d 'Get help about specified command.'
complete -c pvesr -n "__fish_pvesr_using_subcommand create-local-job" -l comment -d 'Description.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand create-local-job" -l disable -d 'Flag to disable/deactivate the entry.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand create-local-job" -l rate -d 'Rate limit in mbps (megabytes per second) as floating point number.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand create-local-job" -l remove_job -d 'Mark the replication job for removal. The job will remove all local replication snapshots. When set to \'full\', it also tries to remove replicated volumes on the target. The job then removes itself from the configuration file.' -r -f -a "local\t''
full\t''"
complete -c pvesr -n "__fish_pvesr_using_subcommand create-local-job" -l schedule -d 'Storage replication schedule. The format is a subset of `systemd` calendar events. (default=*/15)' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand create-local-job" -l source -d 'For internal use, to detect if the guest was stolen.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand delete" -l force -d 'Will remove the jobconfig entry, but will not cleanup. (default=0)' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand delete" -l keep -d 'Keep replicated data at target (do not remove). (default=0)' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand update" -l comment -d 'Description.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand update" -l delete -d 'A list of settings you want to delete.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand update" -l digest -d 'Prevent changes if current configuration file has a different digest. This can be used to prevent concurrent modifications.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand update" -l disable -d 'Flag to disable/deactivate the entry.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand update" -l rate -d 'Rate limit in mbps (megabytes per second) as floating point number.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand update" -l remove_job -d 'Mark the replication job for removal. The job will remove all local replication snapshots. When set to \'full\', it also tries to remove replicated volumes on the target. The job then removes itself from the configuration file.' -r -f -a "local\t''
full\t''"
complete -c pvesr -n "__fish_pvesr_using_subcommand update" -l schedule -d 'Storage replication schedule. The format is a subset of `systemd` calendar events. (default=*/15)' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand update" -l source -d 'For internal use, to detect if the guest was stolen.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand status" -l guest -d 'Only list replication jobs for this guest.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand run" -l id -d 'Replication Job ID. The ID is composed of a Guest ID and a job number, separated by a hyphen, i.e. \'<GUEST>-<JOBNUM>\'.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand run" -l mail -d 'Send an email notification in case of a failure. (default=0)' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand run" -l verbose -d 'Print more verbose logs to stdout. (default=0)' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand prepare-local-job" -l force -d 'Allow to remove all existion volumes (empty volume list). (default=0)' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand prepare-local-job" -l last_sync -d 'Time (UNIX epoch) of last successful sync. If not specified, all replication snapshots get removed.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand prepare-local-job" -l parent_snapname -d 'The name of the snapshot.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand prepare-local-job" -l scan -d 'List of storage IDs to scan for stale volumes.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand finalize-local-job" -l last_sync -d 'Time (UNIX epoch) of last successful sync. If not specified, all replication snapshots gets removed.' -r
complete -c pvesr -n "__fish_pvesr_using_subcommand help" -l verbose -d 'Verbose output format.' -r
