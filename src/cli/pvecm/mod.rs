//! `pvecm`: the Proxmox VE cluster manager over the state root.
//!
//! Arguments are handled the Proxmox way ([`args`]); the parameter table
//! [`SPECS`] is the single definition, from which [`command`] also builds a
//! clap command for completions and man pages. Each subcommand's rendering
//! lives in its own file.

pub mod args;
pub mod status;

use self::args::{Kind, Params, Spec};
use crate::cli::node::{acting, finish};
use crate::cli::{CliError, CliResult, Context};
use crate::cluster::ops::{self, Output};
use crate::cluster::{self, ClusterError, Tree};
use std::collections::BTreeMap;

const LINKS: [(&str, Kind); 8] = [
    ("link0", Kind::Link),
    ("link1", Kind::Link),
    ("link2", Kind::Link),
    ("link3", Kind::Link),
    ("link4", Kind::Link),
    ("link5", Kind::Link),
    ("link6", Kind::Link),
    ("link7", Kind::Link),
];

macro_rules! with_links {
    ($($o:expr),* ; $($p:expr),*) => {
        &[$($o,)* LINKS[0], LINKS[1], LINKS[2], LINKS[3], LINKS[4], LINKS[5], LINKS[6], LINKS[7], $($p),*]
    };
}

/// Every subcommand with its parameters (names as upstream).
pub const SPECS: &[Spec] = &[
    Spec {
        name: "add",
        args: &[("hostname", Kind::Str)],
        opts: with_links!(("fingerprint", Kind::Fingerprint), ("force", Kind::Bool); ("nodeid", Kind::Int(1)), ("use_ssh", Kind::Bool), ("votes", Kind::Int(0))),
    },
    Spec {
        name: "addnode",
        args: &[("node", Kind::NodeName)],
        opts: with_links!(("apiversion", Kind::Int(i64::MIN)), ("force", Kind::Bool); ("new_node_ip", Kind::Ip), ("nodeid", Kind::Int(1)), ("votes", Kind::Int(0))),
    },
    Spec {
        name: "apiver",
        args: &[],
        opts: &[],
    },
    Spec {
        name: "create",
        args: &[("clustername", Kind::ClusterName)],
        opts: with_links!(; ("nodeid", Kind::Int(1)), ("token-coefficient", Kind::Int(0)), ("votes", Kind::Int(1))),
    },
    Spec {
        name: "delnode",
        args: &[("node", Kind::NodeName)],
        opts: &[],
    },
    Spec {
        name: "expected",
        args: &[("expected", Kind::Int(1))],
        opts: &[],
    },
    Spec {
        name: "help",
        args: &[("extra-args", Kind::Extra)],
        opts: &[("verbose", Kind::Bool)],
    },
    Spec {
        name: "keygen",
        args: &[("filename", Kind::Str)],
        opts: &[],
    },
    Spec {
        name: "mtunnel",
        args: &[("extra-args", Kind::Extra)],
        opts: &[
            ("get_migration_ip", Kind::Bool),
            ("migration_network", Kind::Cidr),
            ("run-command", Kind::Bool),
        ],
    },
    Spec {
        name: "nodes",
        args: &[],
        opts: &[],
    },
    Spec {
        name: "qdevice remove",
        args: &[],
        opts: &[],
    },
    Spec {
        name: "qdevice setup",
        args: &[("address", Kind::Ip)],
        opts: &[("force", Kind::Bool), ("network", Kind::Cidr)],
    },
    Spec {
        name: "status",
        args: &[],
        opts: &[],
    },
    Spec {
        name: "updatecerts",
        args: &[],
        opts: &[
            ("force", Kind::Bool),
            ("silent", Kind::Bool),
            ("unmerge-known-hosts", Kind::Bool),
        ],
    },
];

