//! `pvesm`: the storage manager — `status`, `list`, `alloc`, `free` over
//! the storage.cfg model and the per-node volume records (spec 6.9 - 6.11).

use super::{CliError, CliResult, Context};
use crate::guest::env::{ClusterInfo, RootCluster};
use crate::storage::{
    self,
    size::parse_disk_size,
    status::{list_order, status, StorageState},
    volid::parse_volid,
    Instance,
};
use clap::{Arg, ArgMatches, Command};

fn opt(name: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .num_args(1)
        .value_name(value)
        .help(help)
}

/// The clap definition of `pvesm`.
pub fn command() -> Command {
    Command::new("pvesm")
        .about("Proxmox VE Storage Manager (emulated by pvesim)")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .subcommand(
            Command::new("status")
                .about("Get status for all datastores.")
                .arg(opt("content", "string", "Only list stores which support this content type."))
                .arg(
                    opt("enabled", "boolean", "Only list stores which are enabled (not disabled in config).")
                        .num_args(0..=1)
                        .default_missing_value("1"),
                )
                .arg(opt("storage", "storage ID", "Only list status for specified storage"))
                .arg(opt("target", "string", "If target is different to 'node', we only lists shared storages which content is accessible on this 'node' and the specified 'target' node.")),
        )
        .subcommand(
            Command::new("list")
                .about("List storage content.")
                .arg(Arg::new("storage").required(true).help("The storage identifier."))
                .arg(opt("content", "string", "Only list content of this type."))
                .arg(opt("vmid", "integer", "Only list images for this VM")),
        )
        .subcommand(
            Command::new("alloc")
                .about("Allocate disk images.")
                .arg(Arg::new("storage").required(true).help("The storage identifier."))
                .arg(Arg::new("vmid").required(true).help("Specify owner VM"))
                .arg(Arg::new("filename").required(true).help("The name of the file to create."))
                .arg(Arg::new("size").required(true).help("Size in kilobyte (1024 bytes). Optional suffixes 'M' (megabyte, 1024K) and 'G' (gigabyte, 1024M)"))
                .arg(opt("format", "raw|qcow2|subvol|vmdk", "Format of the image.")),
        )
        .subcommand(
            Command::new("free")
                .about("Delete volume")
                .arg(Arg::new("volume").required(true).help("Volume identifier"))
                .arg(opt("storage", "storage ID", "The storage identifier.")),
        )
}

/// Entry point of the `pvesm` binary.
pub fn main(ctx: Context) -> CliResult {
    run(ctx, std::env::args().collect())
}

fn usage(sub: &str) -> String {
    match sub {
        "status" => "pvesm status  [OPTIONS]".into(),
        "list" => "pvesm list <storage> [OPTIONS]".into(),
        "alloc" => "pvesm alloc <storage> <vmid> <filename> <size> [OPTIONS]".into(),
        "free" => "pvesm free <volume> [OPTIONS]".into(),
        s => format!("pvesm {s}"),
    }
}

/// The usage lines listed after a command error, in the real CLI
/// handler's order: by API class (`PVE::API2::Storage::Content`:
/// alloc, free, list; then `PVE::API2::Storage::Status`: status), then
/// `help`.
fn command_listing() -> Vec<String> {
    let mut v: Vec<String> = ["alloc", "free", "list", "status"]
        .iter()
        .map(|c| usage(c))
        .collect();
    v.push("pvesm help [<extra-args>] [OPTIONS]".into());
    v
}

fn param_err(sub: &str, key: &str, msg: &str) -> CliError {
    CliError::fail(format!(
        "400 Parameter verification failed.\n{key}: {msg}\n{}",
        usage(sub)
    ))
}

fn s(m: &ArgMatches, k: &str) -> Option<String> {
    m.try_get_one::<String>(k).ok().flatten().cloned()
}

