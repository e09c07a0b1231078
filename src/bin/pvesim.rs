//! `pvesim`: the lab bench around the emulated Proxmox tools.
//!
//! With `PVESIM_RUN_AS=<tool>` in its environment it acts as that tool
//! (`pvesim demo` runs the tools this way when only `pvesim` was built).
fn main() {
    pvesim::cli::default_sigpipe();
    let ctx = pvesim::cli::Context::from_env();
    let run_as = std::env::var_os(pvesim::cli::RUN_AS).map(|t| t.to_string_lossy().into_owned());
    let result = match run_as.as_deref() {
        None => pvesim::cli::pvesim::main(ctx),
        Some(tool) => {
            // the tools' own children (none today) must not inherit it
            std::env::remove_var(pvesim::cli::RUN_AS);
            match pvesim::cli::tool_main(tool) {
                Some(main) => main(ctx),
                None => Err(pvesim::cli::CliError::fail(format!(
                    "{}: unknown tool '{tool}'",
                    pvesim::cli::RUN_AS
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
