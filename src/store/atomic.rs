//! Whole-file writes that a reader never sees half done and a crash never
//! leaves behind: temp file in the same directory, fsync, rename, fsync dir.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt};
use std::path::Path;

/// Whether `path` lies in a private part of a `/etc/pve` tree (`priv/` or
/// `nodes/<node>/priv/`), which pmxcfs keeps root-only: directories 0700,
/// files 0600.
pub fn is_private(path: &Path) -> bool {
    pve_modes(path) == Some(PRIVATE)
}

const PRIVATE: (u32, u32) = (0o700, 0o600);
const PUBLIC: (u32, u32) = (0o755, 0o640);

/// The (directory, file) modes pmxcfs shows for `path` when it lies in a
/// `/etc/pve` tree (pvecm-and-pmxcfs C: private parts 0700/0600, the rest
/// 0755/0640, whatever the writer's umask); `None` outside such a tree.
fn pve_modes(path: &Path) -> Option<(u32, u32)> {
    let comps: Vec<&std::ffi::OsStr> = path.iter().collect();
    let i = comps
        .windows(2)
        .position(|w| w[0] == "etc" && w[1] == "pve")?;
    Some(if comps[i + 2..].iter().any(|c| *c == "priv") {
        PRIVATE
    } else {
        PUBLIC
    })
}

/// Create `dir` (and parents), each directory created inside a `/etc/pve`
/// tree with the mode pmxcfs shows for it.
pub fn create_dir_all_pve(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        // a private directory made by a plain create_dir_all elsewhere
        // (a rename into it) still ends up root-only
        if pve_modes(dir) == Some(PRIVATE) {
            fs::set_permissions(dir, fs::Permissions::from_mode(PRIVATE.0))?;
        }
        return Ok(());
    }
    let missing: Vec<&Path> = dir.ancestors().take_while(|a| !a.is_dir()).collect();
    fs::create_dir_all(dir)?;
    for a in missing {
        if let Some((d, _)) = pve_modes(a) {
            fs::set_permissions(a, fs::Permissions::from_mode(d))?;
        }
    }
    Ok(())
}

/// Write `data` to `path` atomically, creating parent directories.
pub fn write_atomic(path: &Path, data: &[u8]) -> io::Result<()> {
    write_atomic_mode(path, data, pve_modes(path).map(|(_, f)| f))
}

/// [`write_atomic`] with the file's mode set before any data is written
/// (`None`: the umask decides), e.g. 0400 for corosync's authkey.
pub fn write_atomic_mode(path: &Path, data: &[u8], mode: Option<u32>) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no parent"))?;
    create_dir_all_pve(dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let tmp = dir.join(format!(
        "{}.tmp.{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        if let Some(m) = mode {
            f.set_permissions(fs::Permissions::from_mode(m))?;
        }
        f.write_all(data)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Read an open file to its end as UTF-8 text (`path` gives its path for
/// an error message).
fn read_text(mut f: File, path: impl Fn() -> std::path::PathBuf) -> io::Result<String> {
    use std::io::Read as _;
    // read until end of file: no `fstat` + `lseek` for a size hint as
    // `fs::read` / `File::read_to_end` do (commands read hundreds of small
    // files, and the two extra system calls were a third of the cost); the
    // path is built only for an error
    let mut bytes = vec![0u8; 4096];
    let mut len = 0;
    loop {
        if len == bytes.len() {
            bytes.resize(len * 2, 0);
        }
        match f.read(&mut bytes[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(naming(&path(), e)),
        }
    }
    bytes.truncate(len);
    String::from_utf8(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: file is not valid UTF-8", path().display()),
        )
    })
}

/// Read a file as UTF-8 text; `None` when it does not exist.
pub fn read_opt(path: &Path) -> io::Result<Option<String>> {
    match File::open(path) {
        Ok(f) => read_text(f, || path.to_path_buf()).map(Some),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(naming(path, e)),
    }
}

/// Remove a file; a missing one is not an error (the error names the path).
pub fn remove_opt(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(naming(path, e)),
    }
}

/// `e` with `path` in its text (`<path>: Is a directory`), so that a read
/// error passed on with `?` still names the file it is about; the kind is
/// kept for callers that match on it.
fn naming(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("{}: {}", path.display(), super::os_text(&e)),
    )
}