const DESCRIPTIONS: &[(&str, &str)] = &[
    ("add", "Adds the current node to an existing cluster."),
    ("addnode", "Adds a node to the cluster configuration. This call is for internal use."),
    ("apiver", "Return the version of the cluster join API available on this node."),
    ("create", "Generate new cluster configuration. If no links given, default to local IP address as link0."),
    ("delnode", "Removes a node from the cluster configuration."),
    ("expected", "Tells corosync a new value of expected votes."),
    ("help", "Get help about specified command."),
    ("keygen", "Generate new cryptographic key for corosync."),
    ("mtunnel", "Used by VM/CT migration - do not use manually."),
    ("nodes", "Displays the local view of the cluster nodes."),
    ("qdevice remove", "Remove a configured QDevice"),
    ("qdevice setup", "Setup the use of a QDevice"),
    ("status", "Displays the local view of the cluster status."),
    ("updatecerts", "Update node certificates (and generate all needed files/directories)."),
];

/// The short usage of `pvecm help` / a missing command (A.11).
pub const SHORT_USAGE: &str = "USAGE: pvecm <COMMAND> [ARGS] [OPTIONS]

       pvecm qdevice remove 
       pvecm qdevice setup <address> [OPTIONS]

       pvecm addnode <node> [OPTIONS]
       pvecm apiver 
       pvecm create <clustername> [OPTIONS]
       pvecm delnode <node>

       pvecm add <hostname> [OPTIONS]
       pvecm expected <expected>
       pvecm keygen <filename>
       pvecm mtunnel [<extra-args>] [OPTIONS]
       pvecm nodes 
       pvecm status 
       pvecm updatecerts  [OPTIONS]

       pvecm help [<extra-args>] [OPTIONS]
";

fn spec(name: &str) -> &'static Spec {
    SPECS
        .iter()
        .find(|s| s.name == name)
        .expect("known command")
}

/// A clap command built from [`SPECS`] (for completions and man pages).
pub fn command() -> clap::Command {
    let mut top = clap::Command::new("pvecm")
        .about("Proxmox VE cluster manager (emulated over a pvesim state root)")
        .subcommand_required(true)
        .disable_help_subcommand(true);
    let mut qdevice = clap::Command::new("qdevice")
        .about("QDevice setup and removal")
        .subcommand_required(true);
    for s in SPECS {
        let (group, leaf) = match s.name.split_once(' ') {
            Some((g, l)) => (Some(g), l),
            None => (None, s.name),
        };
        let about = DESCRIPTIONS
            .iter()
            .find(|(n, _)| *n == s.name)
            .map(|(_, d)| *d)
            .unwrap_or("");
        let mut c = clap::Command::new(leaf).about(about);
        for (a, k) in s.args {
            let mut arg = clap::Arg::new(*a).value_name(*a);
            if *k == Kind::Extra {
                arg = arg.num_args(0..).required(false);
            } else {
                arg = arg.required(true);
            }
            c = c.arg(arg);
        }
        for (o, k) in s.opts {
            let mut arg = clap::Arg::new(*o).long(*o);
            arg = if *k == Kind::Bool {
                arg.num_args(0..=1).value_name("1|0")
            } else {
                arg.num_args(1).value_name(*o)
            };
            c = c.arg(arg);
        }
        if group.is_some() {
            qdevice = qdevice.subcommand(c);
        } else {
            top = top.subcommand(c);
        }
    }
    top.subcommand(qdevice)
}

fn usage_error(msg: &str) -> CliError {
    CliError::fail(format!("{msg}\n{SHORT_USAGE}"))
}

/// Entry point of the `pvecm` binary.
pub fn main(ctx: Context) -> CliResult {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    run(&ctx, &argv)
}

const TOP: &[&str] = &[
    "add",
    "addnode",
    "apiver",
    "create",
    "delnode",
    "expected",
    "help",
    "keygen",
    "mtunnel",
    "nodes",
    "qdevice",
    "status",
    "updatecerts",
];

