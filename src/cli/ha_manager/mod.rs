//! `ha-manager`: the HA resource manager's command line. One file per
//! subcommand; this file holds the command tree (which differs between
//! Proxmox VE 8 and 9) and the dispatch.
//!
//! Parsing follows the shared Proxmox CLI conventions (see [`schema`]), not
//! clap's, because scripts and admins rely on the exact error texts.

pub mod add;
pub mod config;
pub mod ctime;
pub mod disarm;
pub mod env;
pub mod groups;
pub mod migrate;
pub mod node_maintenance;
pub mod params;
pub mod remove;
pub mod rules;
pub mod schema;
pub mod set;
pub mod status;
pub mod stop;

use super::{CliError, CliResult, Context};
use crate::ha::config::HaConfigError;
use schema::{CmdDef, Dispatch, Node, Tool, Values};

/// What a command handler gets: the process context, the parsed values,
/// its usage line (for parameter errors it raises itself) and the
/// generation of the emulated cluster.
pub struct Inv<'a> {
    pub ctx: &'a Context,
    pub values: Values,
    pub usage: String,
    pub version: u8,
}

impl Inv<'_> {
    /// Open the acting node's environment.
    pub fn env(&self) -> CliResult<env::HaEnv> {
        env::open(self.ctx)
    }
}

pub type Handler = fn(&Inv) -> CliResult;

impl From<HaConfigError> for CliError {
    fn from(e: HaConfigError) -> Self {
        CliError::fail(e.to_string())
    }
}

/// Upstream's handler classes, used only to group the usage listing.
pub(crate) const RESOURCES: &str = "PVE::API2::HA::Resources";
pub(crate) const GROUPS: &str = "PVE::API2::HA::Groups";
pub(crate) const RULES: &str = "PVE::API2::HA::Rules";
pub(crate) const CLI: &str = "PVE::CLI::ha_manager";

/// The command tree of the given Proxmox VE generation.
pub fn tool(version: u8) -> Tool<Handler> {
    let cmd = |d: CmdDef<Handler>| Node::Cmd(d);
    let mut crm: Vec<(&'static str, Node<Handler>)> = vec![
        ("migrate", cmd(migrate::def_migrate())),
        ("relocate", cmd(migrate::def_relocate())),
        ("stop", cmd(stop::def())),
        (
            "node-maintenance",
            Node::Group(vec![
                ("enable", cmd(node_maintenance::def_enable())),
                ("disable", cmd(node_maintenance::def_disable())),
            ]),
        ),
    ];
    if version >= 9 {
        crm.push(("disarm-ha", cmd(disarm::def_disarm())));
        crm.push(("arm-ha", cmd(disarm::def_arm())));
    }
    let mut tree: Vec<(&'static str, Node<Handler>)> = vec![
        ("status", cmd(status::def())),
        ("config", cmd(config::def())),
        ("groupconfig", cmd(groups::def_groupconfig())),
        ("groupadd", cmd(groups::def_groupadd())),
        ("groupremove", cmd(groups::def_groupremove())),
        ("groupset", cmd(groups::def_groupset())),
        ("add", cmd(add::def(version))),
        ("remove", cmd(remove::def(version))),
        ("set", cmd(set::def(version))),
        ("migrate", Node::Alias(&["crm-command", "migrate"])),
        ("relocate", Node::Alias(&["crm-command", "relocate"])),
        ("crm-command", Node::Group(crm)),
        ("help", Node::Help),
    ];
    if version >= 9 {
        tree.push(("rules", Node::Group(rules::tree())));
    }
    Tool {
        name: "ha-manager",
        tree,
    }
}

/// Entry point of the `ha-manager` binary.
pub fn main(ctx: Context) -> CliResult {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    run(&ctx, &argv)
}