/// An open directory whose files are read by name relative to it, without
/// a walk of the directory's whole path per file (for commands that read
/// hundreds of files of one directory, e.g. every guest config of a node).
#[derive(Debug)]
pub struct Dir {
    fd: std::os::fd::OwnedFd,
    path: std::path::PathBuf,
}

impl Dir {
    /// Open the directory at `path`.
    pub fn open(path: &Path) -> io::Result<Dir> {
        let f = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY)
            .open(path)?;
        Ok(Dir {
            fd: f.into(),
            path: path.to_path_buf(),
        })
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `name` as a C string (an error naming the path for a NUL byte).
    fn c_name(&self, name: &str) -> io::Result<std::ffi::CString> {
        std::ffi::CString::new(name).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{}: file name contains a NUL byte",
                    self.path.join(name).display()
                ),
            )
        })
    }

    /// [`read_opt`] of the file `name` (a relative path) in the directory.
    pub fn read_opt(&self, name: &str) -> io::Result<Option<String>> {
        use std::os::fd::{AsRawFd as _, FromRawFd as _};
        let c = self.c_name(name)?;
        // SAFETY: `c` is a NUL-terminated name, the directory descriptor is
        // open for the call, and a returned descriptor is owned by `File`.
        let fd = unsafe {
            libc::openat(
                self.fd.as_raw_fd(),
                c.as_ptr(),
                libc::O_RDONLY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            let e = io::Error::last_os_error();
            return if e.kind() == io::ErrorKind::NotFound {
                Ok(None)
            } else {
                Err(naming(&self.path.join(name), e))
            };
        }
        let f = unsafe { File::from_raw_fd(fd) };
        read_text(f, || self.path.join(name)).map(Some)
    }

    /// The status of the file `name` (a relative path) in the directory,
    /// following a symlink; `None` when it does not exist.
    pub fn stat(&self, name: &str) -> io::Result<Option<FileStamp>> {
        use std::os::fd::AsRawFd as _;
        let c = self.c_name(name)?;
        // SAFETY: `c` is a NUL-terminated name, `st` is a plain C struct the
        // call fills in, and the directory descriptor is open for the call.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        if unsafe { libc::fstatat(self.fd.as_raw_fd(), c.as_ptr(), &mut st, 0) } != 0 {
            let e = io::Error::last_os_error();
            return if e.kind() == io::ErrorKind::NotFound {
                Ok(None)
            } else {
                Err(e)
            };
        }
        let mtime_ns = if st.st_mtime < 0 {
            0
        } else {
            (st.st_mtime as u64)
                .saturating_mul(1_000_000_000)
                .saturating_add(st.st_mtime_nsec as u64)
        };
        Ok(Some(FileStamp {
            mtime_ns,
            size: st.st_size as u64,
            ino: st.st_ino,
        }))
    }
}

/// What [`Dir::stat`] tells of a file: modification time in nanoseconds
/// since the epoch (0 before it), size and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub mtime_ns: u64,
    pub size: u64,
    pub ino: u64,
}

impl FileStamp {
    /// The stamp of metadata already read.
    pub fn of(md: &fs::Metadata) -> FileStamp {
        use std::os::unix::fs::MetadataExt as _;
        let mtime_ns = md
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        FileStamp {
            mtime_ns,
            size: md.len(),
            ino: md.ino(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pve_tree_files_have_the_pmxcfs_modes_whatever_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("etc/pve/priv/authkey.key");
        let public = dir.path().join("etc/pve/authkey.pub");
        let node_priv = dir.path().join("etc/pve/nodes/pve1/priv/x");
        write_atomic(&key, b"k").unwrap();
        write_atomic(&public, b"p").unwrap();
        write_atomic(&node_priv, b"n").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&key), 0o600);
        assert_eq!(mode(key.parent().unwrap()), 0o700);
        assert_eq!(mode(&node_priv), 0o600);
        assert_eq!(mode(&public), 0o640);
        assert_eq!(mode(public.parent().unwrap()), 0o755);
        // every directory created on the way gets its mode
        let deep = dir.path().join("etc/pve/nodes/pve1/qemu-server/100.conf");
        write_atomic(&deep, b"d").unwrap();
        for d in [
            "etc/pve/nodes",
            "etc/pve/nodes/pve1",
            "etc/pve/nodes/pve1/qemu-server",
        ] {
            assert_eq!(mode(&dir.path().join(d)), 0o755, "{d}");
        }
        assert_eq!(mode(&dir.path().join("etc/pve/nodes/pve1/priv")), 0o700);
        assert!(!is_private(&dir.path().join("etc/pve/private.cfg")));
        assert!(!is_private(&dir.path().join("priv/etc/x")));
    }