/// Resolve the command words; returns the full command name and the rest.
fn resolve_command(argv: &[String]) -> CliResult<(&'static str, Vec<String>)> {
    let Some(first) = argv.first() else {
        return Err(usage_error("ERROR: no command specified"));
    };
    let Some(cmd) = args::resolve(first, TOP) else {
        return Err(usage_error(&format!(
            "ERROR: unknown command 'pvecm {first}'"
        )));
    };
    if cmd == "qdevice" {
        let Some(sub) = argv.get(1) else {
            return Err(usage_error("ERROR: incomplete command 'pvecm qdevice'"));
        };
        let Some(s) = args::resolve(sub, &["remove", "setup"]) else {
            return Err(usage_error(&format!(
                "ERROR: unknown command 'pvecm qdevice {sub}'"
            )));
        };
        let name = if s == "remove" {
            "qdevice remove"
        } else {
            "qdevice setup"
        };
        return Ok((name, argv[2..].to_vec()));
    }
    let name = SPECS
        .iter()
        .find(|s| s.name == cmd)
        .map(|s| s.name)
        .expect("listed");
    Ok((name, argv[1..].to_vec()))
}

fn print(out: &Output) {
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
}

fn links(p: &Params) -> BTreeMap<u8, ops::Link> {
    let mut m = BTreeMap::new();
    for n in 0..8u8 {
        if let Some(v) = p.get(&format!("link{n}")) {
            if let Ok(l) = ops::parse_link(v) {
                m.insert(n, l);
            }
        }
    }
    m
}

fn num<T: std::str::FromStr>(p: &Params, k: &str) -> Option<T> {
    p.get(k).and_then(|v| v.parse().ok())
}

fn flag(p: &Params, k: &str) -> bool {
    p.get(k).is_some_and(|v| v == "1")
}

/// Run `pvecm` with the words after the program name.
pub fn run(ctx: &Context, argv: &[String]) -> CliResult {
    let (name, rest) = resolve_command(argv)?;
    let sp = spec(name);
    let params = args::parse(sp, &rest)?;
    if name == "help" {
        // the pmxcfs check comes first for `help` too (A.1); without a
        // state root there is no node to check, and help is still shown
        if let Ok((root, node)) = acting(ctx) {
            if cluster::tree_of(&root, &node)? == Tree::None {
                return Err(ClusterError::NotMounted.into());
            }
        }
        return help(&params);
    }
    let (root, node) = acting(ctx)?;
    if cluster::tree_of(&root, &node)? == Tree::None {
        return Err(ClusterError::NotMounted.into());
    }
    let result = dispatch(ctx, &root, &node, name, &params);
    finish(&root);
    result
}

fn need_conf(root: &crate::store::Root, node: &str) -> CliResult {
    let pve = cluster::pve_for(root, node)?;
    if pve.read("corosync.conf")?.is_none() {
        return Err(ClusterError::NotInCluster.into());
    }
    Ok(())
}

