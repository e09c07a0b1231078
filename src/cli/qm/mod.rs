//! `qm`: the Qemu/KVM virtual machine manager over the simulated cluster.
//! Parses with the clap definition of [`args`], runs the guest operation,
//! prints its collected output, and maps errors to Proxmox's messages and
//! exit codes (spec qm-and-storage.md sections 1 and 3 - 5).

pub mod args;

use super::{CliError, CliResult, Context};
use crate::guest::{
    create, destroy,
    env::ClusterInfo,
    info, migrate, power, rescan, set,
    vm::{Ctx, GuestError, Line, Term},
};
use clap::ArgMatches;

/// Entry point of the `qm` binary.
pub fn main(ctx: Context) -> CliResult {
    let args: Vec<String> = std::env::args().collect();
    run(ctx, args)
}

fn bool_opt(m: &ArgMatches, name: &str) -> Result<bool, GuestError> {
    match m.try_get_one::<String>(name).ok().flatten() {
        None => Ok(false),
        Some(v) => crate::cli::output::parse_bool(v).map_err(|_| {
            GuestError::Param(vec![(
                name.to_string(),
                format!("type check ('boolean') failed - got '{v}'"),
            )])
        }),
    }
}

fn str_opt(m: &ArgMatches, name: &str) -> Option<String> {
    m.try_get_one::<String>(name).ok().flatten().cloned()
}

fn int_opt(m: &ArgMatches, name: &str) -> Result<Option<u64>, GuestError> {
    match str_opt(m, name) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            GuestError::Param(vec![(
                name.to_string(),
                format!("type check ('integer') failed - got '{v}'"),
            )])
        }),
    }
}

fn vmid_of(m: &ArgMatches, name: &str) -> Result<u32, GuestError> {
    let v = str_opt(m, name).unwrap_or_default();
    match v.parse::<u32>() {
        Ok(n) if n >= 100 => Ok(n),
        Ok(_) => Err(GuestError::Param(vec![(
            name.into(),
            format!("invalid format - value '{v}' does not look like a valid VM ID"),
        )])),
        Err(_) => Err(GuestError::Param(vec![(
            name.into(),
            format!("type check ('integer') failed - got '{v}'"),
        )])),
    }
}

/// Config-key options given on the command line, in command-line order.
fn config_values(m: &ArgMatches) -> Vec<(String, String)> {
    let mut v: Vec<(usize, String, String)> = Vec::new();
    for k in args::config_keys() {
        if let Some(val) = m.try_get_one::<String>(&k).ok().flatten() {
            let idx = m.index_of(&k).unwrap_or(0);
            v.push((idx, k, val.clone()));
        }
    }
    v.sort();
    v.into_iter().map(|(_, k, val)| (k, val)).collect()
}