    #[test]
    fn read_opt_reads_whole_files_of_any_size() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_opt(&dir.path().join("missing")).unwrap(), None);
        for size in [0usize, 1, 4095, 4096, 4097, 8192, 100_003] {
            let p = dir.path().join(format!("f{size}"));
            let text: String = (0..size).map(|i| (b'a' + (i % 26) as u8) as char).collect();
            fs::write(&p, &text).unwrap();
            assert_eq!(
                read_opt(&p).unwrap().as_deref(),
                Some(text.as_str()),
                "{size}"
            );
        }
        let bad = dir.path().join("bad");
        fs::write(&bad, [0xff, 0xfe]).unwrap();
        assert!(read_opt(&bad).is_err());
        // an error passed on with `?` still names the file and keeps its kind
        let e = read_opt(dir.path()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::IsADirectory);
        assert_eq!(
            e.to_string(),
            format!("{}: Is a directory", dir.path().display())
        );
        let e = read_opt(&bad.join("under-a-file")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotADirectory);
        assert_eq!(
            e.to_string(),
            format!("{}/under-a-file: Not a directory", bad.display())
        );
    }

    #[test]
    fn write_then_read_back_and_no_temp_left() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b/file.cfg");
        write_atomic(&p, b"one\n").unwrap();
        write_atomic(&p, b"two\n").unwrap();
        assert_eq!(read_opt(&p).unwrap().as_deref(), Some("two\n"));
        let names: Vec<_> = fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "temp file left behind: {names:?}");
        assert_eq!(read_opt(&dir.path().join("missing")).unwrap(), None);
    }

    #[test]
    fn dir_reads_files_by_name_like_read_opt() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("sub")).unwrap();
        let big: String = (0..10_000)
            .map(|i| (b'a' + (i % 26) as u8) as char)
            .collect();
        fs::write(d.join("a.conf"), "x: 1\n").unwrap();
        fs::write(d.join("big"), &big).unwrap();
        fs::write(d.join("sub/b"), "b").unwrap();
        fs::write(d.join("bad"), [0xff, 0xfe]).unwrap();
        let h = Dir::open(d).unwrap();
        assert_eq!(h.path(), d);
        for name in ["a.conf", "big", "sub/b", "missing", "sub/missing"] {
            assert_eq!(
                h.read_opt(name).unwrap(),
                read_opt(&d.join(name)).unwrap(),
                "{name}"
            );
        }
        assert_eq!(h.read_opt("big").unwrap().unwrap().len(), 10_000);
        let e = h.read_opt("bad").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(
            e.to_string().contains("bad: file is not valid UTF-8"),
            "{e}"
        );
        let e = h.read_opt("sub").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}: Is a directory", d.join("sub").display())
        );
        assert!(h.read_opt("a\0b").is_err());
        assert!(Dir::open(&d.join("a.conf")).is_err());
        assert!(Dir::open(&d.join("missing")).is_err());
    }

    #[test]
    fn dir_stat_is_the_metadata_of_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("sub")).unwrap();
        fs::write(d.join("sub/b"), "bee").unwrap();
        std::os::unix::fs::symlink("sub/b", d.join("link")).unwrap();
        let h = Dir::open(d).unwrap();
        for name in ["sub", "sub/b", "link"] {
            let want = FileStamp::of(&fs::metadata(d.join(name)).unwrap());
            assert_eq!(h.stat(name).unwrap(), Some(want), "{name}");
        }
        assert_eq!(h.stat("link").unwrap().unwrap().size, 3, "followed");
        assert_eq!(h.stat("missing").unwrap(), None);
        assert_eq!(h.stat("sub/missing").unwrap(), None);
        let e = h.stat("a\0b").unwrap_err();
        assert!(
            e.to_string().contains("file name contains a NUL byte"),
            "{e}"
        );
    }
}
