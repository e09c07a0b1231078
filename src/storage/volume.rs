//! Volumes as pvesim keeps them (spec 7): one record file per volume in the
//! directory of a storage *instance* — a local storage's instance on one node
//! (`nodes/<node>/storage/<sid>/`) or the single instance of a shared storage
//! (`shared-storage/<sid>/`).

use super::config::Storage;
use super::volid::{derived_format, disk_number, parse_volname};
use super::StorageError;
use crate::store::{read_opt, write_atomic, Root};
use std::fs;
use std::path::PathBuf;

/// Capacity of an instance without a `.capacity` file: 100 GiB.
pub const DEFAULT_CAPACITY: u64 = 107_374_182_400;

/// One storage-level snapshot of a volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snap {
    pub name: String,
    /// Unique id (like a ZFS guid); equal on both sides of a replication pair.
    pub id: u64,
    pub ctime: i64,
    /// The volume's data generation captured by the snapshot.
    pub generation: u64,
}

/// The record of one volume (spec 7.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeRecord {
    pub volid: String,
    pub vmid: Option<u32>,
    pub format: String,
    pub size: u64,
    pub ctime: i64,
    /// Data version; `None` for non-image content.
    pub generation: Option<u64>,
    pub snaps: Vec<Snap>,
    pub base: Option<String>,
    /// `None` for images (and rootdir subvolumes).
    pub content: Option<String>,
}

impl VolumeRecord {
    /// The volume name part of the volid.
    pub fn volname(&self) -> &str {
        self.volid.split_once(':').map(|x| x.1).unwrap_or("")
    }

    /// The storage id part of the volid.
    pub fn storeid(&self) -> &str {
        self.volid.split_once(':').map(|x| x.0).unwrap_or("")
    }

    /// Content type: `images`, `rootdir` (subvolumes) or the stored one.
    pub fn content_type(&self) -> &str {
        match &self.content {
            Some(c) => c,
            None if self.format == "subvol" => "rootdir",
            None => "images",
        }
    }

    pub fn snap(&self, name: &str) -> Option<&Snap> {
        self.snaps.iter().find(|s| s.name == name)
    }

    /// Serialize (sorted keys, `snap:` lines in creation order).
    pub fn to_text(&self) -> String {
        let mut lines: Vec<(String, String)> = Vec::new();
        if let Some(b) = &self.base {
            lines.push(("base".into(), b.clone()));
        }
        if let Some(c) = &self.content {
            lines.push(("content".into(), c.clone()));
        }
        lines.push(("ctime".into(), self.ctime.to_string()));
        lines.push(("format".into(), self.format.clone()));
        if let Some(g) = self.generation {
            lines.push(("generation".into(), g.to_string()));
        }
        lines.push(("size".into(), self.size.to_string()));
        for s in &self.snaps {
            lines.push((
                "snap".into(),
                format!(
                    "{} id={},ctime={},generation={}",
                    s.name, s.id, s.ctime, s.generation
                ),
            ));
        }
        if let Some(v) = self.vmid {
            lines.push(("vmid".into(), v.to_string()));
        }
        lines.push(("volid".into(), self.volid.clone()));
        let mut out = String::new();
        for (k, v) in lines {
            out.push_str(&k);
            out.push_str(": ");
            out.push_str(&v);
            out.push('\n');
        }
        out
    }

