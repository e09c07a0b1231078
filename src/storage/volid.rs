//! Volume identifiers `<storeid>:<volname>` and what a volume name says:
//! owner vmid, image format, content type (6.4), and new-disk naming (6.5).

use super::config::valid_storage_id;

/// Split a volume id; `None` when it is not `<storeid>:<volname>`.
pub fn parse_volid(volid: &str) -> Option<(&str, &str)> {
    let (sid, name) = volid.split_once(':')?;
    if !valid_storage_id(sid) || name.is_empty() {
        return None;
    }
    Some((sid, name))
}

/// What a volume name tells about the volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolName {
    /// `images`, `rootdir`, `iso`, `vztmpl`, `backup`, `snippets`, `import`.
    pub content: String,
    /// Owner vmid encoded in the name.
    pub owner: Option<u32>,
    /// Image format (raw, qcow2, vmdk, subvol) or the derived non-image format.
    pub format: String,
    /// The base volume name for a linked clone.
    pub base: Option<String>,
    /// The plain name (last path element).
    pub name: String,
}

fn image_owner(name: &str) -> Option<u32> {
    // (vm|base|subvol|basevol)-<vmid>-...
    for p in ["vm-", "base-", "subvol-", "basevol-"] {
        if let Some(rest) = name.strip_prefix(p) {
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if !digits.is_empty() && rest[digits.len()..].starts_with('-') {
                return digits.parse().ok();
            }
        }
    }
    None
}

/// Format of a non-image file from its name (7.2).
pub fn derived_format(content: &str, file: &str) -> String {
    match content {
        "iso" => "iso".into(),
        "vztmpl" => {
            for (ext, f) in [
                (".tar.gz", "tgz"),
                (".tar.xz", "txz"),
                (".tar.zst", "tzst"),
                (".tar.bz2", "tbz2"),
                (".tar", "tar"),
            ] {
                if file.ends_with(ext) {
                    return f.into();
                }
            }
            "tar".into()
        }
        "backup" => {
            for ext in [
                "vma.zst", "vma.lzo", "vma.gz", "vma", "tar.zst", "tar.gz", "tar.lzo", "tgz", "tar",
            ] {
                if file.ends_with(&format!(".{ext}")) {
                    return ext.into();
                }
            }
            "raw".into()
        }
        "snippets" => "snippet".into(),
        "import" => file.rsplit('.').next().unwrap_or("raw").to_string(),
        _ => "raw".into(),
    }
}

/// Owner of a backup file name `vzdump-<type>-<vmid>-...`.
fn backup_owner(file: &str) -> Option<u32> {
    let mut parts = file.split('-');
    if parts.next()? != "vzdump" {
        return None;
    }
    parts.next()?;
    parts.next()?.parse().ok()
}

/// Interpret a volume name on a storage of type `ty`.
pub fn parse_volname(ty: &str, volname: &str) -> Option<VolName> {
    if super::config::is_file_based(ty) {
        if let Some((dir, file)) = volname.split_once('/') {
            let content = match dir {
                "iso" => Some("iso"),
                "vztmpl" => Some("vztmpl"),
                "backup" => Some("backup"),
                "snippets" => Some("snippets"),
                "import" => Some("import"),
                _ => None,
            };
            if let Some(c) = content {
                if file.is_empty() || file.contains('/') {
                    return None;
                }
                let owner = if c == "backup" {
                    backup_owner(file)
                } else {
                    None
                };
                return Some(VolName {
                    content: c.into(),
                    owner,
                    format: derived_format(c, file),
                    base: None,
                    name: file.into(),
                });
            }
            // <vmid>/<name> or <basevmid>/<basename>/<vmid>/<name>
            let parts: Vec<&str> = volname.split('/').collect();
            let (owner, name, base) = match parts.as_slice() {
                [v, n] => (v.parse::<u32>().ok()?, *n, None),
                [_bv, b, v, n] => (v.parse::<u32>().ok()?, *n, Some(b.to_string())),
                _ => return None,
            };
            let (format, content) = if let Some(stem) = name.strip_suffix(".raw") {
                let _ = stem;
                ("raw", "images")
            } else if name.ends_with(".qcow2") {
                ("qcow2", "images")
            } else if name.ends_with(".vmdk") {
                ("vmdk", "images")
            } else if name.starts_with("subvol-") || name.starts_with("basevol-") {
                ("subvol", "rootdir")
            } else {
                return None;
            };
            return Some(VolName {
                content: content.into(),
                owner: Some(owner),
                format: format.into(),
                base,
                name: name.into(),
            });
        }
        return None;
    }
    let (base, name) = match volname.split_once('/') {
        Some((b, n)) => (Some(b.to_string()), n),
        None => (None, volname),
    };
    if name.is_empty() || name.contains('/') {
        return None;
    }
    let owner = image_owner(name)?;
    let subvol = name.starts_with("subvol-") || name.starts_with("basevol-");
    Some(VolName {
        content: if subvol { "rootdir" } else { "images" }.into(),
        owner: Some(owner),
        format: if subvol { "subvol" } else { "raw" }.into(),
        base,
        name: name.into(),
    })
}

/// Disk number of a `(vm|base|subvol|basevol)-<vmid>-disk-<n>[.<ext>]` name
/// belonging to `vmid`, with the extension it carries.
pub fn disk_number(name: &str, vmid: u32) -> Option<(u32, Option<&str>)> {
    for p in ["vm-", "base-", "subvol-", "basevol-"] {
        if let Some(rest) = name.strip_prefix(p) {
            let rest = rest.strip_prefix(&format!("{vmid}-disk-"))?;
            let (num, ext) = match rest.split_once('.') {
                Some((n, e)) => (n, Some(e)),
                None => (rest, None),
            };
            if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            return num.parse().ok().map(|n| (n, ext));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volids_and_names() {
        assert_eq!(
            parse_volid("local-zfs:vm-100-disk-0"),
            Some(("local-zfs", "vm-100-disk-0"))
        );
        assert_eq!(parse_volid("1x:foo"), None);
        assert_eq!(parse_volid("nocolon"), None);
        let v = parse_volname("zfspool", "vm-100-disk-0").unwrap();
        assert_eq!((v.owner, v.format.as_str()), (Some(100), "raw"));
        let v = parse_volname("zfspool", "base-100-disk-0/vm-101-disk-0").unwrap();
        assert_eq!(v.owner, Some(101));
        assert_eq!(v.base.as_deref(), Some("base-100-disk-0"));
        let v = parse_volname("dir", "100/vm-100-disk-0.qcow2").unwrap();
        assert_eq!((v.owner, v.format.as_str()), (Some(100), "qcow2"));
        let v = parse_volname("dir", "iso/debian-12.iso").unwrap();
        assert_eq!((v.content.as_str(), v.owner), ("iso", None));
        let v = parse_volname("dir", "backup/vzdump-qemu-100-2024_05_01-10_00_00.vma.zst").unwrap();
        assert_eq!((v.owner, v.format.as_str()), (Some(100), "vma.zst"));
        let v = parse_volname("dir", "vztmpl/debian-12-standard_12.7-1_amd64.tar.zst").unwrap();
        assert_eq!(v.format, "tzst");
        assert!(parse_volname("zfspool", "foo").is_none());
        assert_eq!(disk_number("vm-100-disk-3", 100), Some((3, None)));
        assert_eq!(
            disk_number("vm-100-disk-3.raw", 100),
            Some((3, Some("raw")))
        );
        assert_eq!(disk_number("vm-101-disk-3", 100), None);
        assert_eq!(disk_number("vm-100-state-x", 100), None);
    }
}
