//! `pvesr`: the storage replication command line. The command tree and the
//! dispatch live here; each subcommand has its own file.
//!
//! Parsing follows the shared Proxmox CLI conventions of
//! [`crate::cli::ha_manager::schema`] (command abbreviation, `-opt`/`--opt`,
//! the `400 Parameter verification failed.` block), not clap's.

pub mod config_cmds;
pub mod internal;
pub mod params;
pub mod run;
pub mod status;

use super::ha_manager::schema::{param_error, CmdDef, Dispatch, Node, Tool, Values};
use super::{CliError, CliResult, Context};
use crate::replication::localtime::Zone;
use crate::replication::runner::chomp;
use crate::store::Root;

/// What a handler gets.
pub struct Inv<'a> {
    pub ctx: &'a Context,
    pub values: Values,
    pub usage: String,
    /// Positional arguments after the fixed ones (`[<extra-args>]`).
    pub extra: Vec<String>,
}

impl Inv<'_> {
    /// The root and the node the command runs on.
    pub fn acting(&self) -> CliResult<(Root, String)> {
        crate::cli::node::acting(self.ctx)
    }

    pub fn zone(&self) -> Zone {
        Zone::from_tz(self.ctx.tz.as_deref())
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.values.get(k)
    }

    /// A parameter error raised by the handler itself.
    pub fn param_error(&self, name: &str, msg: &str) -> CliError {
        param_error(&[(name.to_string(), msg.to_string())], &self.usage)
    }
}

pub type Handler = fn(&Inv) -> CliResult;

/// A runner error as the command reports it.
pub fn err(e: String) -> CliError {
    CliError::fail(chomp(&e).to_string())
}

pub(crate) const REPLICATION: &str = "PVE::API2::Replication";
pub(crate) const CONFIG: &str = "PVE::API2::ReplicationConfig";
pub(crate) const CLI: &str = "PVE::CLI::pvesr";

/// The command tree.
pub fn tool() -> Tool<Handler> {
    let cmd = |d: CmdDef<Handler>| Node::Cmd(d);
    Tool {
        name: "pvesr",
        tree: vec![
            ("create-local-job", cmd(config_cmds::def_create())),
            ("delete", cmd(config_cmds::def_delete())),
            ("list", cmd(config_cmds::def_list())),
            ("read", cmd(config_cmds::def_read())),
            ("update", cmd(config_cmds::def_update())),
            ("enable", cmd(config_cmds::def_enable())),
            ("disable", cmd(config_cmds::def_disable())),
            ("status", cmd(status::def_status())),
            ("schedule-now", cmd(status::def_schedule_now())),
            ("run", cmd(run::def())),
            ("prepare-local-job", cmd(internal::def_prepare())),
            ("finalize-local-job", cmd(internal::def_finalize())),
            ("set-state", cmd(internal::def_set_state())),
            ("help", Node::Help),
        ],
    }
}

/// Entry point of the `pvesr` binary.
pub fn main(ctx: Context) -> CliResult {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    run(&ctx, &argv)
}

/// Commands taking any number of volids after the job id.
const EXTRA_ARGS: &[&str] = &["prepare-local-job", "finalize-local-job"];

/// Run one command line (without the program name).
pub fn run(ctx: &Context, argv: &[String]) -> CliResult {
    let tool = tool();
    if let Some(e) = ambiguous(&tool, argv) {
        return Err(e);
    }
    // Split off the extra positional arguments of the internal commands, so
    // the generic parser sees `<cmd> <id> [OPTIONS]`.
    let mut argv = argv.to_vec();
    let mut extra = Vec::new();
    if let Some(first) = argv.first() {
        let cands: Vec<&&str> = EXTRA_ARGS
            .iter()
            .filter(|c| !first.is_empty() && c.starts_with(first.as_str()))
            .collect();
        let is_help = "help".starts_with(first.as_str()) && !first.is_empty();
        if cands.len() == 1 && !is_help {
            let (kept, rest) = internal::split_extra(&argv[1..]);
            extra = rest;
            let mut a = vec![argv[0].clone()];
            a.extend(kept);
            argv = a;
        }
    }
    match tool.dispatch(&argv)? {
        Dispatch::Help(text) => {
            print!("{text}");
            Ok(())
        }
        Dispatch::Run { words, def, values } => {
            let inv = Inv {
                ctx,
                values,
                usage: tool.usage_line(&words, def),
                extra,
            };
            let r = (def.handler)(&inv);
            if let Ok(root) = ctx.store_root() {
                if root.exists() {
                    crate::cli::node::finish(&root);
                }
            }
            r
        }
    }
}

/// An ambiguous command prefix (`pvesr s`): `incomplete command` with the
/// usage of the commands it could mean.
fn ambiguous(tool: &Tool<Handler>, argv: &[String]) -> Option<CliError> {
    let word = argv.first()?;
    if word.is_empty() || word.starts_with('-') || tool.tree.iter().any(|(n, _)| n == word) {
        return None;
    }
    let matches: Vec<&(&'static str, Node<Handler>)> = tool
        .tree
        .iter()
        .filter(|(n, _)| n.starts_with(word.as_str()))
        .collect();
    if matches.len() < 2 {
        return None;
    }
    let mut s = format!(
        "ERROR: incomplete command 'pvesr {word}'\nUSAGE: pvesr <COMMAND> [ARGS] [OPTIONS]\n"
    );
    for (name, node) in matches {
        match node {
            Node::Cmd(def) => {
                s.push_str(&format!("       {}\n", tool.usage_line(&[name], def)));
            }
            Node::Help => s.push_str("       pvesr help [<extra-args>] [OPTIONS]\n"),
            _ => {}
        }
    }
    Some(CliError::fail(s))
}

/// A clap description of the same commands and options, for the generated
/// completions and man page (parsing itself does not use clap).
pub fn clap_command() -> clap::Command {
    use super::ha_manager::schema::{Kind, Param};
    use clap::{Arg, ArgAction, Command};
    fn arg(p: &Param, positional: bool) -> Arg {
        let value = p.typetext.unwrap_or(match p.kind {
            Kind::Bool => "<boolean>",
            Kind::Int { .. } => "<integer>",
            _ => "<string>",
        });
        let value = value.trim_start_matches('<');
        let value: &'static str = value.split('>').next().unwrap_or(value);
        let mut help = p.desc.to_string();
        if let Some(d) = p.default {
            help.push_str(&format!(" (default={d})"));
        }
        let mut a = Arg::new(p.name).help(help).value_name(value);
        if positional {
            a = a.required(!p.optional);
            if p.name == "extra-args" {
                a = a.num_args(0..).action(ArgAction::Append);
            }
        } else {
            a = a.long(p.name).action(ArgAction::Set);
            if let Kind::Enum(values) = p.kind {
                a = a.value_parser(values.to_vec());
            }
        }
        a
    }
    let mut root = Command::new("pvesr")
        .about("Proxmox VE storage replication (emulated over a pvesim state root)")
        .subcommand_required(true)
        .disable_help_subcommand(true);
    for (name, node) in tool().tree {
        let c = match node {
            Node::Cmd(def) => {
                let mut c = Command::new(name).about(def.desc);
                for a in &def.args {
                    if let Some(p) = def.params.iter().find(|p| p.name == *a) {
                        c = c.arg(arg(p, true));
                    }
                }
                for p in def.params.iter().filter(|p| !def.args.contains(&p.name)) {
                    c = c.arg(arg(p, false));
                }
                c
            }
            Node::Help => crate::cli::help_subcommand().name(name),
            _ => continue,
        };
        root = root.subcommand(c);
    }
    root
}
