//! `pvesim shell [--node N] [-c CMD]`: a subshell in which the emulated tools
//! come first on PATH and `PVESIM_ROOT`/`PVESIM_NODE` are set, so users can
//! type the real command names (`pvecm status`, `qm list`) without touching
//! a real cluster. The prompt shows the root and the node.

use crate::cli::{CliError, CliResult, Context};
use std::path::PathBuf;
use std::process::Command;

/// Open a shell where pvecm, ha-manager, pvesr, qm and pvesm are pvesim's.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The node the shell acts as (sets PVESIM_NODE); default: the node
    /// chosen with `pvesim use`.
    #[arg(long)]
    pub node: Option<String>,
    /// Run this command in the shell's environment instead of an interactive shell.
    #[arg(short = 'c', value_name = "CMD")]
    pub command: Option<String>,
}

/// The directory holding the emulated tools: the one of this executable.
fn tools_dir() -> CliResult<PathBuf> {
    let exe = std::env::current_exe()
        .map_err(|e| CliError::fail(format!("cannot locate the pvesim binary: {e}")))?;
    exe.parent()
        .map(|p| p.to_path_buf())
        .ok_or_else(|| CliError::fail("cannot locate the pvesim binary directory"))
}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let root = ctx.store_root()?;
    root.require()?;
    let node = match args.node.clone() {
        Some(n) => {
            crate::store::safe_component("node name", &n)?;
            // the same refusal every tool inside would give
            crate::sim::hardware::Hardware::load(&root)?
                .get(&n)
                .map_err(|e| CliError::fail(e.to_string()))?;
            Some(n)
        }
        None => root.acting_node(ctx.node.as_deref()).ok(),
    };
    let dir = tools_dir()?;
    let missing: Vec<&str> = crate::cli::TOOLS
        .iter()
        .map(|(t, _)| *t)
        .filter(|t| !dir.join(t).is_file())
        .collect();
    if !missing.is_empty() {
        // `cargo run --bin pvesim` builds pvesim alone
        eprintln!(
            "pvesim shell: {} not built beside pvesim in '{}'; 'cargo build --release' builds all tools",
            missing.join(", "),
            dir.display()
        );
    }
    let old_path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![dir.clone()];
    paths.extend(std::env::split_paths(&old_path));
    let path = std::env::join_paths(paths)
        .map_err(|e| CliError::fail(format!("cannot build PATH: {e}")))?;
    let root_abs = std::fs::canonicalize(root.path()).unwrap_or_else(|_| root.path().into());
    let place = format!(
        "{}{}",
        root_abs.display(),
        node.as_deref().map(|n| format!(" {n}")).unwrap_or_default()
    );
    let label = format!("pvesim {place}");

    let shell = std::env::var("SHELL").unwrap_or_else(|_| "/bin/bash".into());
    let mut cmd = match &args.command {
        Some(c) => {
            let mut cmd = Command::new("/bin/sh");
            cmd.arg("-c").arg(c);
            cmd
        }
        None if shell.ends_with("bash") => {
            // bash re-reads ~/.bashrc, which usually sets PS1; an rc file of
            // ours sources it first and then sets the prompt.
            let rc = root.sim_dir().join("shellrc");
            // ~/.bashrc may put its own directories first on PATH, so the
            // tools' directory is put in front again after it
            let q = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
            let text = format!(
                "[ -f ~/.bashrc ] && . ~/.bashrc\nPATH={}:\"$PATH\"\nhash -r\nPS1={}\n",
                q(&dir.to_string_lossy()),
                q(&format!("[{label}] \\w# "))
            );
            crate::store::write_atomic(&rc, text.as_bytes())?;
            let mut cmd = Command::new(&shell);
            cmd.arg("--rcfile").arg(rc).arg("-i");
            cmd
        }
        None => Command::new(&shell),
    };
    cmd.env("PATH", path)
        .env("PVESIM_ROOT", &root_abs)
        .env("PS1", format!("[{label}] # "));
    match &node {
        Some(n) => cmd.env("PVESIM_NODE", n),
        None => cmd.env_remove("PVESIM_NODE"),
    };
    if args.command.is_none() {
        eprintln!("pvesim shell on {place}: the Proxmox tools here are emulated; 'exit' to leave");
    }
    let status = cmd
        .status()
        .map_err(|e| CliError::fail(format!("cannot start shell '{shell}': {e}")))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(c) => Err(CliError::with_code("", c)),
        None => Err(CliError::with_code("", 1)),
    }
}
