//! Command-line front ends: one module per tool, one file per subcommand.
//!
//! The binaries in `src/bin/` are thin: they parse with clap, call
//! `cli::<tool>::run`, print the error and exit with its code. Everything a
//! command prints is decided here; domain modules return values.

pub mod docs;
pub mod ha_manager;
pub mod node;
pub mod output;
pub mod pvecm;
pub mod pvesim;
pub mod pvesm;
pub mod pvesr;
pub mod qm;

use std::fmt;

/// An error as a command line tool reports it: a message for stderr and the
/// exit code (255 for a failed Proxmox CLI command, 2 for a usage error).
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub code: i32,
}

impl CliError {
    /// A failed command: exit 255, as Proxmox CLI tools do.
    pub fn fail(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: 255,
        }
    }

    pub fn with_code(message: impl Into<String>, code: i32) -> CliError {
        CliError {
            message: message.into(),
            code,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

impl From<crate::store::StoreError> for CliError {
    fn from(e: crate::store::StoreError) -> Self {
        CliError::fail(e.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::fail(crate::store::os_text(&e))
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

/// The process environment a command needs, read once by the binary and
/// passed down, so nothing below `cli` reads environment variables.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `PVESIM_ROOT`.
    pub root: Option<String>,
    /// `PVESIM_NODE`.
    pub node: Option<String>,
    /// Whether the locale wants UTF-8 table borders.
    pub utf8: bool,
    /// `TZ`: the zone rendered times and schedules use (UTC when unset).
    pub tz: Option<String>,
    /// Whether this machine is a real Proxmox VE host (its /etc/pve is a
    /// mounted pmxcfs). Then pvesim refuses to run without `PVESIM_ROOT`.
    pub real_pve_host: bool,
}

impl Context {
    pub fn from_env() -> Context {
        let var = |k: &str| std::env::var(k).ok();
        Context {
            root: var("PVESIM_ROOT"),
            node: var("PVESIM_NODE"),
            utf8: output::locale_is_utf8(
                var("LC_ALL").as_deref(),
                var("LC_CTYPE").as_deref(),
                var("LANG").as_deref(),
            ),
            tz: var("TZ"),
            real_pve_host: std::path::Path::new("/etc/pve/.members").exists()
                || std::path::Path::new("/etc/pve/local").exists(),
        }
    }

    /// The state root. On a real Proxmox VE host an explicit `PVESIM_ROOT` is
    /// required, so the emulated tools never shadow the real ones by accident.
    pub fn store_root(&self) -> CliResult<crate::store::Root> {
        let explicit = self.root.as_deref().filter(|r| !r.is_empty());
        if explicit.is_none() && self.real_pve_host {
            return Err(CliError::fail(
                "this machine is a real Proxmox VE host (/etc/pve is mounted): \
                 pvesim will not act on it; set PVESIM_ROOT to a state directory",
            ));
        }
        Ok(crate::store::Root::resolve(explicit)?)
    }
}

/// Rewrite Proxmox single-dash options (`-memory`) to `--memory`, for the
/// tools whose parsing is clap's (`qm`, `pvesm`).
pub fn double_dash_options(args: Vec<String>) -> Vec<String> {
    args.into_iter()
        .map(|a| {
            if a.len() > 2
                && a.starts_with('-')
                && !a.starts_with("--")
                && a.as_bytes()[1].is_ascii_alphabetic()
            {
                format!("-{a}")
            } else {
                a
            }
        })
        .collect()
}

/// The error of the Proxmox CLI handler for a missing, unknown or
/// incomplete command (`ERROR: unknown command 'pvesr foo'`), followed by
/// `USAGE: <tool> <COMMAND> [ARGS] [OPTIONS]` and the usage lines of the
/// commands. `listing` is already rendered, see [`usage_listing`]. Exit 255.
pub fn command_error(tool: &str, msg: &str, listing: &str) -> CliError {
    CliError::fail(format!("ERROR: {msg}\n{}", usage_text(tool, listing)))
}

/// `USAGE: <tool> <COMMAND> [ARGS] [OPTIONS]` and the rendered listing: what
/// `<tool> help` prints, and what follows a command error.
pub fn usage_text(tool: &str, listing: &str) -> String {
    format!("USAGE: {tool} <COMMAND> [ARGS] [OPTIONS]\n{listing}")
}

/// Usage lines as the CLI handler lists them (indented by seven spaces).
pub fn usage_listing<S: AsRef<str>>(lines: &[S]) -> String {
    lines
        .iter()
        .map(|l| format!("       {}\n", l.as_ref()))
        .collect()
}

/// What a clap parse error means in the CLI handler's terms, for the tools
/// whose parsing is clap's (`qm`, `pvesm`): the message of
/// [`command_error`] and the command group whose commands the listing shows
/// (`None`: all commands). `argv` includes the program name; `is_group`
/// says which first words are command groups (`qm disk`). `None` when the
/// error is not about the command words.
pub fn clap_command_error(
    tool: &str,
    e: &clap::Error,
    argv: &[String],
    is_group: impl Fn(&str) -> bool,
) -> Option<(String, Option<String>)> {
    use clap::error::{ContextKind, ErrorKind};
    let words = argv.get(1..).unwrap_or_default();
    let group = words.first().filter(|w| is_group(w)).cloned();
    let path = match &group {
        Some(g) => format!("{tool} {g}"),
        None => tool.to_string(),
    };
    match e.kind() {
        ErrorKind::MissingSubcommand => Some(match group {
            Some(g) => (format!("incomplete command '{path}'"), Some(g)),
            None => ("no command specified".to_string(), None),
        }),
        ErrorKind::InvalidSubcommand => {
            let word = e.get(ContextKind::InvalidSubcommand)?.to_string();
            Some((format!("unknown command '{path} {word}'"), None))
        }
        // an option where the command word belongs (`qm -x`); the real
        // CLI handler has no `--help` or `--version` of its own either
        ErrorKind::UnknownArgument | ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let word = words.get(usize::from(group.is_some()))?;
            word.starts_with('-')
                .then(|| (format!("unknown command '{path} {word}'"), None))
        }
        _ => None,
    }
}

/// The CLI handler's own `help [<extra-args>] [--verbose [<boolean>]]`
/// command as clap describes it (man pages and completions of qm, pvesr
/// and ha-manager; qm also parses with it).
pub fn help_subcommand() -> clap::Command {
    use clap::{Arg, ArgAction};
    clap::Command::new("help")
        .about("Get help about specified command.")
        .arg(
            Arg::new("extra-args")
                .num_args(0..)
                .action(ArgAction::Append)
                .help("Shows help for a specific command"),
        )
        .arg(
            Arg::new("verbose")
                .long("verbose")
                .num_args(0..=1)
                .default_missing_value("1")
                .value_name("boolean")
                .help("Verbose output format."),
        )
}

/// The option word of `Unknown option: <word>` for a clap error after the
/// command word: the unknown option itself, or clap's own help or version
/// flag (`qm list --help` names `help`), which the real CLI handler lacks.
pub fn unknown_option_word(e: &clap::Error, argv: &[String]) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let word = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => argv
            .iter()
            .skip(1)
            .find(|a| matches!(a.as_str(), "--help" | "-h" | "--version" | "-V"))
            .map_or("help".to_string(), String::clone),
        _ => e
            .get(ContextKind::InvalidArg)
            .map(|v| v.to_string())
            .unwrap_or_default(),
    };
    word.trim_start_matches('-').to_string()
}

/// The entry point of a tool: it reads its own command line.
pub type ToolMain = fn(Context) -> CliResult;

/// The emulated Proxmox tools beside `pvesim`, and the entry point of each.
pub const TOOLS: [(&str, ToolMain); 5] = [
    ("pvecm", pvecm::main),
    ("qm", qm::main),
    ("ha-manager", ha_manager::main),
    ("pvesr", pvesr::main),
    ("pvesm", pvesm::main),
];

/// The environment variable that makes the `pvesim` binary act as one of
/// [`TOOLS`] (or as `pvesim`): how `pvesim demo` runs a tool that was not
/// built beside it (`cargo run --bin pvesim` builds `pvesim` alone).
pub const RUN_AS: &str = "PVESIM_RUN_AS";

/// The entry point of the tool called `name` (`pvesim` or one of [`TOOLS`]).
pub fn tool_main(name: &str) -> Option<ToolMain> {
    if name == "pvesim" {
        return Some(pvesim::main);
    }
    TOOLS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, main)| *main)
}

/// Let a closed stdout end the process quietly, as it ends the real
/// (Perl) tools: `pvesr status | head -3` must not print a panic. Rust
/// ignores SIGPIPE by default, which turns the write into an error that
/// `println!` reports as a panic; the default action ends the process.
pub fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: resetting a signal disposition to its default at the start of
    // `main`, before any thread exists, has no memory-safety implications.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Print an error the way the binaries do and return its exit code.
pub fn report(err: &CliError) -> i32 {
    if !err.message.is_empty() {
        let msg = err.message.trim_end_matches('\n');
        eprintln!("{msg}");
    }
    err.code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_default_root_on_a_real_host_but_takes_explicit_root() {
        let ctx = Context {
            real_pve_host: true,
            ..Default::default()
        };
        let err = ctx.store_root().unwrap_err();
        assert_eq!(err.code, 255);
        assert!(
            err.message.contains("real Proxmox VE host"),
            "{}",
            err.message
        );
        let ctx = Context {
            real_pve_host: true,
            root: Some("/tmp/x".into()),
            ..Default::default()
        };
        assert_eq!(
            ctx.store_root().unwrap().path(),
            std::path::Path::new("/tmp/x")
        );
    }
}
