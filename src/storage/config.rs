//! `/etc/pve/storage.cfg`: the storage definitions of the cluster.
//!
//! One parser and one writer. Sections that pvesim did not change are
//! written back exactly as they were read (hand-written files keep their key
//! order); changed or new sections are written in canonical order: `comment`,
//! `disable`, the type's required keys (sorted), then the other keys sorted.

use crate::format::section_config::{self, Property, Section};
use std::collections::BTreeSet;

/// Path of the file relative to `/etc/pve`.
pub const STORAGE_CFG: &str = "storage.cfg";

/// The storage.cfg a fresh node installed on ZFS gets (what `pvesim init`
/// writes).
pub const DEFAULT_ZFS_STORAGE_CFG: &str = "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\nzfspool: local-zfs\n\tpool rpool/data\n\tsparse\n\tcontent images,rootdir\n\n";

/// Content types a storage can hold.
pub const ALL_CONTENT: [&str; 8] = [
    "images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import", "none",
];

/// The storage types pvesim knows.
pub const KNOWN_TYPES: [&str; 14] = [
    "dir",
    "nfs",
    "cifs",
    "cephfs",
    "btrfs",
    "zfspool",
    "lvmthin",
    "lvm",
    "rbd",
    "iscsi",
    "iscsidirect",
    "zfs",
    "pbs",
    "drbd",
];

/// Keys that the type requires (written right after `disable`).
pub fn required_keys(ty: &str) -> &'static [&'static str] {
    match ty {
        "dir" | "btrfs" | "cephfs" => &["path"],
        "nfs" => &["export", "path", "server"],
        "cifs" => &["path", "server", "share"],
        "zfspool" => &["pool"],
        "lvmthin" => &["thinpool", "vgname"],
        "lvm" => &["vgname"],
        "iscsi" | "iscsidirect" => &["portal", "target"],
        "zfs" => &["blocksize", "iscsiprovider", "pool", "portal", "target"],
        "pbs" => &["datastore", "server"],
        _ => &[],
    }
}

/// Content types the type accepts.
pub fn allowed_content(ty: &str) -> &'static [&'static str] {
    match ty {
        "dir" | "btrfs" => &[
            "images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import", "none",
        ],
        "nfs" | "cifs" => &[
            "images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import",
        ],
        "cephfs" => &["vztmpl", "iso", "backup", "snippets", "import"],
        "zfspool" | "lvmthin" | "lvm" | "rbd" | "zfs" | "drbd" => &["images", "rootdir"],
        "iscsi" | "iscsidirect" => &["images", "none"],
        "pbs" => &["backup"],
        _ => &[],
    }
}

/// Content a section without `content` gets.
pub fn default_content(ty: &str) -> &'static [&'static str] {
    match ty {
        "dir" | "btrfs" | "zfspool" | "lvmthin" => &["images", "rootdir"],
        "nfs" | "cifs" | "lvm" | "rbd" | "zfs" | "drbd" | "iscsi" | "iscsidirect" => &["images"],
        "cephfs" | "pbs" => &["backup"],
        _ => &[],
    }
}

/// Types that are shared by nature.
pub fn shared_by_nature(ty: &str) -> bool {
    matches!(
        ty,
        "nfs" | "cifs" | "cephfs" | "rbd" | "iscsi" | "iscsidirect" | "zfs" | "pbs" | "drbd"
    )
}

/// Whether a storage type is file based (volumes are files with extension).
pub fn is_file_based(ty: &str) -> bool {
    matches!(ty, "dir" | "nfs" | "cifs" | "btrfs" | "cephfs")
}

/// Why a storage cannot be used on a node (exact upstream texts).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Availability {
    #[error("storage '{0}' does not exist")]
    NoSuchStorage(String),
    #[error("storage '{0}' is disabled")]
    Disabled(String),
    #[error("storage '{0}' is not available on node '{1}'")]
    NotOnNode(String, String),
}

/// One storage definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Storage {
    pub ty: String,
    pub id: String,
    /// Properties as read (or set), in file order; bare flags have `None`.
    pub props: Vec<(String, Option<String>)>,
    /// The section's original text when it has not been changed since read.
    original: Option<String>,
    /// Added implicitly (a missing `local`): never written unless changed.
    pub implicit: bool,
}

