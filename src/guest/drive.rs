//! Drive keys (`scsi0`, `ide2`, `efidisk0`, `unused3`, ...) and the drive
//! property string (`local-zfs:vm-100-disk-0,iothread=1,size=32G`).

use crate::format::property_string::PropertyString;
use crate::storage::size::{format_disk_size, parse_disk_size};

/// Every drive key (not `unusedN`) in iteration order: ide0-3, scsi0-30,
/// virtio0-15, sata0-5, efidisk0, tpmstate0.
pub fn drive_keys() -> Vec<String> {
    let mut v = Vec::new();
    for (p, n) in [("ide", 4), ("scsi", 31), ("virtio", 16), ("sata", 6)] {
        for i in 0..n {
            v.push(format!("{p}{i}"));
        }
    }
    v.push("efidisk0".into());
    v.push("tpmstate0".into());
    v
}

/// Whether `key` is a drive key (not unused).
pub fn is_drive_key(key: &str) -> bool {
    match split_key(key) {
        (p, Some(n)) => is_drive_slot(p, n),
        _ => false,
    }
}

/// Whether prefix `p` with index `n` (from [`split_key`]) names a drive.
pub fn is_drive_slot(p: &str, n: u32) -> bool {
    match p {
        "ide" => n < 4,
        "scsi" => n < 31,
        "virtio" => n < 16,
        "sata" => n < 6,
        "efidisk" | "tpmstate" => n == 0,
        _ => false,
    }
}

/// Whether `key` is `unused0`..`unused255`.
pub fn is_unused_key(key: &str) -> bool {
    matches!(split_key(key), ("unused", Some(n)) if n < 256)
}

/// Position of a drive key in iteration order (unusedN after all drives).
pub fn drive_order(key: &str) -> usize {
    if let Some(i) = drive_keys().iter().position(|k| k == key) {
        return i;
    }
    match split_key(key) {
        ("unused", Some(n)) => 1000 + n as usize,
        _ => usize::MAX,
    }
}

/// Split `scsi12` into (`scsi`, Some(12)).
pub fn split_key(key: &str) -> (&str, Option<u32>) {
    let i = key.find(|c: char| c.is_ascii_digit()).unwrap_or(key.len());
    let (p, d) = key.split_at(i);
    if d.is_empty() || (d.len() > 1 && d.starts_with('0')) {
        return (p, None);
    }
    (p, d.parse().ok())
}

/// Boolean drive properties (printed as 1/0).
const BOOL_PROPS: [&str; 8] = [
    "iothread",
    "ssd",
    "backup",
    "replicate",
    "shared",
    "ro",
    "snapshot",
    "pre-enrolled-keys",
];

/// A parsed drive value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drive {
    /// Volume id, `none`, `cdrom`, or an absolute path.
    pub file: String,
    pub props: PropertyString,
}

impl Drive {
    /// Parse a drive property string; errors carry the upstream reason.
    pub fn parse(value: &str) -> Result<Drive, String> {
        let mut ps = PropertyString::parse(value, Some("file")).map_err(|e| e.to_string())?;
        if let Some(v) = ps.remove("volume") {
            if ps.get("file").is_some() {
                return Err("duplicate key in comma-separated list property: file".into());
            }
            ps.set("file", v);
        }
        let file = ps
            .remove("file")
            .ok_or_else(|| "missing property - 'file' is required".to_string())?;
        if file.is_empty() {
            return Err("missing property - 'file' is required".into());
        }
        for (k, v) in ps.pairs.iter_mut() {
            if BOOL_PROPS.contains(&k.as_str()) {
                *v = match v.to_ascii_lowercase().as_str() {
                    "1" | "on" | "yes" | "true" => "1".into(),
                    "0" | "off" | "no" | "false" => "0".into(),
                    _ => return Err(format!("{k}: type check ('boolean') failed - got '{v}'")),
                };
            } else if k == "size" {
                let b = parse_disk_size(v)
                    .ok_or_else(|| format!("size: unable to parse size '{v}'"))?;
                *v = format_disk_size(b);
            } else if k == "media" && v != "cdrom" && v != "disk" {
                return Err(format!(
                    "media: value '{v}' does not have a value in the enumeration 'cdrom, disk'"
                ));
            }
        }
        Ok(Drive { file, props: ps })
    }

    /// Canonical text: file first, then properties in ascending key order.
    pub fn to_text(&self) -> String {
        let rest = self.props.to_canonical(None);
        if rest.is_empty() {
            self.file.clone()
        } else {
            format!("{},{rest}", self.file)
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.props.get(key)
    }

    pub fn is_cdrom(&self) -> bool {
        self.props.get("media") == Some("cdrom")
    }

    /// The volume id, if the file is one (not none/cdrom/path).
    pub fn volid(&self) -> Option<&str> {
        if self.file == "none" || self.file == "cdrom" || self.file.starts_with('/') {
            None
        } else {
            Some(&self.file)
        }
    }

    /// `size=` in bytes.
    pub fn size(&self) -> Option<u64> {
        self.props.get("size").and_then(parse_disk_size)
    }

    pub fn set_size(&mut self, bytes: u64) {
        self.props.set("size", format_disk_size(bytes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drive_canonical_form() {
        let d = Drive::parse("size=32G,file=local-zfs:vm-100-disk-0,iothread=on").unwrap();
        assert_eq!(d.to_text(), "local-zfs:vm-100-disk-0,iothread=1,size=32G");
        let d = Drive::parse("none,media=cdrom").unwrap();
        assert!(d.is_cdrom() && d.volid().is_none());
        let d = Drive::parse("local-lvm:vm-1-disk-0,size=34359738368").unwrap();
        assert_eq!(d.get("size"), Some("32G"));
        assert!(Drive::parse("local:x,size=abc").is_err());
        assert!(Drive::parse("size=1G").is_err());
        assert!(Drive::parse("x,media=tape").is_err());
    }

    #[test]
    fn keys_and_order() {
        assert!(is_drive_key("scsi30") && !is_drive_key("scsi31") && !is_drive_key("scsi01"));
        assert!(is_drive_key("efidisk0") && !is_drive_key("efidisk1"));
        assert!(is_unused_key("unused255") && !is_unused_key("unused256"));
        assert!(drive_order("ide3") < drive_order("scsi0"));
        assert!(drive_order("tpmstate0") < drive_order("unused0"));
        assert_eq!(drive_keys().len(), 59);
    }
}
