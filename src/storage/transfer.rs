//! Volume transfer between two storage instances (spec 6.8, 7.3): the offline
//! copy of a migration and the per-volume send of a replication run. Returns
//! the log lines the real tools print (without timestamps or prefixes; the
//! caller adds those).

use super::size::format_zfs_size;
use super::volume::{Instance, Snap, VolumeRecord};
use super::StorageError;

/// Options of one transfer.
#[derive(Debug, Clone, Default)]
pub struct TransferOpts {
    /// Bandwidth limit in bytes per second (prints the limit line).
    pub bwlimit_bytes: Option<u64>,
    /// With insecure transport, the receiver's lines carry `[<node>] `.
    pub insecure_target: Option<String>,
}

fn msg(s: String) -> StorageError {
    StorageError::Msg(s)
}

/// Whether the two storage types can exchange a volume of `format`.
pub fn compatible(src_ty: &str, dst_ty: &str, format: &str) -> bool {
    let file = |t: &str| matches!(t, "dir" | "nfs" | "cifs");
    let raw_ok = |t: &str| matches!(t, "dir" | "nfs" | "cifs" | "lvm" | "lvmthin");
    match (src_ty, dst_ty) {
        ("zfspool", "zfspool") => true,
        ("zfspool", _) | (_, "zfspool") => false,
        ("btrfs", "btrfs") => true,
        (a, b) if format == "raw" => (raw_ok(a) || a == "btrfs") && (raw_ok(b) || b == "btrfs"),
        (a, b) => (format == "qcow2" || format == "vmdk") && file(a) && file(b),
    }
}

/// Target volume name for a volume moving from one storage type to another.
fn target_volname(src: &Instance, dst: &Instance, rec: &VolumeRecord) -> String {
    let volname = rec.volname();
    if src.storage.ty == dst.storage.ty || (src.storage.file_based() && dst.storage.file_based()) {
        return volname.to_string();
    }
    let plain = volname.rsplit('/').next().unwrap_or(volname);
    let stem = plain
        .strip_suffix(&format!(".{}", rec.format))
        .unwrap_or(plain);
    if dst.storage.file_based() {
        let vmid = rec.vmid.unwrap_or(0);
        format!("{vmid}/{stem}.{}", rec.format)
    } else {
        stem.to_string()
    }
}

/// Lines of a ZFS replication stream: `snaps` in order, the first one sent
/// in full (`base` = None) or from `base`.
fn stream_lines(
    dst_path: &str,
    rec: &VolumeRecord,
    base: Option<&Snap>,
    snaps: &[Snap],
) -> Vec<String> {
    let mut out = Vec::new();
    let mut total: u64 = 0;
    let mut prev = base.cloned();
    for s in snaps {
        let size = match &prev {
            None => {
                let sz = rec.size;
                out.push(format!(
                    "full send of {dst_path}@{} estimated size is {}",
                    s.name,
                    format_zfs_size(sz)
                ));
                sz
            }
            Some(p) => {
                let sz = (s.generation.saturating_sub(p.generation) * 1_048_576).max(4096);
                out.push(format!(
                    "send from @{} to {dst_path}@{} estimated size is {}",
                    p.name,
                    s.name,
                    format_zfs_size(sz)
                ));
                sz
            }
        };
        total += size;
        prev = Some(s.clone());
    }
    out.push(format!(
        "total estimated size is {}",
        format_zfs_size(total)
    ));
    out
}

fn imported_line(opts: &TransferOpts, volid: &str) -> String {
    match &opts.insecure_target {
        Some(n) => format!("[{n}] successfully imported '{volid}'"),
        None => format!("successfully imported '{volid}'"),
    }
}