impl Storage {
    pub fn new(ty: &str, id: &str) -> Storage {
        Storage {
            ty: ty.into(),
            id: id.into(),
            props: Vec::new(),
            original: None,
            implicit: false,
        }
    }

    /// The raw value of a key (`"1"` for a bare flag).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_deref().unwrap_or("1"))
    }

    /// Set a key (marks the section changed).
    pub fn set(&mut self, key: &str, value: &str) {
        self.original = None;
        self.implicit = false;
        match self.props.iter_mut().find(|(k, _)| k == key) {
            Some(p) => p.1 = Some(value.to_string()),
            None => self.props.push((key.into(), Some(value.into()))),
        }
    }

    /// Remove a key (marks the section changed).
    pub fn delete(&mut self, key: &str) {
        self.original = None;
        self.implicit = false;
        self.props.retain(|(k, _)| k != key);
    }

    fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some(v) if v != "0")
    }

    pub fn disabled(&self) -> bool {
        self.flag("disable")
    }

    /// Effective shared flag (6.1 rule 3).
    pub fn shared(&self) -> bool {
        if shared_by_nature(&self.ty) {
            return true;
        }
        match self.ty.as_str() {
            "zfspool" | "lvmthin" => false,
            _ => self.flag("shared"),
        }
    }

    /// Effective content list (configured, else the type's default), sorted.
    pub fn content(&self) -> BTreeSet<String> {
        match self.get("content") {
            Some(c) => split_list(c)
                .into_iter()
                .filter(|x| allowed_content(&self.ty).contains(&x.as_str()))
                .collect(),
            None => default_content(&self.ty)
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    pub fn has_content(&self, c: &str) -> bool {
        self.content().contains(c)
    }

    /// The `nodes` restriction, if any.
    pub fn nodes(&self) -> Option<BTreeSet<String>> {
        if self.id == "local" {
            return None;
        }
        self.get("nodes")
            .map(|n| split_list(n).into_iter().collect())
    }

    /// Whether the storage is enabled on `node` (6.3).
    pub fn check_node(&self, node: &str) -> Result<(), Availability> {
        if self.disabled() {
            return Err(Availability::Disabled(self.id.clone()));
        }
        if let Some(nodes) = self.nodes() {
            if !nodes.contains(node) {
                return Err(Availability::NotOnNode(self.id.clone(), node.into()));
            }
        }
        Ok(())
    }

    /// The ZFS pool (`pool`) of a zfspool storage.
    pub fn pool(&self) -> &str {
        self.get("pool").unwrap_or("rbd")
    }

    /// The LVM volume group.
    pub fn vgname(&self) -> &str {
        self.get("vgname").unwrap_or("pve")
    }

    /// Directory path of file based storages.
    pub fn path(&self) -> &str {
        self.get("path").unwrap_or("/var/lib/vz")
    }

    /// Whether the type stores images as files with an extension.
    pub fn file_based(&self) -> bool {
        is_file_based(&self.ty)
    }

    /// Default image format of new volumes on this storage.
    pub fn default_format(&self) -> &str {
        if self.file_based() && self.ty != "btrfs" {
            self.get("format").unwrap_or("raw")
        } else {
            "raw"
        }
    }

    /// Image formats the type supports.
    pub fn supported_formats(&self) -> &'static [&'static str] {
        match self.ty.as_str() {
            "dir" => &["raw", "qcow2", "vmdk", "subvol"],
            "nfs" | "cifs" => &["raw", "qcow2", "vmdk"],
            "btrfs" | "zfspool" => &["raw", "subvol"],
            _ => &["raw"],
        }
    }

    fn to_section_text(&self) -> String {
        if let Some(o) = &self.original {
            return o.clone();
        }
        let mut s = Section::new(self.ty.clone(), self.id.clone());
        let req = required_keys(&self.ty);
        let mut push = |k: &str, v: &Option<String>| {
            let v = match (k, v) {
                ("content" | "nodes", Some(v)) => Some(split_list(v).join(",")),
                _ => v.clone(),
            };
            match (k, v) {
                ("disable", Some(v)) if v == "1" => s.push_flag(k),
                ("disable", None) => s.push_flag(k),
                (_, Some(v)) => s.push(k, v),
                (_, None) => s.push(k, "1"),
            }
        };
        for key in ["comment", "disable"] {
            if let Some((k, v)) = self.props.iter().find(|(k, _)| k == key) {
                push(k, v);
            }
        }
        let mut rest: Vec<&(String, Option<String>)> = self
            .props
            .iter()
            .filter(|(k, _)| k != "comment" && k != "disable")
            .collect();
        rest.sort_by(|a, b| {
            let ra = req.contains(&a.0.as_str());
            let rb = req.contains(&b.0.as_str());
            rb.cmp(&ra).then(a.0.cmp(&b.0))
        });
        for (k, v) in rest {
            push(k, v);
        }
        section_config::write(&[s])
    }
}

