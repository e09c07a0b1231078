# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ha_manager_global_optspecs
    string join \n
end

function __fish_ha_manager_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ha_manager_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ha_manager_using_subcommand
    set -l cmd (__fish_ha_manager_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "status" -d 'Display HA manger status.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "config" -d 'List HA resources.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "groupconfig" -d 'Get HA groups.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "groupadd" -d 'Create a new HA group.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "groupremove" -d 'Delete ha group configuration.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "groupset" -d 'Update ha group configuration.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "add" -d 'Create a new HA resource.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "remove" -d 'Delete resource configuration.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "set" -d 'Update resource configuration.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "migrate" -d 'An alias for \'ha-manager crm-command migrate\'.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "relocate" -d 'An alias for \'ha-manager crm-command relocate\'.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "crm-command"
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "help" -d 'Get help about specified command.'
complete -c ha-manager -n "__fish_ha_manager_needs_command" -f -a "rules"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand status" -l verbose -d 'Verbose output. Include complete CRM and LRM status (JSON). (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand config" -l type -d 'Only list resources of specific type' -r -f -a "ct\t''
vm\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupadd" -l comment -d 'Description.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupadd" -l nodes -d 'List of cluster node names with optional priority.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupadd" -l nofailback -d 'The CRM tries to run services on the node with the highest priority. If a node with higher priority comes online, the CRM migrates the service to that node. Enabling nofailback prevents that behavior. (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupadd" -l restricted -d 'Resources bound to restricted groups may only run on nodes defined by the group. (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupadd" -l type -d 'Group type.' -r -f -a "group\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupset" -l comment -d 'Description.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupset" -l delete -d 'A list of settings you want to delete.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupset" -l digest -d 'Prevent changes if current configuration file has a different digest. This can be used to prevent concurrent modifications.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupset" -l nodes -d 'List of cluster node names with optional priority.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupset" -l nofailback -d 'The CRM tries to run services on the node with the highest priority. If a node with higher priority comes online, the CRM migrates the service to that node. Enabling nofailback prevents that behavior. (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand groupset" -l restricted -d 'Resources bound to restricted groups may only run on nodes defined by the group. (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand add" -l comment -d 'Description.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand add" -l group -d 'The HA group identifier.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand add" -l max_relocate -d 'Maximal number of service relocate tries when a service failes to start. (default=1)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand add" -l max_restart -d 'Maximal number of tries to restart the service on a node after its start failed. (default=1)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand add" -l state -d 'Requested resource state. (default=started)' -r -f -a "started\t''
stopped\t''
enabled\t''
disabled\t''
ignored\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand add" -l type -d 'Resource type.' -r -f -a "ct\t''
vm\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand add" -l failback -d 'Automatically migrate HA resource to the node with the highest priority according to their node affinity rules, if a node with a higher priority than the current node comes online. (default=1)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand remove" -l purge -d 'Remove this resource from rules that reference it, deleting the rule if this resource is the only resource in the rule (default=1)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand set" -l comment -d 'Description.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand set" -l delete -d 'A list of settings you want to delete.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand set" -l digest -d 'Prevent changes if current configuration file has a different digest. This can be used to prevent concurrent modifications.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand set" -l group -d 'The HA group identifier.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand set" -l max_relocate -d 'Maximal number of service relocate tries when a service failes to start. (default=1)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand set" -l max_restart -d 'Maximal number of tries to restart the service on a node after its start failed. (default=1)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand set" -l state -d 'Requested resource state. (default=started)' -r -f -a "started\t''
stopped\t''
enabled\t''
disabled\t''
ignored\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand set" -l failback -d 'Automatically migrate HA resource to the node with the highest priority according to their node affinity rules, if a node with a higher priority than the current node comes online. (default=1)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand crm-command; and not __fish_seen_subcommand_from migrate relocate stop node-maintenance disarm-ha arm-ha" -f -a "migrate" -d 'Request resource migration (online) to another node.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand crm-command; and not __fish_seen_subcommand_from migrate relocate stop node-maintenance disarm-ha arm-ha" -f -a "relocate" -d 'Request resource relocatzion to another node. This stops the service on the old node, and restarts it on the target node.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand crm-command; and not __fish_seen_subcommand_from migrate relocate stop node-maintenance disarm-ha arm-ha" -f -a "stop" -d 'Request the service to be stopped.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand crm-command; and not __fish_seen_subcommand_from migrate relocate stop node-maintenance disarm-ha arm-ha" -f -a "node-maintenance"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand crm-command; and not __fish_seen_subcommand_from migrate relocate stop node-maintenance disarm-ha arm-ha" -f -a "disarm-ha" -d 'Request disarming the HA stack, releasing all watchdogs cluster-wide.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand crm-command; and not __fish_seen_subcommand_from migrate relocate stop node-maintenance disarm-ha arm-ha" -f -a "arm-ha" -d 'Request re-arming the HA stack after it was disarmed.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand crm-command; and __fish_seen_subcommand_from node-maintenance" -f -a "enable" -d 'Change the node-maintenance request state.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand crm-command; and __fish_seen_subcommand_from node-maintenance" -f -a "disable" -d 'Change the node-maintenance request state.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand help" -l verbose -d 'Verbose output format.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and not __fish_seen_subcommand_from add set remove list config" -f -a "add" -d 'Create HA rule.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and not __fish_seen_subcommand_from add set remove list config" -f -a "set" -d 'Update HA rule.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and not __fish_seen_subcommand_from add set remove list config" -f -a "remove" -d 'Delete HA rule.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and not __fish_seen_subcommand_from add set remove list config" -f -a "list" -d 'Get HA rules.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and not __fish_seen_subcommand_from add set remove list config" -f -a "config" -d 'Get HA rules.'
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from add" -l resources -d 'List of HA resource IDs. This consists of a list of resource types followed by a resource specific name separated with a colon (example: vm:100,ct:101).' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from add" -l affinity -d 'Describes whether the HA resource are supposed to be kept on the same node (\'positive\'), or are supposed to be kept on separate nodes (\'negative\').' -r -f -a "positive\t''
negative\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from add" -l comment -d 'HA rule description.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from add" -l disable -d 'Whether the HA rule is disabled. (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from add" -l nodes -d 'List of cluster node names with optional priority.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from add" -l strict -d 'Describes whether the node affinity rule is strict or non-strict. (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from set" -l resources -d 'List of HA resource IDs. This consists of a list of resource types followed by a resource specific name separated with a colon (example: vm:100,ct:101).' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from set" -l delete -d 'A list of settings you want to delete.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from set" -l digest -d 'Prevent changes if current configuration file has a different digest. This can be used to prevent concurrent modifications.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from set" -l affinity -d 'Describes whether the HA resource are supposed to be kept on the same node (\'positive\'), or are supposed to be kept on separate nodes (\'negative\').' -r -f -a "positive\t''
negative\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from set" -l comment -d 'HA rule description.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from set" -l disable -d 'Whether the HA rule is disabled. (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from set" -l nodes -d 'List of cluster node names with optional priority.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from set" -l strict -d 'Describes whether the node affinity rule is strict or non-strict. (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from list" -l resource -d 'Limit the returned list to rules affecting the specified resource.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from list" -l type -d 'Limit the returned list to the specified rule type.' -r -f -a "node-affinity\t''
resource-affinity\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from list" -l human-readable -d 'Call output rendering functions to produce human readable text. (default=1)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from list" -l noborder -d 'Do not draw borders (for \'text\' format). (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from list" -l noheader -d 'Do not show column headers (for \'text\' format). (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from list" -l output-format -d 'Output format. (default=text)' -r -f -a "text\t''
json\t''
json-pretty\t''
yaml\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from list" -l quiet -d 'Suppress printing results.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from config" -l resource -d 'Limit the returned list to rules affecting the specified resource.' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from config" -l type -d 'Limit the returned list to the specified rule type.' -r -f -a "node-affinity\t''
resource-affinity\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from config" -l human-readable -d 'Call output rendering functions to produce human readable text. (default=1)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from config" -l noborder -d 'Do not draw borders (for \'text\' format). (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from config" -l noheader -d 'Do not show column headers (for \'text\' format). (default=0)' -r
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from config" -l output-format -d 'Output format. (default=text)' -r -f -a "text\t''
json\t''
json-pretty\t''
yaml\t''"
complete -c ha-manager -n "__fish_ha_manager_using_subcommand rules; and __fish_seen_subcommand_from config" -l quiet -d 'Suppress printing results.' -r