    /// Parse a record file; `what` names the file in errors.
    pub fn parse(text: &str, what: &str) -> Result<VolumeRecord, StorageError> {
        let bad = |n: usize, l: &str| {
            StorageError::Msg(format!("{what} line {n}: unable to parse '{l}'"))
        };
        let mut r = VolumeRecord {
            volid: String::new(),
            vmid: None,
            format: "raw".into(),
            size: 0,
            ctime: 0,
            generation: None,
            snaps: Vec::new(),
            base: None,
            content: None,
        };
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once(':').ok_or_else(|| bad(n, line))?;
            let v = v.trim();
            match k.trim() {
                "volid" => r.volid = v.into(),
                "vmid" => r.vmid = Some(v.parse().map_err(|_| bad(n, line))?),
                "format" => r.format = v.into(),
                "size" => r.size = v.parse().map_err(|_| bad(n, line))?,
                "ctime" => r.ctime = v.parse().map_err(|_| bad(n, line))?,
                "generation" => r.generation = Some(v.parse().map_err(|_| bad(n, line))?),
                "base" => r.base = Some(v.into()),
                "content" => r.content = Some(v.into()),
                "snap" => {
                    let (name, props) = v.split_once(' ').ok_or_else(|| bad(n, line))?;
                    let mut s = Snap {
                        name: name.into(),
                        id: 0,
                        ctime: 0,
                        generation: 0,
                    };
                    for kv in props.trim().split(',') {
                        let (pk, pv) = kv.split_once('=').ok_or_else(|| bad(n, line))?;
                        match pk {
                            "id" => s.id = pv.parse().map_err(|_| bad(n, line))?,
                            "ctime" => s.ctime = pv.parse().map_err(|_| bad(n, line))?,
                            "generation" => s.generation = pv.parse().map_err(|_| bad(n, line))?,
                            _ => {}
                        }
                    }
                    r.snaps.push(s);
                }
                _ => {}
            }
        }
        if r.volid.is_empty() {
            return Err(StorageError::Msg(format!("{what}: record without volid")));
        }
        Ok(r)
    }
}

/// Encode a volname as a record file name (`/` → `%2F`, `%` → `%25`).
pub fn record_file_name(volname: &str) -> String {
    format!("{}.vol", volname.replace('%', "%25").replace('/', "%2F"))
}

/// A deterministic snapshot id: the creation time in microseconds plus a
/// hash of volume and snapshot name in the sub-second digits.
pub fn snapshot_id(volid: &str, name: &str, ctime: i64) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in volid.bytes().chain([0u8]).chain(name.bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    (ctime.max(0) as u64) * 1_000_000 + h % 1_000_000
}

/// One instance of a storage: the volumes one node sees for a local storage,
/// or the single shared instance.
#[derive(Debug, Clone)]
pub struct Instance {
    pub storage: Storage,
    /// The node whose instance this is (for shared storages: the viewer).
    pub node: String,
    pub dir: PathBuf,
}

impl Instance {
    /// The instance of `storage` as seen from `node` (no availability check:
    /// callers check `Storage::check_node` and the node's power first).
    pub fn open(root: &Root, storage: &Storage, node: &str) -> Instance {
        let dir = if storage.shared() {
            root.path().join("shared-storage").join(&storage.id)
        } else {
            root.node_local(node).join("storage").join(&storage.id)
        };
        Instance {
            storage: storage.clone(),
            node: node.into(),
            dir,
        }
    }

    pub fn sid(&self) -> &str {
        &self.storage.id
    }

    fn path_of(&self, volname: &str) -> PathBuf {
        self.dir.join(record_file_name(volname))
    }

    /// Whether the `.offline` marker makes activation fail.
    pub fn offline(&self) -> bool {
        self.dir.join(".offline").exists()
    }

    /// Total bytes (`.capacity`, default 100 GiB).
    pub fn capacity(&self) -> Result<u64, StorageError> {
        let p = self.dir.join(".capacity");
        match read_opt(&p)? {
            None => Ok(DEFAULT_CAPACITY),
            Some(t) => t.trim().parse().map_err(|_| {
                StorageError::Msg(format!(
                    "{}: malformed capacity '{}'",
                    p.display(),
                    t.trim()
                ))
            }),
        }
    }

    /// Set the capacity (fixtures and `pvesim`).
    pub fn set_capacity(&self, bytes: u64) -> Result<(), StorageError> {
        write_atomic(&self.dir.join(".capacity"), format!("{bytes}\n").as_bytes())?;
        Ok(())
    }