/// Split a comma/space/semicolon separated list, dropping empties, sorted
/// and de-duplicated.
pub fn split_list(v: &str) -> Vec<String> {
    let set: BTreeSet<String> = v
        .split([',', ';', ' ', '\t'])
        .filter(|x| !x.is_empty())
        .map(|x| x.to_string())
        .collect();
    set.into_iter().collect()
}

/// The parsed storage.cfg.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StorageConfig {
    pub storages: Vec<Storage>,
    /// Parse warnings (upstream texts), for the caller to print.
    pub warnings: Vec<String>,
}

/// Valid storage id: `[a-z][a-z0-9._-]*[a-z0-9]`, case-insensitive.
pub fn valid_storage_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

impl StorageConfig {
    /// Parse the file text; implicit rules (6.1) applied.
    pub fn parse(text: &str) -> StorageConfig {
        let parsed = section_config::parse("/etc/pve/storage.cfg", text);
        let lines: Vec<&str> = text.lines().collect();
        let mut cfg = StorageConfig::default();
        for w in parsed.warnings {
            cfg.warnings.push(w.message);
        }
        for sec in parsed.sections {
            if !KNOWN_TYPES.contains(&sec.ty.as_str()) {
                cfg.warnings.push(format!(
                    "file /etc/pve/storage.cfg line {} (skip section '{}'): unsupported type '{}'",
                    sec.line, sec.id, sec.ty
                ));
                continue;
            }
            if !valid_storage_id(&sec.id) {
                cfg.warnings.push(format!(
                    "file /etc/pve/storage.cfg line {} (skip section '{}'): invalid storage ID '{}'",
                    sec.line, sec.id, sec.id
                ));
                continue;
            }
            if cfg.get(&sec.id).is_some() {
                cfg.warnings.push(format!(
                    "file /etc/pve/storage.cfg line {} (skip section '{}'): duplicate section",
                    sec.line, sec.id
                ));
                continue;
            }
            let original = original_text(&lines, &sec);
            let mut st = Storage::new(&sec.ty, &sec.id);
            for Property { key, value, .. } in &sec.props {
                if key == "content" {
                    if let Some(v) = value {
                        for c in split_list(v) {
                            if !allowed_content(&sec.ty).contains(&c.as_str()) {
                                cfg.warnings
                                    .push(format!("storage does not support content type '{c}'"));
                            }
                        }
                    }
                }
                st.props.push((key.clone(), value.clone()));
            }
            st.original = Some(original);
            cfg.storages.push(st);
        }
        cfg.apply_implicit();
        cfg
    }