/// Print the collected output in its order; consecutive stdout lines go out
/// in one write (a 1,000-guest `qm list` is one write, not 1,000).
fn print(term: &Term) {
    use std::io::Write as _;
    let mut out = String::new();
    let flush = |out: &mut String| {
        if !out.is_empty() {
            let mut so = std::io::stdout().lock();
            let _ = so.write_all(out.as_bytes());
            let _ = so.flush();
            out.clear();
        }
    };
    for l in &term.lines {
        match l {
            Line::Out(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Line::Err(s) => {
                flush(&mut out);
                eprintln!("{s}");
            }
        }
    }
    flush(&mut out);
}

/// The command words of argv for its usage line (`disk rescan`).
fn command_words(argv: &[String]) -> String {
    match argv.get(1).map(String::as_str) {
        Some("disk") => argv[1..argv.len().min(3)].join(" "),
        Some(w) => w.to_string(),
        None => String::new(),
    }
}

/// `qm help [<command words>] [--verbose]`: the command listing, one
/// command's usage line, or its usage with every parameter described.
fn help(m: &ArgMatches) -> CliResult {
    let words: Vec<&str> = m
        .get_many::<String>("extra-args")
        .map(|v| v.map(String::as_str).collect())
        .unwrap_or_default();
    let verbose = bool_opt(m, "verbose")
        .map_err(|e| CliError::fail(format!("{e}\n{}", args::usage("help"))))?;
    let listing = |group: Option<&str>| super::usage_listing(&args::command_listing(group));
    if words.is_empty() {
        print!("{}", super::usage_text("qm", &listing(None)));
        return Ok(());
    }
    let full = args::command();
    let mut cmd = &full;
    for (i, w) in words.iter().enumerate() {
        let path = words[..=i].join(" ");
        match cmd.find_subcommand(w) {
            Some(c) => cmd = c,
            None => {
                let msg = format!("unknown command 'qm {path}'");
                return Err(super::command_error("qm", &msg, &listing(None)));
            }
        }
        if i + 1 == words.len() && cmd.has_subcommands() {
            let msg = format!("incomplete command 'qm {path}'");
            return Err(super::command_error("qm", &msg, &listing(Some(w))));
        }
        if i + 1 < words.len() && !cmd.has_subcommands() {
            let msg = format!("unknown command 'qm {}'", words.join(" "));
            return Err(super::command_error("qm", &msg, &listing(None)));
        }
    }
    let line = args::usage(&words.join(" "));
    if !verbose {
        println!("USAGE: {line}");
        return Ok(());
    }
    print!("{}", args::long_help(&line, cmd));
    Ok(())
}

/// Run `qm` with the full argv.
pub fn run(cctx: Context, argv: Vec<String>) -> CliResult {
    let argv = super::double_dash_options(argv);
    let first = argv.get(1).map(String::as_str);
    let matches = match args::command_for(first).try_get_matches_from(&argv) {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            if let Some((msg, group)) = super::clap_command_error("qm", &e, &argv, |w| w == "disk")
            {
                let listing = args::command_listing(group.as_deref());
                return Err(super::command_error(
                    "qm",
                    &msg,
                    &super::usage_listing(&listing),
                ));
            }
            return match e.kind() {
                ErrorKind::UnknownArgument | ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let sub = command_words(&argv);
                    Err(CliError::fail(format!(
                        "Unknown option: {}\n400 unable to parse option\n{}",
                        super::unknown_option_word(&e, &argv),
                        args::usage(&sub)
                    )))
                }
                ErrorKind::MissingRequiredArgument => {
                    let sub = command_words(&argv);
                    Err(CliError::fail(format!(
                        "400 not enough arguments\n{}",
                        args::usage(&sub)
                    )))
                }
                _ => Err(CliError::fail(e.to_string())),
            };
        }
    };
    let (sub, m) = matches.subcommand().expect("subcommand required");
    if sub == "help" {
        return help(m);
    }
    let (sub, m) = if sub == "disk" {
        let (s2, m2) = m.subcommand().expect("subcommand required");
        (format!("disk {s2}"), m2.clone())
    } else {
        (sub.to_string(), m.clone())
    };
    let (root, node) = super::node::acting(&cctx)?;
    let cl = crate::guest::env::RootCluster::new(root.clone()).map_err(CliError::fail)?;
    let now = crate::sim::clock::now(&root)?;
    let zone = crate::replication::localtime::Zone::from_tz(cctx.tz.as_deref());
    let ctx = Ctx {
        cl: &cl as &dyn ClusterInfo,
        node,
        now,
        zone,
    };
    let mut term = Term::default();
    let mut res = dispatch(&ctx, &sub, &m, &mut term);
    super::node::finish(&root);
    print(&term);
    if let (Ok(()), Some(req)) = (&res, term.ha_request.take()) {
        if let Err(e) = super::ha_manager::run(&cctx, &req) {
            let msg = e.message.trim_end_matches('\n');
            if !msg.is_empty() {
                eprintln!("{msg}");
            }
            res = Err(GuestError::Msg(format!(
                "command 'ha-manager {}' failed: exit code {}",
                req.join(" "),
                e.code
            )));
        }
    }
    match res {
        Ok(()) => Ok(()),
        Err(GuestError::Param(p)) => Err(CliError::fail(format!(
            "{}\n{}",
            GuestError::Param(p),
            args::usage(&sub)
        ))),
        Err(GuestError::Msg(m)) => Err(CliError::fail(m)),
    }
}