    /// All volume records, sorted by volid.
    pub fn list(&self) -> Result<Vec<VolumeRecord>, StorageError> {
        let mut out = Vec::new();
        let rd = match fs::read_dir(&self.dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e.into()),
        };
        for entry in rd {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().to_string();
            if !name.ends_with(".vol") || name.starts_with('.') {
                continue;
            }
            if let Some(text) = read_opt(&entry.path())? {
                out.push(VolumeRecord::parse(
                    &text,
                    &entry.path().display().to_string(),
                )?);
            }
        }
        out.sort_by(|a, b| a.volid.cmp(&b.volid));
        Ok(out)
    }

    pub fn get(&self, volname: &str) -> Result<Option<VolumeRecord>, StorageError> {
        let p = self.path_of(volname);
        match read_opt(&p)? {
            None => Ok(None),
            Some(t) => Ok(Some(VolumeRecord::parse(&t, &p.display().to_string())?)),
        }
    }

    pub fn exists(&self, volname: &str) -> bool {
        self.path_of(volname).exists()
    }

    /// Write a record (its volname decides the file).
    pub fn put(&self, rec: &VolumeRecord) -> Result<(), StorageError> {
        write_atomic(&self.path_of(rec.volname()), rec.to_text().as_bytes())?;
        Ok(())
    }

    /// Delete a record; `false` when it did not exist.
    pub fn remove(&self, volname: &str) -> Result<bool, StorageError> {
        match fs::remove_file(self.path_of(volname)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Pick the name of a new disk of `vmid` in `format` (6.5).
    pub fn new_disk_name(&self, vmid: u32, format: &str) -> Result<String, StorageError> {
        let file = self.storage.file_based();
        let mut used = std::collections::BTreeSet::new();
        for r in self.list()? {
            let vn = r.volname().to_string();
            let name = vn.rsplit('/').next().unwrap_or(&vn);
            if let Some((n, ext)) = disk_number(name, vmid) {
                if !file || ext == Some(format) {
                    used.insert(n);
                }
            }
        }
        let n = (0..1024u32).find(|n| !used.contains(n)).ok_or_else(|| {
            StorageError::Msg(format!(
                "unable to allocate an image name for VM {vmid} in storage '{}'",
                self.sid()
            ))
        })?;
        let prefix = if format == "subvol" { "subvol" } else { "vm" };
        Ok(if file {
            if format == "subvol" {
                format!("{vmid}/{prefix}-{vmid}-disk-{n}")
            } else {
                format!("{vmid}/{prefix}-{vmid}-disk-{n}.{format}")
            }
        } else {
            format!("{prefix}-{vmid}-disk-{n}")
        })
    }

    /// Round a size in bytes up to the storage's allocation granularity.
    pub fn round_size(&self, bytes: u64) -> u64 {
        let g: u64 = match self.storage.ty.as_str() {
            "zfspool" => 1 << 20,
            "lvm" | "lvmthin" => 4 << 20,
            _ => 1,
        };
        bytes.div_ceil(g) * g
    }

    /// Allocate a new image volume of `size_bytes` for `vmid` (name chosen
    /// per 6.5 unless `name` is given), returning its record.
    pub fn alloc(
        &self,
        vmid: u32,
        name: Option<&str>,
        size_bytes: u64,
        format: &str,
        now: i64,
    ) -> Result<VolumeRecord, StorageError> {
        // allocating activates the storage first (7.5)
        if self.offline() {
            return Err(StorageError::Msg(format!(
                "storage '{}' is not online",
                self.storage.id
            )));
        }
        let volname = match name {
            None => self.new_disk_name(vmid, format)?,
            Some(n) => {
                // one plain name: no path separators or blanks
                let ok = (n.starts_with(&format!("vm-{vmid}-"))
                    || n.starts_with(&format!("base-{vmid}-"))
                    || n.starts_with(&format!("subvol-{vmid}-")))
                    && !n.contains(['/', '\\', '\0'])
                    && !n.chars().any(char::is_whitespace);
                if !ok {
                    return Err(StorageError::Msg(format!(
                        "illegal name '{n}' - should be 'vm-{vmid}-*'"
                    )));
                }
                if self.storage.file_based() {
                    format!("{vmid}/{n}")
                } else {
                    n.to_string()
                }
            }
        };
        if self.exists(&volname) {
            return Err(StorageError::Msg(if self.storage.file_based() {
                format!(
                    "disk image '{}/images/{volname}' already exists",
                    self.storage.path()
                )
            } else {
                format!("volume '{}' already exists", self.zfs_path(&volname))
            }));
        }
        let volid = format!("{}:{volname}", self.sid());
        let parsed = parse_volname(&self.storage.ty, &volname);
        let rec = VolumeRecord {
            volid,
            vmid: Some(vmid),
            format: parsed
                .map(|p| p.format)
                .unwrap_or_else(|| format.to_string()),
            size: self.round_size(size_bytes),
            ctime: now,
            generation: Some(1),
            snaps: Vec::new(),
            base: None,
            content: None,
        };
        self.put(&rec)?;
        Ok(rec)
    }

    /// Storage path used in ZFS/LVM texts: `<pool>/<name>` or `<vg>/<name>`.
    pub fn zfs_path(&self, volname: &str) -> String {
        match self.storage.ty.as_str() {
            "lvm" | "lvmthin" => format!("{}/{volname}", self.storage.vgname()),
            "zfspool" => format!("{}/{volname}", self.storage.pool()),
            _ => format!("{}/images/{volname}", self.storage.path()),
        }
    }

    /// File path of a file based volume, as upstream prints it.
    pub fn file_path(&self, volname: &str) -> String {
        match volname.split_once('/') {
            Some((dir, _))
                if matches!(dir, "iso" | "vztmpl" | "backup" | "snippets" | "import") =>
            {
                let sub = match dir {
                    "vztmpl" => "template/cache",
                    "iso" => "template/iso",
                    "backup" => "dump",
                    other => other,
                };
                format!(
                    "{}/{sub}/{}",
                    self.storage.path(),
                    volname.split_once('/').unwrap().1
                )
            }
            _ => format!("{}/images/{volname}", self.storage.path()),
        }
    }

    /// The error a task gets when a volume is missing (7.5, 5.4.1 rule 6).
    /// `secs` is 300 inside a task, 10 outside.
    pub fn missing_error(&self, volname: &str, secs: u32) -> String {
        match self.storage.ty.as_str() {
            "zfspool" => {
                format!("timeout: no zvol device link for '{volname}' found after {secs} sec.")
            }
            "lvm" | "lvmthin" => {
                format!("no such logical volume {}/{volname}", self.storage.vgname())
            }
            _ => format!("volume '{}:{volname}' does not exist", self.sid()),
        }
    }

    /// Take a storage-level snapshot of a volume.
    pub fn snapshot(&self, volname: &str, snap: &str, now: i64) -> Result<Snap, StorageError> {
        let mut rec = self
            .get(volname)?
            .ok_or_else(|| StorageError::Msg(self.missing_error(volname, 300)))?;
        if rec.snap(snap).is_some() {
            return Err(StorageError::Msg(format!(
                "snapshot '{}@{snap}' already exists",
                self.zfs_path(volname)
            )));
        }
        let s = Snap {
            name: snap.into(),
            id: snapshot_id(&rec.volid, snap, now),
            ctime: now,
            generation: rec.generation.unwrap_or(0),
        };
        rec.snaps.push(s.clone());
        self.put(&rec)?;
        Ok(s)
    }

    /// Delete a storage-level snapshot; `false` when it did not exist.
    pub fn delete_snapshot(&self, volname: &str, snap: &str) -> Result<bool, StorageError> {
        let Some(mut rec) = self.get(volname)? else {
            return Ok(false);
        };
        let before = rec.snaps.len();
        rec.snaps.retain(|s| s.name != snap);
        if rec.snaps.len() == before {
            return Ok(false);
        }
        self.put(&rec)?;
        Ok(true)
    }

    /// The snapshots that block a rollback of `volname` to `snap`: on
    /// zfspool every snapshot newer than `snap` (`zfs rollback` only goes
    /// back to the most recent one); other storage types roll back to any
    /// snapshot, so nothing blocks there. Errors when the volume or the
    /// snapshot does not exist.
    pub fn rollback_blockers(
        &self,
        volname: &str,
        snap: &str,
    ) -> Result<Vec<String>, StorageError> {
        let rec = self
            .get(volname)?
            .ok_or_else(|| StorageError::Msg(self.missing_error(volname, 300)))?;
        let idx = self.snap_index(&rec, volname, snap)?;
        if self.storage.ty != "zfspool" {
            return Ok(Vec::new());
        }
        Ok(rec.snaps[idx + 1..]
            .iter()
            .map(|s| s.name.clone())
            .collect())
    }

    fn snap_index(
        &self,
        rec: &VolumeRecord,
        volname: &str,
        snap: &str,
    ) -> Result<usize, StorageError> {
        rec.snaps
            .iter()
            .position(|s| s.name == snap)
            .ok_or_else(|| {
                StorageError::Msg(format!(
                    "snapshot '{}@{snap}' does not exist",
                    self.zfs_path(volname)
                ))
            })
    }

    /// Roll a volume back to a snapshot: generation restored (spec 7.3).
    /// On zfspool the newer snapshots are dropped (`zfs rollback -r`; callers
    /// check [`Instance::rollback_blockers`] first); on the other types they
    /// stay, as an LVM-thin, qcow2, btrfs or RBD rollback keeps them.
    pub fn rollback(&self, volname: &str, snap: &str) -> Result<(), StorageError> {
        let mut rec = self
            .get(volname)?
            .ok_or_else(|| StorageError::Msg(self.missing_error(volname, 300)))?;
        let idx = self.snap_index(&rec, volname, snap)?;
        rec.generation = Some(rec.snaps[idx].generation);
        if self.storage.ty == "zfspool" {
            rec.snaps.truncate(idx + 1);
        }
        self.put(&rec)?;
        Ok(())
    }

    /// Increase the data generation of a volume (guest writes).
    pub fn bump_generation(&self, volname: &str, by: u64) -> Result<(), StorageError> {
        if let Some(mut rec) = self.get(volname)? {
            rec.generation = Some(rec.generation.unwrap_or(0) + by);
            self.put(&rec)?;
        }
        Ok(())
    }

    /// Create a non-image record (ISO, template, backup, snippet) — fixtures.
    pub fn put_content(
        &self,
        volname: &str,
        size: u64,
        now: i64,
    ) -> Result<VolumeRecord, StorageError> {
        let parsed = parse_volname(&self.storage.ty, volname)
            .ok_or_else(|| StorageError::Msg(format!("unable to parse volume name '{volname}'")))?;
        let rec = VolumeRecord {
            volid: format!("{}:{volname}", self.sid()),
            vmid: parsed.owner,
            format: derived_format(&parsed.content, &parsed.name),
            size,
            ctime: now,
            generation: None,
            snaps: Vec::new(),
            base: None,
            content: Some(parsed.content),
        };
        self.put(&rec)?;
        Ok(rec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::config::{StorageConfig, DEFAULT_ZFS_STORAGE_CFG};

    #[test]
    fn record_round_trip() {
        let text = "ctime: 1714550000\nformat: raw\ngeneration: 57\nsize: 34359738368\nsnap: __replicate_100-0_1714557600__ id=1714557600123456,ctime=1714557600,generation=55\nvmid: 100\nvolid: local-zfs:vm-100-disk-0\n";
        let r = VolumeRecord::parse(text, "x").unwrap();
        assert_eq!(r.to_text(), text);
        assert_eq!(r.volname(), "vm-100-disk-0");
        let iso = "content: iso\nctime: 1714550000\nformat: iso\nsize: 658505728\nvolid: local:iso/debian-12.iso\n";
        assert_eq!(VolumeRecord::parse(iso, "x").unwrap().to_text(), iso);
        assert!(VolumeRecord::parse("size: x\n", "f").is_err());
        assert_eq!(
            record_file_name("100/vm-100-disk-0.qcow2"),
            "100%2Fvm-100-disk-0.qcow2.vol"
        );
    }

    #[test]
    fn alloc_names_snapshots_and_capacity() {
        let d = tempfile::tempdir().unwrap();
        let root = Root::at(d.path());
        let cfg = StorageConfig::parse(DEFAULT_ZFS_STORAGE_CFG);
        let zfs = Instance::open(&root, cfg.get("local-zfs").unwrap(), "pve1");
        assert!(zfs.dir.ends_with("nodes/pve1/storage/local-zfs"));
        let a = zfs.alloc(100, None, 32 << 30, "raw", 10).unwrap();
        assert_eq!(a.volid, "local-zfs:vm-100-disk-0");
        let b = zfs.alloc(100, None, 1000, "raw", 10).unwrap();
        assert_eq!(b.volid, "local-zfs:vm-100-disk-1");
        assert_eq!(b.size, 1 << 20);
        zfs.remove("vm-100-disk-0").unwrap();
        assert_eq!(zfs.new_disk_name(100, "raw").unwrap(), "vm-100-disk-0");
        let s = zfs.snapshot("vm-100-disk-1", "snap1", 20).unwrap();
        assert_eq!(s.generation, 1);
        assert!(zfs.snapshot("vm-100-disk-1", "snap1", 20).is_err());
        assert_eq!(zfs.get("vm-100-disk-1").unwrap().unwrap().snaps, vec![s]);
        assert_eq!(zfs.capacity().unwrap(), DEFAULT_CAPACITY);
        let other = Instance::open(&root, cfg.get("local-zfs").unwrap(), "pve2");
        assert!(other.list().unwrap().is_empty());
        assert_eq!(
            other.missing_error("vm-100-disk-1", 300),
            "timeout: no zvol device link for 'vm-100-disk-1' found after 300 sec."
        );
    }

    #[test]
    fn rollback_restores_the_generation_and_zfs_drops_newer_snapshots() {
        let d = tempfile::tempdir().unwrap();
        let root = Root::at(d.path());
        let cfg = StorageConfig::parse(
            "zfspool: local-zfs\n\tpool rpool/data\n\tcontent images\n\nlvmthin: thin\n\tthinpool data\n\tvgname pve\n\tcontent images\n",
        );
        for sid in ["local-zfs", "thin"] {
            let inst = Instance::open(&root, cfg.get(sid).unwrap(), "pve1");
            let vn = inst.alloc(100, None, 1 << 30, "raw", 10).unwrap().volid;
            let vn = vn.split_once(':').unwrap().1.to_string();
            inst.snapshot(&vn, "a", 11).unwrap();
            inst.bump_generation(&vn, 5).unwrap();
            inst.snapshot(&vn, "b", 12).unwrap();
            inst.bump_generation(&vn, 5).unwrap();
            let zfs = sid == "local-zfs";
            let blockers = inst.rollback_blockers(&vn, "a").unwrap();
            assert_eq!(blockers, if zfs { vec!["b".to_string()] } else { vec![] });
            assert!(inst.rollback_blockers(&vn, "b").unwrap().is_empty());
            let e = inst.rollback_blockers(&vn, "zz").unwrap_err().to_string();
            assert!(
                e.starts_with("snapshot '") && e.ends_with("@zz' does not exist"),
                "{e}"
            );
            assert!(inst.rollback_blockers("vm-100-disk-9", "a").is_err());
            inst.rollback(&vn, "a").unwrap();
            let rec = inst.get(&vn).unwrap().unwrap();
            assert_eq!(rec.generation, Some(1));
            let names: Vec<&str> = rec.snaps.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, if zfs { vec!["a"] } else { vec!["a", "b"] });
        }
    }
}
