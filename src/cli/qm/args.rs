//! The clap definition of `qm`, built with the builder API because `create`
//! and `set` take every VM config key as an option (`--memory`, `--scsi0`,
//! `--net1`, ...). Proxmox spellings are accepted: `-memory 512` and a bare
//! boolean `--online` meaning 1.

use clap::{Arg, ArgAction, Command};

fn vmid() -> Arg {
    Arg::new("vmid")
        .required(true)
        .help("The (unique) ID of the VM.")
}

fn flag(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .num_args(0..=1)
        .default_missing_value("1")
        .value_name("boolean")
        .help(help)
}

fn opt(name: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .num_args(1)
        .value_name(value)
        .help(help)
}

/// Every VM config key offered as an option of create/set.
pub fn config_keys() -> Vec<String> {
    let mut keys: Vec<String> = [
        "acpi",
        "affinity",
        "agent",
        "amd-sev",
        "arch",
        "args",
        "audio0",
        "autostart",
        "balloon",
        "bios",
        "boot",
        "bootdisk",
        "cdrom",
        "cicustom",
        "cipassword",
        "citype",
        "ciupgrade",
        "ciuser",
        "cores",
        "cpu",
        "cpulimit",
        "cpuunits",
        "description",
        "efidisk0",
        "freeze",
        "hookscript",
        "hotplug",
        "hugepages",
        "intel-tdx",
        "ivshmem",
        "keephugepages",
        "keyboard",
        "kvm",
        "localtime",
        "lock",
        "machine",
        "memory",
        "migrate_downtime",
        "migrate_speed",
        "name",
        "nameserver",
        "numa",
        "onboot",
        "ostype",
        "protection",
        "reboot",
        "rng0",
        "scsihw",
        "searchdomain",
        "shares",
        "smbios1",
        "smp",
        "sockets",
        "spice_enhancements",
        "sshkeys",
        "startdate",
        "startup",
        "tablet",
        "tags",
        "tdf",
        "template",
        "tpmstate0",
        "vcpus",
        "vga",
        "vmgenid",
        "vmstatestorage",
        "watchdog",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (p, n) in [
        ("ide", 4),
        ("scsi", 31),
        ("virtio", 16),
        ("sata", 6),
        ("net", 32),
        ("hostpci", 16),
        ("usb", 14),
        ("serial", 4),
        ("parallel", 3),
        ("ipconfig", 32),
        ("numa", 8),
        ("virtiofs", 10),
        ("unused", 256),
    ] {
        for i in 0..n {
            keys.push(format!("{p}{i}"));
        }
    }
    keys
}

fn with_config_keys(mut c: Command) -> Command {
    for k in config_keys() {
        let name: &'static str = Box::leak(k.into_boxed_str());
        c = c.arg(
            Arg::new(name)
                .long(name)
                .num_args(1)
                .value_name(crate::guest::config::value_type(name))
                .allow_hyphen_values(true)
                .hide(
                    name.starts_with("unused")
                        || name.chars().last().is_some_and(|c| c.is_ascii_digit())
                            && !name.ends_with('0'),
                )
                .help("VM configuration option (see qm.conf(5))."),
        );
    }
    c
}

/// Subcommands whose parsing never looks at `create`/`set` (neither their
/// options nor their help).
const WITHOUT_CONFIG_KEYS: &[&str] = &[
    "list",
    "status",
    "config",
    "pending",
    "start",
    "stop",
    "shutdown",
    "reboot",
    "suspend",
    "resume",
    "destroy",
    "unlock",
    "migrate",
    "snapshot",
    "delsnapshot",
    "rollback",
    "listsnapshot",
    "disk",
];

/// The whole `qm` command.
pub fn command() -> Command {
    command_for(None)
}

/// The `qm` command as needed to parse a command line whose first word is
/// `sub`: when that is a subcommand other than `create`/`set`, those two
/// are built without their ~500 config-key options (building them is most
/// of the start-up cost of `qm list`). The result of parsing is the same.
pub fn command_for(sub: Option<&str>) -> Command {
    let lean = sub.is_some_and(|s| WITHOUT_CONFIG_KEYS.contains(&s));
    let keys = |c: Command| if lean { c } else { with_config_keys(c) };
    Command::new("qm")
        .about("Qemu/KVM Virtual Machine Manager (emulated by pvesim)")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .subcommand(
            Command::new("list")
                .about("Virtual machine index (per node).")
                .arg(flag("full", "Determine the full status of active VMs.")),
        )
        .subcommand(
            Command::new("status")
                .about("Show VM status.")
                .arg(vmid())
                .arg(flag("verbose", "Verbose output format")),
        )
        .subcommand(
            Command::new("config")
                .about("Get the virtual machine configuration with pending configuration changes applied.")
                .arg(vmid())
                .arg(flag("current", "Get current values (instead of pending values)."))
                .arg(opt("snapshot", "string", "Fetch config values from given snapshot.")),
        )
        .subcommand(
            Command::new("pending")
                .about("Get the virtual machine configuration with both current and pending values.")
                .arg(vmid()),
        )
        .subcommand(keys(
            Command::new("create")
                .about("Create or restore a virtual machine.")
                .arg(vmid())
                .arg(opt("storage", "storage ID", "Default storage."))
                .arg(flag("start", "Start VM after it was created successfully."))
                .arg(flag("ha-managed", "Add the VM as a HA resource after it was created."))
                .arg(opt("pool", "string", "Add the VM to the specified pool."))
                .arg(opt("bwlimit", "integer", "Override I/O bandwidth limit (in KiB/s).")),
        ))
        .subcommand(keys(
            Command::new("set")
                .about("Set virtual machine options (synchronous API).")
                .arg(vmid())
                .arg(
                    Arg::new("delete")
                        .long("delete")
                        .num_args(1)
                        .action(ArgAction::Append)
                        .value_name("string")
                        .help("A list of settings you want to delete."),
                )
                .arg(opt("revert", "string", "Revert a pending change."))
                .arg(flag("force", "Force physical removal. Without this, we simple remove the disk from the config file and create an additional configuration entry called 'unused[n]', which contains the volume ID."))
                .arg(flag("skiplock", "Ignore locks - only root is allowed to use this option."))
                .arg(opt("digest", "string", "Prevent changes if current configuration file has a different SHA1 digest.")),
        ))
        .subcommand(
            Command::new("start")
                .about("Start virtual machine.")
                .arg(vmid())
                .arg(flag("skiplock", "Ignore locks - only root is allowed to use this option."))
                .arg(opt("timeout", "integer", "Wait maximal timeout seconds."))
                .arg(opt("machine", "string", "Specify the QEMU machine."))
                .arg(opt("force-cpu", "string", "Override QEMU's -cpu argument with the given string."))
                .arg(opt("migratedfrom", "string", "The cluster node name."))
                .arg(opt("migration_type", "string", "Migration traffic is encrypted using an SSH tunnel by default."))
                .arg(opt("migration_network", "string", "CIDR of the (sub) network that is used for migration."))
                .arg(opt("stateuri", "string", "Some command save/restore state from this location."))
                .arg(opt("targetstorage", "string", "Mapping from source to target storages."))
                .arg(opt("nets-host-mtu", "string", "Used for migration compat."))
                .arg(flag("with-conntrack-state", "Whether to migrate conntrack entries for running VMs.")),
        )
        .subcommand(
            Command::new("stop")
                .about("Stop virtual machine. The qemu process will exit immediately.")
                .arg(vmid())
                .arg(flag("skiplock", "Ignore locks - only root is allowed to use this option."))
                .arg(opt("timeout", "integer", "Wait maximal timeout seconds."))
                .arg(flag("keepActive", "Do not deactivate storage volumes."))
                .arg(flag("overrule-shutdown", "Try to abort active 'qmshutdown' tasks before stopping."))
                .arg(opt("migratedfrom", "string", "The cluster node name.")),
        )
        .subcommand(
            Command::new("shutdown")
                .about("Shutdown virtual machine.")
                .arg(vmid())
                .arg(opt("timeout", "integer", "Wait maximal timeout seconds."))
                .arg(flag("forceStop", "Make sure the VM stops."))
                .arg(flag("keepActive", "Do not deactivate storage volumes."))
                .arg(flag("skiplock", "Ignore locks - only root is allowed to use this option.")),
        )
        .subcommand(
            Command::new("reboot")
                .about("Reboot the VM by shutting it down, and starting it again.")
                .arg(vmid())
                .arg(opt("timeout", "integer", "Wait maximal timeout seconds for the shutdown.")),
        )
        .subcommand(
            Command::new("suspend")
                .about("Suspend virtual machine.")
                .arg(vmid())
                .arg(flag("skiplock", "Ignore locks."))
                .arg(flag("todisk", "If set, suspends the VM to disk.")),
        )
        .subcommand(
            Command::new("resume")
                .about("Resume virtual machine.")
                .arg(vmid())
                .arg(flag("skiplock", "Ignore locks."))
                .arg(flag("nocheck", "")),
        )
        .subcommand(
            Command::new("destroy")
                .about("Destroy the VM and all used/owned volumes.")
                .arg(vmid())
                .arg(flag("purge", "Remove VMID from configurations, like backup & replication jobs and HA."))
                .arg(flag("destroy-unreferenced-disks", "If set, destroy additionally all disks not referenced in the config but with a matching VMID from all enabled storages."))
                .arg(flag("skiplock", "Ignore locks - only root is allowed to use this option.")),
        )
        .subcommand(Command::new("unlock").about("Unlock the VM.").arg(vmid()))
        .subcommand(
            Command::new("migrate")
                .about("Migrate virtual machine. Creates a new migration task.")
                .arg(vmid())
                .arg(Arg::new("target").required(true).help("Target node."))
                .arg(flag("online", "Use online/live migration if VM is running. Ignored if VM is stopped."))
                .arg(flag("with-local-disks", "Enable live storage migration for local disk"))
                .arg(opt("targetstorage", "string", "Mapping from source to target storages."))
                .arg(opt("bwlimit", "integer", "Override I/O bandwidth limit (in KiB/s)."))
                .arg(flag("force", "Allow to migrate VMs which use local devices."))
                .arg(opt("migration_type", "secure|insecure", "Migration traffic is encrypted using an SSH tunnel by default."))
                .arg(opt("migration_network", "string", "CIDR of the (sub) network that is used for migration."))
                .arg(flag("with-conntrack-state", "Whether to migrate conntrack entries for running VMs.")),
        )
        .subcommand(
            Command::new("snapshot")
                .about("Snapshot a VM.")
                .arg(vmid())
                .arg(Arg::new("snapname").required(true).help("The name of the snapshot."))
                .arg(opt("description", "string", "A textual description or comment."))
                .arg(flag("vmstate", "Save the vmstate")),
        )
        .subcommand(
            Command::new("delsnapshot")
                .about("Delete a VM snapshot.")
                .arg(vmid())
                .arg(Arg::new("snapname").required(true).help("The name of the snapshot."))
                .arg(flag("force", "For removal from config file, even if removing disk snapshots fails.")),
        )
        .subcommand(
            Command::new("rollback")
                .about("Rollback VM state to specified snapshot.")
                .arg(vmid())
                .arg(Arg::new("snapname").required(true).help("The name of the snapshot."))
                .arg(flag("start", "Whether the VM should get started after rolling back successfully. (default=0)")),
        )
        .subcommand(
            Command::new("listsnapshot")
                .about("List all snapshots.")
                .arg(vmid()),
        )
        .subcommand(rescan_cmd("rescan"))
        .subcommand(
            Command::new("disk")
                .about("Disk related commands.")
                .subcommand_required(true)
                .subcommand(rescan_cmd("rescan")),
        )
        // the CLI handler's own `help`, not clap's
        .disable_help_subcommand(true)
        .subcommand(crate::cli::help_subcommand())
}

fn rescan_cmd(name: &'static str) -> Command {
    Command::new(name)
        .about("Rescan all storages and update disk sizes and unused disk images.")
        .arg(opt("vmid", "integer", "The (unique) ID of the VM."))
        .arg(flag(
            "dryrun",
            "Do not actually write changes out to VM config(s).",
        ))
}

/// Usage line of a subcommand (`qm migrate <vmid> <target> [OPTIONS]`).
pub fn usage(sub: &str) -> String {
    match sub {
        "list" => "qm list  [OPTIONS]".into(),
        "migrate" => "qm migrate <vmid> <target> [OPTIONS]".into(),
        "snapshot" => "qm snapshot <vmid> <snapname> [OPTIONS]".into(),
        "delsnapshot" => "qm delsnapshot <vmid> <snapname> [OPTIONS]".into(),
        "rollback" => "qm rollback <vmid> <snapname> [OPTIONS]".into(),
        "listsnapshot" => "qm listsnapshot <vmid>".into(),
        "rescan" => "qm rescan  [OPTIONS]".into(),
        "disk rescan" => "qm disk rescan  [OPTIONS]".into(),
        "pending" | "unlock" => format!("qm {sub} <vmid>"),
        "help" => "qm help [<extra-args>] [OPTIONS]".into(),
        s => format!("qm {s} <vmid> [OPTIONS]"),
    }
}

/// The commands in the order the real CLI handler lists them after a
/// command error: the `disk` group first, then by the API class that
/// provides them (`PVE::API2::Qemu`, then `PVE::CLI::qm`) and by name, then
/// `help`. Aliases (`rescan` for `disk rescan`) are not listed.
const LISTING: &[&str] = &[
    "disk rescan",
    // PVE::API2::Qemu
    "config",
    "create",
    "delsnapshot",
    "destroy",
    "list",
    "migrate",
    "pending",
    "reboot",
    "resume",
    "rollback",
    "set",
    "shutdown",
    "snapshot",
    "start",
    "stop",
    "suspend",
    // PVE::CLI::qm
    "listsnapshot",
    "status",
    "unlock",
];

/// The usage lines listed after a command error: every command, or those
/// of one group (`disk`).
pub fn command_listing(group: Option<&str>) -> Vec<String> {
    let mut v: Vec<String> = LISTING
        .iter()
        .filter(|c| group.is_none_or(|g| c.split_once(' ').map(|x| x.0) == Some(g)))
        .map(|c| usage(c))
        .collect();
    if group.is_none() {
        v.push(usage("help"));
    }
    v
}

/// The verbose help of one command (`qm help <command> --verbose`): its
/// positional arguments in order, then its options by name.
pub fn long_help(line: &str, cmd: &Command) -> String {
    use crate::cli::ha_manager::schema::{long_help_text, HelpEntry};
    let type_text = |a: &Arg| match (a.get_id().as_str(), a.get_value_names()) {
        ("vmid", _) => "<integer> (100 - 999999999)".to_string(),
        (_, Some([v, ..])) => format!("<{v}>"),
        _ => "<string>".to_string(),
    };
    let desc = |a: &Arg| a.get_help().map(|h| h.to_string()).unwrap_or_default();
    let mut entries: Vec<HelpEntry> = cmd
        .get_positionals()
        .map(|a| HelpEntry {
            label: format!("<{}>", a.get_id()),
            type_text: type_text(a),
            desc: desc(a),
        })
        .collect();
    let mut opts: Vec<&Arg> = cmd.get_opts().collect();
    opts.sort_by_key(|a| a.get_id().as_str());
    entries.extend(opts.into_iter().map(|a| HelpEntry {
        label: format!("-{}", a.get_id()),
        type_text: type_text(a),
        desc: desc(a),
    }));
    let about = cmd.get_about().map(|h| h.to_string()).unwrap_or_default();
    long_help_text(line, &about, &entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The listing names every command the parser knows, except the
    /// `rescan` alias, and nothing else; `help` comes last.
    #[test]
    fn listing_matches_the_command_tree() {
        let mut known: Vec<String> = Vec::new();
        for c in command().get_subcommands() {
            let name = c.get_name();
            if c.has_subcommands() {
                for s in c.get_subcommands() {
                    known.push(format!("{name} {}", s.get_name()));
                }
            } else if name != "rescan" && name != "help" {
                known.push(name.to_string());
            }
        }
        let mut listed: Vec<String> = LISTING.iter().map(|s| s.to_string()).collect();
        known.sort();
        listed.sort();
        assert_eq!(known, listed);
        assert_eq!(
            command_listing(None).last().map(String::as_str),
            Some("qm help [<extra-args>] [OPTIONS]")
        );
        assert_eq!(
            command_listing(Some("disk")),
            vec!["qm disk rescan  [OPTIONS]"]
        );
    }
}
