//! Which volumes of a guest are replicated (pvesr.md §17), and the small
//! guest-config and volume-name model the runner needs for that.

use std::collections::{BTreeMap, BTreeSet};

/// qemu or lxc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VmType {
    Qemu,
    Lxc,
}

impl VmType {
    pub fn as_str(self) -> &'static str {
        match self {
            VmType::Qemu => "qemu",
            VmType::Lxc => "lxc",
        }
    }

    /// `VM` or `CT`, as in the `guest =>` log line.
    pub fn label(self) -> &'static str {
        match self {
            VmType::Qemu => "VM",
            VmType::Lxc => "CT",
        }
    }
}

/// A guest configuration as key/value text: the current section, the
/// `[PENDING]` section and the snapshot sections.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GuestConf {
    pub main: BTreeMap<String, String>,
    pub pending: BTreeMap<String, String>,
    pub snapshots: BTreeMap<String, BTreeMap<String, String>>,
}

impl GuestConf {
    /// The `parent` snapshot of the current state.
    pub fn parent(&self) -> Option<&str> {
        self.main.get("parent").map(String::as_str)
    }

    /// Parse a guest `.conf` text (qemu-server or lxc layout).
    pub fn parse(text: &str) -> GuestConf {
        let mut conf = GuestConf::default();
        let mut section: Option<String> = None;
        for line in text.lines() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(name.to_string());
                continue;
            }
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let (k, v) = (k.trim().to_string(), v.trim().to_string());
            match section.as_deref() {
                None => {
                    conf.main.insert(k, v);
                }
                Some("PENDING") => {
                    conf.pending.insert(k, v);
                }
                Some(s) if s.starts_with("special:") => {}
                Some(s) => {
                    conf.snapshots
                        .entry(s.to_string())
                        .or_default()
                        .insert(k, v);
                }
            }
        }
        conf
    }
}

/// What the runner needs to know about a storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageInfo {
    pub ty: String,
    pub shared: bool,
    pub disabled: bool,
    /// `nodes` restriction, if any.
    pub nodes: Option<BTreeSet<String>>,
}

impl StorageInfo {
    /// Only ZFS pools have the "replicate" feature.
    pub fn can_replicate(&self) -> bool {
        self.ty == "zfspool"
    }

    pub fn available_on(&self, node: &str) -> bool {
        self.nodes.as_ref().is_none_or(|n| n.contains(node))
    }
}

/// Volume type and owner parsed from a volume name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolInfo {
    pub vtype: String,
    pub owner: Option<u32>,
}

/// Split `<storeid>:<volname>`.
pub fn split_volid(volid: &str) -> Option<(&str, &str)> {
    let (s, v) = volid.split_once(':')?;
    if s.is_empty() || v.is_empty() || s.contains('/') {
        return None;
    }
    Some((s, v))
}

/// The volume type and owner of a volume name (dir-style `<vmid>/...`,
/// `iso/...`, or block-style `vm-<vmid>-disk-N`, `subvol-...`, `base-...`).
pub fn parse_volname(volname: &str) -> VolInfo {
    if let Some((dir, rest)) = volname.split_once('/') {
        if !dir.is_empty() && dir.bytes().all(|b| b.is_ascii_digit()) {
            return VolInfo {
                vtype: "images".into(),
                owner: owner_of(rest.rsplit('/').next().unwrap_or(rest)).or(dir.parse().ok()),
            };
        }
        match dir {
            "iso" | "vztmpl" | "backup" | "snippets" | "import" => {
                return VolInfo {
                    vtype: dir.into(),
                    owner: None,
                }
            }
            _ => {}
        }
        // Linked clone `base-100-disk-0/vm-101-disk-0`: the owner is the clone.
        let last = volname.rsplit('/').next().unwrap_or(volname);
        return VolInfo {
            vtype: "images".into(),
            owner: owner_of(last),
        };
    }
    VolInfo {
        vtype: "images".into(),
        owner: owner_of(volname),
    }
}

fn owner_of(name: &str) -> Option<u32> {
    for prefix in ["vm-", "base-", "subvol-", "basevol-"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() && rest[digits.len()..].starts_with('-') {
                return digits.parse().ok();
            }
        }
    }
    None
}

/// Modes of the volume computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mode {
    /// Removal mode: include `replicate=0`, silently skip the rest.
    pub cleanup: bool,
    /// Migration checks: skip instead of failing.
    pub noerr: bool,
}

/// Split a drive property string into its file and options.
fn drive_parts(value: &str, default_key: &str) -> (String, BTreeMap<String, String>) {
    let mut file = String::new();
    let mut opts = BTreeMap::new();
    for (i, part) in value.split(',').enumerate() {
        match part.split_once('=') {
            Some((k, v)) if k == default_key => file = v.to_string(),
            Some((k, v)) => {
                opts.insert(k.to_string(), v.to_string());
            }
            None if i == 0 => file = part.to_string(),
            None => {}
        }
    }
    (file, opts)
}

