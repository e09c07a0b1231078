//! Shell completions (bash, zsh, fish) and man pages, generated from the same
//! clap definitions the tools parse with. The checked-in copies under
//! `completions/` and `man/` are compared with a fresh rendering by
//! `tests/generated_docs.rs`; `PVESIM_REGEN_DOCS=1 cargo test --test
//! generated_docs` rewrites them.

use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;

/// The clap definition of every tool, by binary name.
pub fn tools() -> Vec<clap::Command> {
    vec![
        super::pvesim::Cli::command(),
        as_proxmox_tool(super::pvecm::command()),
        as_proxmox_tool(super::qm::args::command()),
        as_proxmox_tool(super::pvesm::command()),
        as_proxmox_tool(super::ha_manager::clap_command()),
        as_proxmox_tool(super::pvesr::clap_command()),
    ]
}

/// The emulated Proxmox tools have no `-h/--help` or `-V/--version` flags
/// (the real CLI handler answers them as unknown commands or options), so
/// their pages and completions do not offer them; `pvesim` keeps clap's.
fn as_proxmox_tool(cmd: clap::Command) -> clap::Command {
    cmd.disable_help_flag(true)
        .disable_version_flag(true)
        .mut_subcommands(as_proxmox_tool)
}

/// Every generated file: its path relative to the package root, and its bytes.
pub fn render_all() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for cmd in tools() {
        let name = cmd.get_name().to_string();
        for (shell, file) in [
            (Shell::Bash, format!("completions/bash/{name}")),
            (Shell::Zsh, format!("completions/zsh/_{name}")),
            (Shell::Fish, format!("completions/fish/{name}.fish")),
        ] {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd.clone(), name.clone(), &mut buf);
            files.push((PathBuf::from(file), buf));
        }
        let mut pages = vec![(name.clone(), cmd.clone())];
        // One page per subcommand as well, like `git-commit(1)`.
        for sub in cmd.get_subcommands() {
            if sub.is_hide_set() {
                continue;
            }
            pages.push((format!("{name}-{}", sub.get_name()), sub.clone()));
        }
        for (page, sub) in pages {
            let mut buf = Vec::new();
            clap_mangen::Man::new(sub.display_name(page.clone()).bin_name(page.clone()))
                .title(page.clone())
                .render(&mut buf)
                .expect("rendering a man page into memory cannot fail");
            files.push((PathBuf::from(format!("man/{page}.1")), buf));
        }
    }
    files
}
