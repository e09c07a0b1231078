//! `pvesim`: the lab bench around the emulated Proxmox tools.
//!
//! With `PVESIM_RUN_AS=<tool>` in its environment it acts as that tool
//! (`pvesim demo` runs the tools this way when only `pvesim` was built).
fn main() {
    pvesim::cli::default_sigpipe();
    let ctx = pvesim::cli::Context::from_env();
    let run_as = std::env::var_os(pvesim::cli::pvesim::demo::RUN_AS)
        .map(|t| t.to_string_lossy().into_owned());
    let result = match run_as.as_deref() {
        None => pvesim::cli::pvesim::main(ctx),
        Some(tool) => {
            // the tools' own children (none today) must not inherit it
            std::env::remove_var(pvesim::cli::pvesim::demo::RUN_AS);
            match tool {
                "pvesim" => pvesim::cli::pvesim::main(ctx),
                "pvecm" => pvesim::cli::pvecm::main(ctx),
                "qm" => pvesim::cli::qm::main(ctx),
                "ha-manager" => pvesim::cli::ha_manager::main(ctx),
                "pvesr" => pvesim::cli::pvesr::main(ctx),
                "pvesm" => pvesim::cli::pvesm::main(ctx),
                other => Err(pvesim::cli::CliError::fail(format!(
                    "{}: unknown tool '{other}'",
                    pvesim::cli::pvesim::demo::RUN_AS
                ))),
            }
        }
    };
    let code = match result {
        Ok(()) => 0,
        Err(e) => pvesim::cli::report(&e),
    };
    std::process::exit(code);
}