fn is_qemu_disk_key(k: &str) -> bool {
    let num = |p: &str, max: u32| {
        k.strip_prefix(p)
            .and_then(|n| n.parse::<u32>().ok().filter(|_| !n.starts_with('+')))
            .is_some_and(|n| n <= max)
    };
    num("ide", 3)
        || num("sata", 5)
        || num("scsi", 30)
        || num("virtio", 15)
        || k == "efidisk0"
        || k == "tpmstate0"
}

fn is_unused_key(k: &str) -> bool {
    k.strip_prefix("unused")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_mp_key(k: &str) -> bool {
    k.strip_prefix("mp")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn replicate_flag(opts: &BTreeMap<String, String>) -> bool {
    opts.get("replicate").is_none_or(|v| {
        !matches!(
            v.to_ascii_lowercase().as_str(),
            "0" | "no" | "off" | "false"
        )
    })
}

/// The replicatable volumes of a guest, sorted. `storage` looks up a
/// storage by id (`None`: it does not exist).
pub fn replicatable_volumes(
    vmid: u32,
    vmtype: VmType,
    conf: &GuestConf,
    storage: &dyn Fn(&str) -> Option<StorageInfo>,
    mode: Mode,
) -> Result<BTreeSet<String>, String> {
    match vmtype {
        VmType::Qemu => qemu_volumes(vmid, conf, storage, mode),
        VmType::Lxc => lxc_volumes(vmid, conf, storage, mode),
    }
}

fn sections(conf: &GuestConf) -> impl Iterator<Item = &BTreeMap<String, String>> {
    std::iter::once(&conf.main)
        .chain(std::iter::once(&conf.pending))
        .chain(conf.snapshots.values())
}

fn qemu_volumes(
    vmid: u32,
    conf: &GuestConf,
    storage: &dyn Fn(&str) -> Option<StorageInfo>,
    mode: Mode,
) -> Result<BTreeSet<String>, String> {
    // volid -> (all references are cdroms, any reference wants replication)
    let mut refs: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    let mut add = |volid: String, cdrom: bool, replicate: bool| {
        let e = refs.entry(volid).or_insert((true, false));
        e.0 &= cdrom;
        e.1 |= replicate;
    };
    for sec in sections(conf) {
        for (k, v) in sec {
            if is_qemu_disk_key(k) {
                let (file, opts) = drive_parts(v, "file");
                if file.is_empty() {
                    continue;
                }
                let cdrom = opts.get("media").is_some_and(|m| m == "cdrom")
                    || file == "none"
                    || file == "cdrom";
                add(file, cdrom, replicate_flag(&opts));
            } else if is_unused_key(k) || k == "vmstate" {
                add(v.clone(), false, true);
            }
        }
    }
    let mut out = BTreeSet::new();
    let lenient = mode.cleanup || mode.noerr;
    for (volid, (cdrom, replicate)) in refs {
        if cdrom {
            continue;
        }
        if !replicate && !mode.cleanup {
            continue;
        }
        if volid.starts_with('/') {
            if !replicate || lenient {
                continue;
            }
            return Err(format!("unable to replicate local file/device '{volid}'"));
        }
        let Some((sid, volname)) = split_volid(&volid) else {
            continue;
        };
        let Some(st) = storage(sid) else {
            return Err(format!("storage '{sid}' does not exist"));
        };
        if st.shared {
            continue;
        }
        let info = parse_volname(volname);
        if info.owner != Some(vmid) {
            continue;
        }
        if info.vtype != "images" {
            if lenient {
                continue;
            }
            return Err(format!(
                "unable to replicate volume '{volid}', type '{}'",
                info.vtype
            ));
        }
        if !st.can_replicate() {
            if lenient {
                continue;
            }
            return Err(format!("missing replicate feature on volume '{volid}'"));
        }
        out.insert(volid);
    }
    Ok(out)
}

fn lxc_volumes(
    vmid: u32,
    conf: &GuestConf,
    storage: &dyn Fn(&str) -> Option<StorageInfo>,
    mode: Mode,
) -> Result<BTreeSet<String>, String> {
    // (volid, type, replicate) in config order per section.
    let mut mps: Vec<(String, &'static str, bool)> = Vec::new();
    for sec in std::iter::once(&conf.main).chain(conf.snapshots.values()) {
        for (k, v) in sec {
            if k == "rootfs" || is_mp_key(k) {
                let (file, opts) = drive_parts(v, "volume");
                let ty = if split_volid(&file).is_some() {
                    "volume"
                } else if file.starts_with("/dev/") {
                    "device"
                } else {
                    "bind"
                };
                mps.push((file, ty, replicate_flag(&opts)));
            } else if is_unused_key(k) {
                mps.push((v.clone(), "volume", true));
            }
        }
    }
    let mut out = BTreeSet::new();
    for (volid, ty, replicate) in mps {
        if ty != "volume" {
            if !replicate {
                continue;
            }
            return Err(format!("unable to replicate mountpoint type '{ty}'"));
        }
        let Some((sid, volname)) = split_volid(&volid) else {
            continue;
        };
        let Some(st) = storage(sid) else {
            return Err(format!("storage '{sid}' does not exist"));
        };
        if st.shared {
            continue;
        }
        let info = parse_volname(volname);
        if info.owner != Some(vmid) {
            continue;
        }
        if info.vtype != "images" {
            return Err(format!(
                "unable to replicate volume '{volid}', type '{}'",
                info.vtype
            ));
        }
        if !replicate && !mode.cleanup {
            continue;
        }
        if !st.can_replicate() {
            if mode.cleanup || mode.noerr {
                continue;
            }
            return Err(format!("missing replicate feature on volume '{volid}'"));
        }
        out.insert(volid);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn storages(sid: &str) -> Option<StorageInfo> {
        let mk = |ty: &str, shared| StorageInfo {
            ty: ty.into(),
            shared,
            disabled: false,
            nodes: None,
        };
        match sid {
            "local-zfs" => Some(mk("zfspool", false)),
            "local-lvm" => Some(mk("lvmthin", false)),
            "local" => Some(mk("dir", false)),
            "ceph" => Some(mk("rbd", true)),
            _ => None,
        }
    }

    fn conf(pairs: &[(&str, &str)]) -> GuestConf {
        GuestConf {
            main: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..GuestConf::default()
        }
    }

    #[test]
    fn qemu_rules() {
        let c = conf(&[
            ("scsi0", "local-zfs:vm-100-disk-0,size=32G"),
            ("ide2", "none,media=cdrom"),
            ("ide0", "local:iso/x.iso,media=cdrom"),
            ("scsi1", "ceph:vm-100-disk-1,size=4G"),
            ("scsi2", "local-zfs:vm-101-disk-0,size=4G"),
            ("scsi3", "local-lvm:vm-100-disk-5,replicate=0"),
            ("unused0", "local-zfs:vm-100-disk-9"),
            ("memory", "512"),
        ]);
        let v = replicatable_volumes(100, VmType::Qemu, &c, &storages, Mode::default()).unwrap();
        assert_eq!(
            v.into_iter().collect::<Vec<_>>(),
            ["local-zfs:vm-100-disk-0", "local-zfs:vm-100-disk-9"]
        );
        let bad = conf(&[("scsi0", "local-lvm:vm-100-disk-0,size=4G")]);
        assert_eq!(
            replicatable_volumes(100, VmType::Qemu, &bad, &storages, Mode::default()).unwrap_err(),
            "missing replicate feature on volume 'local-lvm:vm-100-disk-0'"
        );
        let cleanup = Mode {
            cleanup: true,
            noerr: false,
        };
        assert!(
            replicatable_volumes(100, VmType::Qemu, &bad, &storages, cleanup)
                .unwrap()
                .is_empty()
        );
        let dev = conf(&[("scsi0", "/dev/sdb")]);
        assert_eq!(
            replicatable_volumes(100, VmType::Qemu, &dev, &storages, Mode::default()).unwrap_err(),
            "unable to replicate local file/device '/dev/sdb'"
        );
        let nostore = conf(&[("scsi0", "nope:vm-100-disk-0")]);
        assert_eq!(
            replicatable_volumes(100, VmType::Qemu, &nostore, &storages, Mode::default())
                .unwrap_err(),
            "storage 'nope' does not exist"
        );
        // replicate=0 is included in cleanup mode only.
        let off = conf(&[("scsi0", "local-zfs:vm-100-disk-0,replicate=0")]);
        assert!(
            replicatable_volumes(100, VmType::Qemu, &off, &storages, Mode::default())
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            replicatable_volumes(100, VmType::Qemu, &off, &storages, cleanup)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn lxc_rules() {
        let c = conf(&[
            ("rootfs", "local-zfs:subvol-200-disk-0,size=8G"),
            ("mp0", "/mnt/data,mp=/data,replicate=0"),
        ]);
        let v = replicatable_volumes(200, VmType::Lxc, &c, &storages, Mode::default()).unwrap();
        assert_eq!(v.len(), 1);
        let bind = conf(&[("mp0", "/mnt/data,mp=/data")]);
        assert_eq!(
            replicatable_volumes(200, VmType::Lxc, &bind, &storages, Mode::default()).unwrap_err(),
            "unable to replicate mountpoint type 'bind'"
        );
    }

    #[test]
    fn conf_parse() {
        let c = GuestConf::parse(
            "scsi0: local-zfs:vm-100-disk-0,size=4G\nparent: s1\n\n[s1]\nscsi0: local-zfs:vm-100-disk-0,size=4G\nsnaptime: 5\n",
        );
        assert_eq!(c.parent(), Some("s1"));
        assert_eq!(c.snapshots["s1"]["snaptime"], "5");
    }
}
