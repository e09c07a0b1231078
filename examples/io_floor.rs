//! The file-reading floor of `qm list` (not a test: a measuring tool for
//! docs/benchmarks.md).
//!
//! `qm list` on node N reads every `<vmid>.conf` under
//! `$PVESIM_ROOT/etc/pve/nodes/N/qemu-server` and every run file under
//! `$PVESIM_ROOT/nodes/N/run/qemu-server`. This program does only that:
//! it opens each file of the two directories relative to the directory,
//! reads it until `read` returns 0 and closes it, the same system calls
//! as `qm list`, and nothing else (no parsing, no output but a byte
//! count). Its whole-process time is the least any `qm list` over this
//! file layout can take on the machine at that moment.
//!
//! Run it in turns with `qm list` and `/bin/true` (arguments are ignored,
//! so it can share the command line of `qm list`):
//!
//! ```text
//! cargo build --release --example io_floor
//! scripts/ab-latency.py target/bench-roots/guests1000 150 list \
//!     target/<host triple>/release/qm target/<host triple>/release/examples/io_floor /bin/true
//! ```

use std::fs::File;
use std::io::Read as _;
use std::os::fd::{AsRawFd as _, FromRawFd as _};
use std::path::Path;

/// Read every file of `dir` the way `store::Dir::read_opt` does; the
/// number of bytes read.
fn read_all(dir: &Path) -> std::io::Result<u64> {
    let d = File::open(dir)?;
    let mut total = 0;
    let mut buf = vec![0u8; 4096];
    for e in std::fs::read_dir(dir)? {
        let name = std::ffi::CString::new(e?.file_name().into_encoded_bytes())?;
        // SAFETY: `name` is NUL-terminated, the directory descriptor is open
        // for the call, and the returned descriptor is owned by `File`.
        let fd = unsafe {
            libc::openat(
                d.as_raw_fd(),
                name.as_ptr(),
                libc::O_RDONLY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let mut f = unsafe { File::from_raw_fd(fd) };
        loop {
            match f.read(&mut buf)? {
                0 => break,
                n => total += n as u64,
            }
        }
    }
    Ok(total)
}

fn main() -> std::io::Result<()> {
    let root = std::env::var("PVESIM_ROOT").expect("PVESIM_ROOT names the state root");
    let node = std::env::var("PVESIM_NODE").unwrap_or_else(|_| "pve1".into());
    let root = Path::new(&root);
    let confs = read_all(&root.join(format!("etc/pve/nodes/{node}/qemu-server")))?;
    let runs = read_all(&root.join(format!("nodes/{node}/run/qemu-server")))?;
    println!("{confs} bytes of configs, {runs} bytes of run files");
    Ok(())
}