fn dispatch(
    ctx: &Context,
    root: &crate::store::Root,
    node: &str,
    name: &str,
    p: &Params,
) -> CliResult {
    let mut out = Output::default();
    let r: Result<(), ClusterError> = match name {
        "apiver" => {
            println!("1");
            Ok(())
        }
        "create" => ops::create(
            root,
            node,
            &ops::CreateParams {
                clustername: p["clustername"].clone(),
                links: links(p),
                nodeid: num(p, "nodeid"),
                votes: num(p, "votes"),
                token_coefficient: num(p, "token-coefficient"),
            },
            &mut out,
        ),
        "add" => {
            let cwd = std::env::current_dir().ok();
            let in_pve = cwd.is_some_and(|c| {
                c.starts_with(root.etc_pve()) || c.starts_with(root.host_pve(node))
            });
            ops::add(
                root,
                node,
                &ops::AddParams {
                    hostname: p["hostname"].clone(),
                    links: links(p),
                    nodeid: num(p, "nodeid"),
                    votes: num(p, "votes"),
                    force: flag(p, "force"),
                    use_ssh: flag(p, "use_ssh"),
                    cwd_in_pve: in_pve,
                },
                &mut out,
            )
        }
        "addnode" => {
            let req = ops::AddnodeParams {
                node: p["node"].clone(),
                links: links(p),
                nodeid: num(p, "nodeid"),
                votes: num(p, "votes"),
                force: flag(p, "force"),
                new_node_ip: p.get("new_node_ip").cloned(),
                apiversion: num(p, "apiversion").unwrap_or(0),
            };
            match ops::addnode(root, node, &req, &mut out) {
                Ok(_) => Ok(()),
                Err(f) => {
                    let mut msg = f.error.to_string();
                    if let Some(d) = &f.details {
                        for l in ops::detail_lines(d) {
                            msg.push('\n');
                            msg.push_str(&l);
                        }
                    }
                    Err(ClusterError::msg(msg))
                }
            }
        }
        "delnode" => ops::delnode(root, node, &p["node"], &mut out),
        "expected" => {
            need_conf(root, node)?;
            ops::expected(root, node, num(p, "expected").unwrap_or(1))
        }
        "status" => return status::status(ctx, root, node),
        "nodes" => return status::nodes(root, node),
        "qdevice setup" => {
            need_conf(root, node)?;
            ops::qdevice_setup(root, node, &p["address"], flag(p, "force"), &mut out)
        }
        "qdevice remove" => {
            need_conf(root, node)?;
            ops::qdevice_remove(root, node, &mut out)
        }
        "updatecerts" => ops::updatecerts(
            root,
            node,
            flag(p, "force"),
            flag(p, "silent"),
            flag(p, "unmerge-known-hosts"),
            &mut out,
        ),
        "keygen" => {
            let f = &p["filename"];
            let local = root.node_local(node);
            let path = if let Some(abs) = f.strip_prefix('/') {
                local.join(abs)
            } else {
                local.join("root").join(f)
            };
            ops::keygen(&path, f, &mut out)
        }
        "mtunnel" => return mtunnel(root, node, p),
        _ => unreachable!("all commands dispatched"),
    };
    print(&out);
    r.map_err(|e| {
        // Worker errors: embedded newlines become spaces (A.1 item 3).
        if matches!(name, "create" | "add") {
            CliError::with_code(e.to_string().replace('\n', " "), 255)
        } else {
            e.into()
        }
    })
}

fn mtunnel(root: &crate::store::Root, node: &str, p: &Params) -> CliResult {
    if !cluster::is_quorate(root, node)? {
        println!("no quorum");
        return Ok(());
    }
    if flag(p, "get_migration_ip") {
        if flag(p, "run-command") {
            return Err(CliError::fail(
                "cannot use --run-command with --get_migration_ip",
            ));
        }
        match ops::migration_ip(root, node, p.get("migration_network").map(|s| s.as_str()))? {
            Some(ip) => println!("ip: '{ip}'"),
            None => println!("no ip"),
        }
        return Ok(());
    }
    println!("tunnel online");
    let stdin = std::io::stdin();
    let mut line = String::new();
    loop {
        line.clear();
        match stdin.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line.trim_end() == "quit" => break,
            Ok(_) => {}
        }
    }
    Ok(())
}

fn help(p: &Params) -> CliResult {
    let extra = p.get("extra-args").cloned().unwrap_or_default();
    if extra.is_empty() {
        print!("{SHORT_USAGE}");
        return Ok(());
    }
    let words: Vec<String> = extra.split(' ').map(str::to_string).collect();
    let (name, _) = resolve_command(&words)?;
    let sp = spec(name);
    println!("USAGE: {}", sp.usage());
    if flag(p, "verbose") {
        if let Some((_, d)) = DESCRIPTIONS.iter().find(|(n, _)| *n == name) {
            println!();
            println!("  {d}");
        }
        for (a, _) in sp.args {
            println!();
            println!("  <{a}>");
        }
        for (o, k) in sp.opts {
            println!();
            let v = match k {
                Kind::Bool => "<boolean>".to_string(),
                Kind::Int(_) => "<integer>".to_string(),
                _ => "<string>".to_string(),
            };
            println!("  -{o:<26} {v}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_valid_and_complete() {
        let cmd = command();
        cmd.clone().debug_assert();
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for t in TOP {
            assert!(names.iter().any(|n| n == t), "{t} missing");
        }
        // Every command of the short usage has a spec, and vice versa.
        for s in SPECS {
            assert!(
                SHORT_USAGE.contains(&format!("       {}\n", s.usage())),
                "{}",
                s.usage()
            );
        }
    }
}