/// Run one command line (without the program name).
pub fn run(ctx: &Context, argv: &[String]) -> CliResult {
    let version = ctx
        .store_root()
        .ok()
        .filter(|r| r.exists())
        .and_then(|r| crate::sim::version::pve_version(&r).ok())
        .unwrap_or(crate::sim::version::DEFAULT_PVE_VERSION);
    let tool = tool(version);
    match tool.dispatch(argv)? {
        Dispatch::Help(text) => {
            print!("{text}");
            Ok(())
        }
        Dispatch::Run { words, def, values } => {
            let inv = Inv {
                ctx,
                values,
                usage: tool.usage_line(&words, def),
                version,
            };
            let r = (def.handler)(&inv);
            // the per-node views follow every command (project decision 4)
            if let Ok(root) = ctx.store_root() {
                if root.exists() {
                    crate::cli::node::finish(&root);
                }
            }
            r
        }
    }
}

/// Section-config files are line based: a value with a line break would
/// corrupt them, so such values are refused before anything is written.
pub fn check_line_feeds(values: &Values) -> Result<(), String> {
    for (k, v) in values.iter() {
        if v.contains(['\n', '\r']) {
            return Err(format!("property '{k}' contains a line feed"));
        }
    }
    Ok(())
}

/// Whether HA groups count as migrated to rules: only in Proxmox VE 9, once
/// groups.cfg is absent or has no entries.
pub fn groups_migrated(env: &env::HaEnv) -> CliResult<bool> {
    if env.version < 9 {
        return Ok(false);
    }
    Ok(groups::read_group_ids(&env.pve)?.is_empty())
}

/// A clap description of the command tree (Proxmox VE 9), for the
/// generated shell completions and man pages only; parsing goes through
/// [`schema`].
pub fn clap_command() -> clap::Command {
    use clap::{Arg, ArgAction, Command};
    fn param_arg(p: &schema::Param, positional: bool) -> Arg {
        let value = p.typetext.unwrap_or(match p.kind {
            schema::Kind::Bool => "<boolean>",
            schema::Kind::Int { .. } => "<integer>",
            _ => "<string>",
        });
        let value = value.trim_start_matches('<').trim_end_matches('>');
        let mut help = p.desc.to_string();
        if let Some(d) = p.default {
            help.push_str(&format!(" (default={d})"));
        }
        let mut a = Arg::new(p.name).help(help).value_name(value);
        if positional {
            a = a.required(!p.optional);
        } else {
            a = a.long(p.name).action(ArgAction::Set);
            if let schema::Kind::Enum(values) = p.kind {
                a = a.value_parser(values.to_vec());
            }
        }
        a
    }
    fn build(name: &'static str, node: &Node<Handler>) -> Command {
        match node {
            Node::Cmd(def) => {
                let mut c = Command::new(name).about(def.desc);
                for a in &def.args {
                    if let Some(p) = def.params.iter().find(|p| p.name == *a) {
                        c = c.arg(param_arg(p, true));
                    }
                }
                let mut opts: Vec<&schema::Param> = def
                    .params
                    .iter()
                    .filter(|p| !def.args.contains(&p.name))
                    .collect();
                let fmt = schema::format_params();
                if def.format_options {
                    opts.extend(fmt.iter());
                }
                for p in opts {
                    c = c.arg(param_arg(p, false));
                }
                c
            }
            Node::Group(children) => {
                let mut c = Command::new(name).subcommand_required(true);
                for (n, child) in children {
                    c = c.subcommand(build(n, child));
                }
                c
            }
            Node::Alias(target) => {
                Command::new(name).about(format!("An alias for 'ha-manager {}'.", target.join(" ")))
            }
            Node::Help => crate::cli::help_subcommand().name(name),
        }
    }
    let t = tool(crate::sim::version::DEFAULT_PVE_VERSION);
    let mut cmd = Command::new("ha-manager")
        .about("Proxmox VE HA resource manager (emulated over a pvesim state root)")
        .disable_help_subcommand(true)
        .subcommand_required(true);
    for (n, node) in &t.tree {
        cmd = cmd.subcommand(build(n, node));
    }
    cmd
}