/// Offline copy for a migration: write the volume to `dst` (fresh name on a
/// clash when `allow_rename`), leaving the source untouched (the caller frees
/// it later). Returns the new volid.
pub fn migration_copy(
    src: &Instance,
    dst: &Instance,
    volname: &str,
    allow_rename: bool,
    opts: &TransferOpts,
    now: i64,
    log: &mut Vec<String>,
) -> Result<String, StorageError> {
    let rec = src
        .get(volname)?
        .ok_or_else(|| msg(src.missing_error(volname, 300)))?;
    if !compatible(&src.storage.ty, &dst.storage.ty, &rec.format) {
        return Err(msg(format!(
            "cannot migrate from storage type '{}' to '{}'",
            src.storage.ty, dst.storage.ty
        )));
    }
    if let Some(b) = opts.bwlimit_bytes {
        log.push(format!(
            "using a bandwidth limit of {b} bytes per second for transferring '{}'",
            rec.volid
        ));
    }
    let mut new_name = target_volname(src, dst, &rec);
    if dst.exists(&new_name) {
        let p = dst.zfs_path(&new_name);
        if !allow_rename {
            return Err(msg(format!("volume '{p}' already exists")));
        }
        log.push(format!(
            "volume '{p}' already exists - importing with a different name"
        ));
        new_name = dst.new_disk_name(rec.vmid.unwrap_or(0), &rec.format)?;
    }
    let keeps_snaps = src.storage.ty == "zfspool"
        || (src.storage.file_based() && rec.format == "qcow2" && dst.storage.file_based())
        || (src.storage.ty == "btrfs" && dst.storage.ty == "btrfs");
    if src.storage.ty == "zfspool" {
        let mut snaps = rec.snaps.clone();
        snaps.push(Snap {
            name: "__migration__".into(),
            id: super::volume::snapshot_id(&rec.volid, "__migration__", now),
            ctime: now,
            generation: rec.generation.unwrap_or(0),
        });
        let path = src.zfs_path(rec.volname());
        log.extend(stream_lines(&path, &rec, None, &snaps));
    }
    let new_volid = format!("{}:{new_name}", dst.sid());
    let mut copy = rec.clone();
    copy.volid = new_volid.clone();
    if !keeps_snaps {
        copy.snaps.clear();
    }
    dst.put(&copy)?;
    log.push(imported_line(opts, &new_volid));
    Ok(new_volid)
}

