//! `pvesim demo`: a guided first run. It builds a three-node cluster with
//! shared storage on the state root, puts three VMs under HA, pulls the
//! plug on the node that runs two of them, lets the HA stack fence it and
//! recover the VMs, and prints every command with its output, so the
//! transcript doubles as a tutorial. It runs the real `pvesim`, `qm`,
//! `ha-manager` and `pvecm` binaries that sit beside this one.

use crate::cli::{CliError, CliResult, Context};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Build a demo cluster, fail a node and show the HA failover.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Replace an existing state root that was not made by `pvesim demo`.
    #[arg(long)]
    pub force: bool,
}

const MARKER: &str = "demo";

const SHARED_STORAGE: &str =
    "nfs: shared\n\texport /export/pve\n\tpath /mnt/pve/shared\n\tserver 192.168.1.5\n\tcontent images\n\n";

struct Demo {
    root: PathBuf,
    bin: PathBuf,
    out: String,
}

impl Demo {
    /// Run one tool as `node`, print the command line and its output.
    fn run(&mut self, node: &str, tool: &str, args: &[&str], show: bool) -> CliResult<String> {
        let out = tool_command(&self.bin, tool)?
            .args(args)
            .env("PVESIM_ROOT", &self.root)
            .env("PVESIM_NODE", node)
            .output()
            .map_err(|e| CliError::fail(format!("cannot run {tool}: {e}")))?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if show {
            self.say(&format!("root@{node}:~# {tool} {}", args.join(" ")));
            self.out.push_str(&stdout);
        }
        if !out.status.success() {
            return Err(CliError::fail(format!(
                "demo step '{tool} {}' failed: {}",
                args.join(" "),
                stderr.trim_end()
            )));
        }
        Ok(stdout)
    }

    fn say(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn flush(&mut self) {
        print!("{}", std::mem::take(&mut self.out));
    }
}

/// The command that runs `tool`: the binary of that name beside this one,
/// or, when it is not there (`cargo run --bin pvesim` builds only
/// `pvesim`), this binary acting as that tool (see [`crate::cli::RUN_AS`]).
fn tool_command(bin: &Path, tool: &str) -> CliResult<Command> {
    let exe = bin.join(tool);
    if exe.is_file() {
        return Ok(Command::new(exe));
    }
    let me =
        std::env::current_exe().map_err(|e| CliError::fail(format!("cannot run {tool}: {e}")))?;
    let mut c = Command::new(me);
    c.env(crate::cli::RUN_AS, tool);
    Ok(c)
}

fn sibling_dir() -> CliResult<PathBuf> {
    let exe = std::env::current_exe()
        .map_err(|e| CliError::fail(format!("cannot locate the pvesim binary: {e}")))?;
    Ok(exe
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".")))
}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let root = ctx.store_root()?;
    let path = root.path().to_path_buf();
    crate::cluster::bench::check_foreign_content(&root)?;
    if root.exists() {
        let is_demo = root.sim_dir().join(MARKER).exists();
        if !is_demo && !args.force {
            return Err(CliError::fail(format!(
                "state root '{}' already holds a lab that 'pvesim demo' did not build; \
                 use --force to replace it, or set PVESIM_ROOT to another directory",
                path.display()
            )));
        }
        // only the root's own directories: anything else a user keeps in
        // the directory stays
        crate::cluster::bench::clear_root(&root)?;
    }
    let mut d = Demo {
        root: path.clone(),
        bin: sibling_dir()?,
        out: String::new(),
    };
    d.say(&format!("# pvesim demo on {}", path.display()));
    d.say("# Three nodes, shared storage, three VMs under HA. Then pve1 loses power.");
    d.say("");
    d.run(
        "pve1",
        "pvesim",
        &["init", "--nodes", "3", "--cluster", "demo"],
        true,
    )?;
    crate::store::write_atomic(&root.sim_dir().join(MARKER), b"built by pvesim demo\n")?;
    let cfg = root.etc_pve().join("storage.cfg");
    let mut text = crate::store::read_opt(&cfg)?.unwrap_or_default();
    text.push_str(SHARED_STORAGE);
    crate::store::write_atomic(&cfg, text.as_bytes())?;
    d.say("root@pve1:~# cat >> /etc/pve/storage.cfg   # an NFS share every node can reach");
    d.out.push_str(SHARED_STORAGE);
    d.run("pve1", "pvecm", &["nodes"], true)?;
    for (vmid, name, node) in [
        ("100", "web1", "pve1"),
        ("101", "web2", "pve1"),
        ("102", "db1", "pve2"),
    ] {
        d.run(
            node,
            "qm",
            &[
                "create",
                vmid,
                "--name",
                name,
                "--memory",
                "2048",
                "--scsi0",
                "shared:16",
            ],
            true,
        )?;
        d.run("pve1", "ha-manager", &["add", &format!("vm:{vmid}")], true)?;
    }
    d.say("");
    d.say("# Let the HA stack run until everything has settled (simulated time).");
    d.run(
        "pve1",
        "pvesim",
        &["tick", "--until-stable", "--quiet"],
        true,
    )?;
    d.run("pve2", "ha-manager", &["status"], true)?;
    d.say("");
    d.say("# Pull the plug on pve1.");
    d.run("pve2", "pvesim", &["power", "pve1", "off"], true)?;
    let ticked = d.run("pve2", "pvesim", &["tick", "--until-stable"], false)?;
    d.say("root@pve2:~# pvesim tick --until-stable    # the manager's side of it:");
    for line in ticked
        .lines()
        .filter(|l| l.contains("/crm:") && !l.contains("status change"))
    {
        d.say(line);
    }
    d.run("pve2", "ha-manager", &["status"], true)?;
    d.run("pve2", "qm", &["list"], true)?;
    d.run("pve3", "qm", &["list"], true)?;
    d.say("");
    d.say("# pve1 was fenced (its HA agent lock taken over) before any VM started");
    d.say("# elsewhere; its VMs now run on the surviving nodes. Explore further:");
    d.say(&format!(
        "#   pvesim shell --node pve2     (on {})",
        path.display()
    ));
    d.say("#   pvesim log | less             the whole event log");
    d.say("#   pvesim power pve1 on && pvesim tick --until-stable");
    d.flush();
    Ok(())
}