/// Run `pvesm` with the full argv.
pub fn run(cctx: Context, argv: Vec<String>) -> CliResult {
    let argv = super::double_dash_options(argv);
    if argv.get(1).map(String::as_str) == Some("help") && argv.len() == 2 {
        // the CLI handler's command listing, as after a command error
        print!(
            "{}",
            super::usage_text("pvesm", &super::usage_listing(&command_listing()))
        );
        return Ok(());
    }
    let matches = match command().try_get_matches_from(&argv) {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            let sub = argv.get(1).cloned().unwrap_or_default();
            if let Some((msg, _)) = super::clap_command_error("pvesm", &e, &argv, |_| false) {
                return Err(super::command_error(
                    "pvesm",
                    &msg,
                    &super::usage_listing(&command_listing()),
                ));
            }
            return match e.kind() {
                ErrorKind::DisplayHelp if argv.get(1).map(String::as_str) == Some("help") => {
                    // `pvesm help <command>`: the command's usage line
                    println!("USAGE: {}", usage(&argv[2..].join(" ")));
                    Ok(())
                }
                ErrorKind::UnknownArgument | ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    Err(CliError::fail(format!(
                        "Unknown option: {}\n400 unable to parse option\n{}",
                        super::unknown_option_word(&e, &argv),
                        usage(&sub)
                    )))
                }
                ErrorKind::MissingRequiredArgument => Err(CliError::fail(format!(
                    "400 not enough arguments\n{}",
                    usage(&sub)
                ))),
                _ => Err(CliError::fail(format!(
                    "400 unable to parse command\n{}",
                    e.to_string().lines().next().unwrap_or("")
                ))),
            };
        }
    };
    let (root, node) = super::node::acting(&cctx)?;
    let cl = RootCluster::new(root.clone()).map_err(CliError::fail)?;
    let pve = cl.pve(&node).map_err(CliError::fail)?;
    let cfg = storage::load_config(&pve).map_err(|e| CliError::fail(e.to_string()))?;
    for w in &cfg.warnings {
        eprintln!("{w}");
    }
    let (sub, m) = matches.subcommand().expect("subcommand required");
    match sub {
        "status" => {
            let mut rows = status(&root, &cfg, &node).map_err(|e| CliError::fail(e.to_string()))?;
            if let Some(sid) = s(m, "storage") {
                if cfg.get(&sid).is_none() {
                    return Err(param_err(sub, "storage", "No such storage."));
                }
                rows.retain(|r| r.id == sid);
            }
            if let Some(e) = s(m, "enabled") {
                if crate::cli::output::parse_bool(&e).map_err(|_| {
                    param_err(
                        sub,
                        "enabled",
                        &format!("type check ('boolean') failed - got '{e}'"),
                    )
                })? {
                    rows.retain(|r| r.enabled_cfg);
                }
            }
            if let Some(c) = s(m, "content") {
                rows.retain(|r| r.state != StorageState::Disabled && r.content.contains(&c));
            }
            if let Some(t) = s(m, "target") {
                if t != node {
                    rows.retain(|r| {
                        r.shared
                            && cfg
                                .get(&r.id)
                                .map(|st| st.check_node(&t).is_ok() && st.check_node(&node).is_ok())
                                .unwrap_or(false)
                    });
                }
            }
            let w = rows.iter().map(|r| r.id.len()).max().unwrap_or(0) + 1;
            println!(
                "{:<w$} {:>10} {:>10} {:>15} {:>15} {:>15} {:>8}",
                "Name", "Type", "Status", "Total (KiB)", "Used (KiB)", "Available (KiB)", "%"
            );
            for r in &rows {
                let (st, pct) = match r.state {
                    StorageState::Active => {
                        let p = if r.total == 0 {
                            0.0
                        } else {
                            r.used as f64 * 100.0 / r.total as f64
                        };
                        ("active", format!("{p:7.2}%"))
                    }
                    StorageState::Inactive => {
                        eprintln!("storage '{}' is not online", r.id);
                        ("inactive", "   0.00%".to_string())
                    }
                    StorageState::Disabled => ("disabled", "N/A".to_string()),
                };
                println!(
                    "{:<w$} {:>10} {:>10} {:>15} {:>15} {:>15} {:>8}",
                    r.id,
                    r.ty,
                    st,
                    r.total / 1024,
                    r.used / 1024,
                    r.avail / 1024,
                    pct
                );
            }
            Ok(())
        }
        "list" => {
            let sid = s(m, "storage").unwrap_or_default();
            let st = cfg
                .enabled_on(&sid, &node)
                .map_err(|e| CliError::fail(e.to_string()))?;
            let vmid: Option<u32> = match s(m, "vmid") {
                Some(v) => Some(v.parse().map_err(|_| {
                    param_err(
                        sub,
                        "vmid",
                        &format!("type check ('integer') failed - got '{v}'"),
                    )
                })?),
                None => None,
            };
            let inst = Instance::open(&root, st, &node);
            if inst.offline() {
                return Err(CliError::fail(format!("storage '{sid}' is not online")));
            }
            let contents: Vec<String> = match s(m, "content") {
                Some(c) => vec![c],
                None => st.content().into_iter().collect(),
            };
            let vols: Vec<_> = inst
                .list()
                .map_err(|e| CliError::fail(e.to_string()))?
                .into_iter()
                .filter(|r| contents.iter().any(|c| c == r.content_type()))
                .filter(|r| match vmid {
                    None => true,
                    Some(v) => match r.content_type() {
                        "images" | "rootdir" | "backup" => r.vmid == Some(v),
                        "iso" | "vztmpl" => false,
                        _ => true,
                    },
                })
                .collect();
            let vols = list_order(vols);
            let vw = vols.iter().map(|v| v.volid.len()).max().unwrap_or(0);
            let sw = vols
                .iter()
                .map(|v| v.size.to_string().len())
                .max()
                .unwrap_or(1)
                .max(1);
            let is_ct = |vmid: u32| {
                crate::guest::env::find_guest_in(pve.base(), vmid)
                    .map(|(_, k)| k == "lxc")
                    .unwrap_or(false)
            };
            println!(
                "{:<vw$} {:<7} {:<9} {:>sw$} VMID",
                "Volid", "Format", "Type", "Size"
            );
            for v in &vols {
                let ty = match v.content_type() {
                    "images" | "rootdir" if v.vmid.is_some_and(is_ct) => "rootdir",
                    "images" | "rootdir" => "images",
                    other => other,
                };
                let line = format!("{:<vw$} {:<7} {:<9} {:>sw$}", v.volid, v.format, ty, v.size);
                match v.vmid {
                    Some(id) => println!("{line} {id}"),
                    None => println!("{line}"),
                }
            }
            Ok(())
        }
        "alloc" => {
            let sid = s(m, "storage").unwrap_or_default();
            let vmid: u32 = s(m, "vmid")
                .unwrap_or_default()
                .parse()
                .map_err(|_| param_err(sub, "vmid", "type check ('integer') failed"))?;
            let name = s(m, "filename").unwrap_or_default();
            let size_arg = s(m, "size").unwrap_or_default();
            let bytes = if size_arg.bytes().all(|b| b.is_ascii_digit()) && !size_arg.is_empty() {
                size_arg.parse::<u64>().unwrap_or(0) * 1024
            } else {
                match parse_disk_size(&size_arg) {
                    Some(b) if size_arg.ends_with('M') || size_arg.ends_with('G') => b,
                    _ => {
                        return Err(param_err(
                            sub,
                            "size",
                            &format!("value '{size_arg}' does not match the regex pattern"),
                        ))
                    }
                }
            };
            let st = cfg
                .enabled_on(&sid, &node)
                .map_err(|e| CliError::fail(e.to_string()))?;
            let mut fmt = s(m, "format").unwrap_or_else(|| st.default_format().to_string());
            let mut stem = name.clone();
            for ext in ["raw", "qcow2", "vmdk"] {
                if let Some(x) = name.strip_suffix(&format!(".{ext}")) {
                    fmt = ext.into();
                    if !st.file_based() {
                        stem = x.into();
                    }
                }
            }
            if st.file_based() && !stem.contains('.') && fmt != "subvol" {
                stem = format!("{stem}.{fmt}");
            }
            let inst = Instance::open(&root, st, &node);
            let now = crate::sim::clock::now(&root)?;
            let rec = inst
                .alloc(vmid, Some(&stem), bytes, &fmt, now)
                .map_err(|e| CliError::fail(e.to_string()))?;
            println!("successfully created '{}'", rec.volid);
            Ok(())
        }
        "free" => {
            let volid = s(m, "volume").unwrap_or_default();
            let Some((sid, volname)) = parse_volid(&volid) else {
                return Err(CliError::fail(format!(
                    "unable to parse volume ID '{volid}'"
                )));
            };
            let st = cfg
                .enabled_on(sid, &node)
                .map_err(|e| CliError::fail(e.to_string()))?;
            let inst = Instance::open(&root, st, &node);
            if !inst
                .remove(volname)
                .map_err(|e| CliError::fail(e.to_string()))?
            {
                return Err(CliError::fail(format!("volume '{volid}' does not exist")));
            }
            println!("Removed volume '{volid}'");
            Ok(())
        }
        _ => Err(CliError::fail(format!("unknown command 'pvesm {sub}'"))),
    }
}