/// One volume of a replication run: send snapshot `snap` (already taken on
/// the source) in full (`base` None) or incrementally from `base`.
pub fn replicate(
    src: &Instance,
    dst: &Instance,
    volname: &str,
    snap: &str,
    base: Option<&str>,
    opts: &TransferOpts,
    log: &mut Vec<String>,
) -> Result<(), StorageError> {
    let rec = src
        .get(volname)?
        .ok_or_else(|| msg(src.missing_error(volname, 300)))?;
    let path = src.zfs_path(volname);
    let sidx = rec
        .snaps
        .iter()
        .position(|s| s.name == snap)
        .ok_or_else(|| msg(format!("snapshot '{path}@{snap}' does not exist")))?;
    if let Some(b) = opts.bwlimit_bytes {
        log.push(format!(
            "using a bandwidth limit of {b} bytes per second for transferring '{}'",
            rec.volid
        ));
    }
    let target = dst.get(volname)?;
    match base {
        None => {
            if target.is_some() {
                return Err(msg(format!("volume '{path}' already exists")));
            }
            let sent = &rec.snaps[..=sidx];
            log.extend(stream_lines(&path, &rec, None, sent));
            let mut copy = rec.clone();
            copy.snaps = sent.to_vec();
            copy.generation = Some(rec.snaps[sidx].generation);
            dst.put(&copy)?;
        }
        Some(b) => {
            let missing = || msg(format!("base snapshot '{path}@{b}' doesn't exist"));
            let mut t = target.ok_or_else(missing)?;
            let src_base = rec.snap(b).ok_or_else(missing)?.clone();
            match t.snap(b) {
                Some(tb) if tb.id == src_base.id => {}
                _ => return Err(missing()),
            }
            let bidx = rec.snaps.iter().position(|s| s.name == b).unwrap_or(0);
            let sent: Vec<Snap> = if bidx < sidx {
                rec.snaps[bidx + 1..=sidx].to_vec()
            } else {
                Vec::new()
            };
            log.extend(stream_lines(&path, &rec, Some(&src_base), &sent));
            let keep: Vec<Snap> = rec
                .snaps
                .iter()
                .filter(|s| {
                    t.snaps.iter().any(|o| o.name == s.name)
                        || sent.iter().any(|x| x.name == s.name)
                })
                .cloned()
                .collect();
            t.snaps = keep;
            t.size = rec.size;
            t.format = rec.format.clone();
            t.generation = Some(rec.snaps[sidx].generation);
            dst.put(&t)?;
        }
    }
    log.push(imported_line(opts, &rec.volid));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::config::{StorageConfig, DEFAULT_ZFS_STORAGE_CFG};
    use crate::store::Root;

    #[test]
    fn migration_copy_of_a_zfs_volume() {
        let d = tempfile::tempdir().unwrap();
        let root = Root::at(d.path());
        let cfg = StorageConfig::parse(DEFAULT_ZFS_STORAGE_CFG);
        let st = cfg.get("local-zfs").unwrap();
        let a = Instance::open(&root, st, "pve1");
        let b = Instance::open(&root, st, "pve2");
        a.alloc(100, None, 32 << 30, "raw", 5).unwrap();
        let mut log = Vec::new();
        let v = migration_copy(
            &a,
            &b,
            "vm-100-disk-0",
            true,
            &TransferOpts::default(),
            9,
            &mut log,
        )
        .unwrap();
        assert_eq!(v, "local-zfs:vm-100-disk-0");
        assert_eq!(
            log,
            vec![
                "full send of rpool/data/vm-100-disk-0@__migration__ estimated size is 32G",
                "total estimated size is 32G",
                "successfully imported 'local-zfs:vm-100-disk-0'"
            ]
        );
        assert!(b.get("vm-100-disk-0").unwrap().unwrap().snaps.is_empty());
        // a clash renames
        let mut log = Vec::new();
        let v = migration_copy(
            &a,
            &b,
            "vm-100-disk-0",
            true,
            &TransferOpts::default(),
            9,
            &mut log,
        )
        .unwrap();
        assert_eq!(v, "local-zfs:vm-100-disk-1");
        assert_eq!(
            log[0],
            "volume 'rpool/data/vm-100-disk-0' already exists - importing with a different name"
        );
    }

    #[test]
    fn replication_full_then_incremental() {
        let d = tempfile::tempdir().unwrap();
        let root = Root::at(d.path());
        let cfg = StorageConfig::parse(DEFAULT_ZFS_STORAGE_CFG);
        let st = cfg.get("local-zfs").unwrap();
        let a = Instance::open(&root, st, "pve1");
        let b = Instance::open(&root, st, "pve2");
        a.alloc(100, None, 32 << 30, "raw", 5).unwrap();
        a.bump_generation("vm-100-disk-0", 39).unwrap();
        a.snapshot("vm-100-disk-0", "before-upgrade", 6).unwrap();
        a.bump_generation("vm-100-disk-0", 17).unwrap();
        a.snapshot("vm-100-disk-0", "__replicate_100-0_1715594880__", 7)
            .unwrap();
        let opts = TransferOpts {
            bwlimit_bytes: Some(10_000_000),
            insecure_target: None,
        };
        let mut log = Vec::new();
        replicate(
            &a,
            &b,
            "vm-100-disk-0",
            "__replicate_100-0_1715594880__",
            None,
            &opts,
            &mut log,
        )
        .unwrap();
        assert_eq!(log, vec![
            "using a bandwidth limit of 10000000 bytes per second for transferring 'local-zfs:vm-100-disk-0'",
            "full send of rpool/data/vm-100-disk-0@before-upgrade estimated size is 32G",
            "send from @before-upgrade to rpool/data/vm-100-disk-0@__replicate_100-0_1715594880__ estimated size is 17M",
            "total estimated size is 32.0G",
            "successfully imported 'local-zfs:vm-100-disk-0'",
        ]);
        assert!(replicate(
            &a,
            &b,
            "vm-100-disk-0",
            "__replicate_100-0_1715594880__",
            None,
            &opts,
            &mut Vec::new()
        )
        .is_err());
        a.snapshot("vm-100-disk-0", "__replicate_100-0_1715595780__", 8)
            .unwrap();
        a.delete_snapshot("vm-100-disk-0", "before-upgrade")
            .unwrap();
        let mut log = Vec::new();
        replicate(
            &a,
            &b,
            "vm-100-disk-0",
            "__replicate_100-0_1715595780__",
            Some("__replicate_100-0_1715594880__"),
            &TransferOpts::default(),
            &mut log,
        )
        .unwrap();
        assert_eq!(log[0], "send from @__replicate_100-0_1715594880__ to rpool/data/vm-100-disk-0@__replicate_100-0_1715595780__ estimated size is 4K");
        let t = b.get("vm-100-disk-0").unwrap().unwrap();
        let names: Vec<_> = t.snaps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "__replicate_100-0_1715594880__",
                "__replicate_100-0_1715595780__"
            ]
        );
        assert!(replicate(
            &a,
            &b,
            "vm-100-disk-0",
            "__replicate_100-0_1715595780__",
            Some("nope"),
            &TransferOpts::default(),
            &mut Vec::new()
        )
        .unwrap_err()
        .to_string()
        .contains("base snapshot 'rpool/data/vm-100-disk-0@nope' doesn't exist"));
    }
}