fn dispatch(ctx: &Ctx, sub: &str, m: &ArgMatches, term: &mut Term) -> Result<(), GuestError> {
    match sub {
        "list" => {
            let full = bool_opt(m, "full")?;
            let rows = info::list(ctx, term)?;
            if !rows.is_empty() {
                term.out(format!(
                    "{:>10} {:<20} {:<10} {:<10} {:>12} {:<10}",
                    "VMID", "NAME", "STATUS", "MEM(MB)", "BOOTDISK(GB)", "PID"
                ));
                for r in rows {
                    let st = if full { &r.qmpstatus } else { &r.status };
                    term.out(format!(
                        "{:>10} {:<20} {:<10} {:<10} {:>12.2} {:<10}",
                        r.vmid, r.name, st, r.mem_mb, r.bootdisk_gb, r.pid
                    ));
                }
            }
            Ok(())
        }
        "status" => {
            let vmid = vmid_of(m, "vmid")?;
            let verbose = bool_opt(m, "verbose")?;
            let st = info::status(ctx, vmid, term)?;
            if verbose {
                for (k, v) in &st {
                    if k == "cpu" || k == "relcpu" {
                        continue;
                    }
                    term.out(format!("{k}: {v}"));
                }
            } else {
                term.out(format!(
                    "status: {}",
                    if st.get("status").map(|s| s.as_str()) == Some("running") {
                        st.get("qmpstatus").cloned().unwrap_or_default()
                    } else {
                        "stopped".into()
                    }
                ));
            }
            Ok(())
        }
        "config" => {
            let vmid = vmid_of(m, "vmid")?;
            let current = bool_opt(m, "current")?;
            let snap = str_opt(m, "snapshot");
            if current && snap.is_some() {
                return Err(GuestError::Param(vec![(
                    "snapshot".into(),
                    "option conflicts with option 'current'".into(),
                )]));
            }
            for l in info::config(ctx, vmid, current, snap.as_deref(), term)? {
                term.out(l);
            }
            Ok(())
        }
        "pending" => {
            let vmid = vmid_of(m, "vmid")?;
            for l in info::pending(ctx, vmid, term)? {
                term.out(l);
            }
            Ok(())
        }
        "create" => {
            let vmid = vmid_of(m, "vmid")?;
            let opts = create::CreateOpts {
                values: config_values(m),
                storage: str_opt(m, "storage"),
                start: bool_opt(m, "start")?,
                ha_managed: bool_opt(m, "ha-managed")?,
            };
            create::create(ctx, vmid, &opts, term)
        }
        "set" => {
            let vmid = vmid_of(m, "vmid")?;
            let values = config_values(m);
            let deletes: Vec<String> = m
                .get_many::<String>("delete")
                .map(|v| v.cloned().collect())
                .unwrap_or_default();
            let mut shown: Vec<(String, String)> = values.clone();
            for d in &deletes {
                shown.push(("delete".into(), d.clone()));
            }
            for k in ["revert", "digest"] {
                if let Some(v) = str_opt(m, k) {
                    shown.push((k.into(), v));
                }
            }
            for k in ["force", "skiplock"] {
                if let Some(v) = str_opt(m, k) {
                    shown.push((k.into(), v));
                }
            }
            let opts = set::SetOpts {
                values,
                delete: deletes.iter().flat_map(|d| set::split_keys(d)).collect(),
                revert: str_opt(m, "revert")
                    .map(|r| set::split_keys(&r))
                    .unwrap_or_default(),
                force: bool_opt(m, "force")?,
                skiplock: bool_opt(m, "skiplock")?,
                shown,
            };
            set::set(ctx, vmid, &opts, term)
        }
        "start" => {
            let vmid = vmid_of(m, "vmid")?;
            let opts = power::StartOpts {
                skiplock: bool_opt(m, "skiplock")?,
                ha_internal: false,
            };
            power::start(ctx, vmid, &opts, term)
        }
        "stop" | "shutdown" => {
            let vmid = vmid_of(m, "vmid")?;
            let opts = power::StopOpts {
                skiplock: bool_opt(m, "skiplock")?,
                overrule_shutdown: sub == "stop" && bool_opt(m, "overrule-shutdown")?,
                migratedfrom: if sub == "stop" {
                    str_opt(m, "migratedfrom")
                } else {
                    None
                },
                timeout: int_opt(m, "timeout")?,
                force_stop: sub == "shutdown" && bool_opt(m, "forceStop")?,
                ha_internal: false,
            };
            if sub == "stop" {
                power::stop(ctx, vmid, &opts, term)
            } else {
                power::shutdown(ctx, vmid, &opts, term)
            }
        }
        "reboot" => power::reboot(ctx, vmid_of(m, "vmid")?, term),
        "suspend" => power::suspend(ctx, vmid_of(m, "vmid")?, true, term),
        "resume" => power::suspend(ctx, vmid_of(m, "vmid")?, false, term),
        "destroy" => {
            let vmid = vmid_of(m, "vmid")?;
            let opts = destroy::DestroyOpts {
                purge: bool_opt(m, "purge")?,
                destroy_unreferenced: bool_opt(m, "destroy-unreferenced-disks")?,
                skiplock: bool_opt(m, "skiplock")?,
            };
            let w = destroy::destroy(ctx, vmid, &opts, term)?;
            if w > 0 {
                term.err(format!("Task finished with {w} warning(s)!"));
            }
            Ok(())
        }
        "unlock" => set::unlock(ctx, vmid_of(m, "vmid")?, term),
        "snapshot" => crate::guest::snapshot::snapshot(
            ctx,
            vmid_of(m, "vmid")?,
            &str_opt(m, "snapname").unwrap_or_default(),
            str_opt(m, "description").as_deref(),
            term,
        ),
        "delsnapshot" => crate::guest::snapshot::delsnapshot(
            ctx,
            vmid_of(m, "vmid")?,
            &str_opt(m, "snapname").unwrap_or_default(),
            term,
        ),
        "rollback" => {
            let vmid = vmid_of(m, "vmid")?;
            let opts = crate::guest::snapshot::RollbackOpts {
                start: bool_opt(m, "start")?,
            };
            let snapname = str_opt(m, "snapname").unwrap_or_default();
            let w = crate::guest::snapshot::rollback(ctx, vmid, &snapname, &opts, term)?;
            if w > 0 {
                term.err(format!("Task finished with {w} warning(s)!"));
            }
            Ok(())
        }
        "listsnapshot" => {
            let vmid = vmid_of(m, "vmid")?;
            for l in crate::guest::snapshot::listsnapshot(ctx, vmid, term)? {
                term.out(l);
            }
            Ok(())
        }
        "migrate" => {
            let vmid = vmid_of(m, "vmid")?;
            let target = str_opt(m, "target").unwrap_or_default();
            let mt = str_opt(m, "migration_type");
            if let Some(t) = &mt {
                if t != "secure" && t != "insecure" {
                    return Err(GuestError::Param(vec![(
                        "migration_type".into(),
                        format!("value '{t}' does not have a value in the enumeration 'secure, insecure'"),
                    )]));
                }
            }
            let opts = migrate::MigrateOpts {
                online: bool_opt(m, "online")?,
                with_local_disks: bool_opt(m, "with-local-disks")?,
                targetstorage: str_opt(m, "targetstorage"),
                bwlimit: int_opt(m, "bwlimit")?,
                force: bool_opt(m, "force")?,
                migration_type: mt,
                migration_network: str_opt(m, "migration_network"),
                with_conntrack_state: bool_opt(m, "with-conntrack-state")?,
                ha_internal: false,
            };
            migrate::migrate(ctx, vmid, &target, &opts, None, term)
        }
        "rescan" | "disk rescan" => {
            let vmid = match str_opt(m, "vmid") {
                Some(_) => Some(vmid_of(m, "vmid")?),
                None => None,
            };
            rescan::rescan(ctx, vmid, bool_opt(m, "dryrun")?, term)
        }
        other => Err(GuestError::Msg(format!("unknown command 'qm {other}'"))),
    }
}