    fn apply_implicit(&mut self) {
        let ok = self
            .get("local")
            .map(|s| s.ty == "dir" && s.get("path") == Some("/var/lib/vz"))
            .unwrap_or(false);
        if !ok {
            let mut local = Storage::new("dir", "local");
            local
                .props
                .push(("path".into(), Some("/var/lib/vz".into())));
            local.props.push((
                "content".into(),
                Some("backup,images,iso,rootdir,snippets,vztmpl".into()),
            ));
            local.implicit = true;
            match self.storages.iter().position(|s| s.id == "local") {
                Some(i) => self.storages[i] = local,
                None => self.storages.insert(0, local),
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&Storage> {
        self.storages.iter().find(|s| s.id == id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Storage> {
        self.storages.iter_mut().find(|s| s.id == id)
    }

    /// The storage if it exists and is enabled on `node`.
    pub fn enabled_on(&self, id: &str, node: &str) -> Result<&Storage, Availability> {
        let st = self
            .get(id)
            .ok_or_else(|| Availability::NoSuchStorage(id.into()))?;
        st.check_node(node)?;
        Ok(st)
    }

    /// Write the file text. An implicitly added, unchanged `local` is not
    /// written (as upstream, it exists without being in the file).
    pub fn write(&self) -> String {
        let mut out = String::new();
        for s in &self.storages {
            if s.implicit {
                continue;
            }
            out.push_str(&s.to_section_text());
        }
        out
    }
}

/// The text of a section as it was in the file (header to last property),
/// followed by one empty line.
fn original_text(lines: &[&str], sec: &Section) -> String {
    let first = sec.line.saturating_sub(1);
    let last = sec
        .props
        .iter()
        .map(|p| p.line)
        .max()
        .unwrap_or(sec.line)
        .saturating_sub(1);
    let mut out = String::new();
    for l in &lines[first..=last.min(lines.len().saturating_sub(1))] {
        out.push_str(l.strip_suffix('\r').unwrap_or(l));
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_zfs_install_round_trips() {
        let cfg = StorageConfig::parse(DEFAULT_ZFS_STORAGE_CFG);
        assert!(cfg.warnings.is_empty(), "{:?}", cfg.warnings);
        assert_eq!(cfg.write(), DEFAULT_ZFS_STORAGE_CFG);
        let zfs = cfg.get("local-zfs").unwrap();
        assert!(!zfs.shared());
        assert!(zfs.has_content("images"));
        assert_eq!(zfs.pool(), "rpool/data");
        let local = cfg.get("local").unwrap();
        assert!(!local.has_content("images"));
        assert!(local.has_content("iso"));
    }

    #[test]
    fn changed_section_is_written_canonically() {
        let mut cfg = StorageConfig::parse(DEFAULT_ZFS_STORAGE_CFG);
        let mut nfs = Storage::new("nfs", "nfs-iso");
        nfs.set("server", "10.0.0.9");
        nfs.set("content", "iso,images");
        nfs.set("export", "/srv/iso");
        nfs.set("path", "/mnt/pve/nfs-iso");
        nfs.set("disable", "1");
        nfs.set("comment", "isos");
        cfg.storages.push(nfs);
        let text = cfg.write();
        assert!(text.ends_with("nfs: nfs-iso\n\tcomment isos\n\tdisable\n\texport /srv/iso\n\tpath /mnt/pve/nfs-iso\n\tserver 10.0.0.9\n\tcontent images,iso\n\n"), "{text}");
        let back = StorageConfig::parse(&text);
        assert_eq!(back.write(), text);
        let n = back.get("nfs-iso").unwrap();
        assert!(n.shared() && n.disabled());
        assert_eq!(
            n.check_node("pve1"),
            Err(Availability::Disabled("nfs-iso".into()))
        );
    }

    #[test]
    fn implicit_local_and_unknown_types() {
        let text = "zfspool: tank\n\tpool tank\n\tnodes pve2,pve1\n\nfoo: bar\n\tx 1\n\n";
        let cfg = StorageConfig::parse(text);
        assert_eq!(
            cfg.warnings,
            vec!["file /etc/pve/storage.cfg line 5 (skip section 'bar'): unsupported type 'foo'"]
        );
        assert_eq!(cfg.storages[0].id, "local");
        assert!(cfg.get("local").unwrap().has_content("images"));
        assert_eq!(
            cfg.write(),
            "zfspool: tank\n\tpool tank\n\tnodes pve2,pve1\n\n"
        );
        let t = cfg.get("tank").unwrap();
        assert!(t.check_node("pve1").is_ok());
        assert_eq!(
            t.check_node("pve3").unwrap_err().to_string(),
            "storage 'tank' is not available on node 'pve3'"
        );
        assert_eq!(
            cfg.enabled_on("x", "pve1").unwrap_err().to_string(),
            "storage 'x' does not exist"
        );
    }
}
