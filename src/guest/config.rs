//! The guest configuration file `nodes/<node>/qemu-server/<vmid>.conf`
//! (spec 2): main section, `[PENDING]`, special sections and snapshot
//! sections. One parser and one writer; write(parse(text)) == text for
//! canonical text.

use super::drive::{is_drive_key, is_unused_key, split_key, Drive};
use std::collections::BTreeMap;

/// One section: its description and its keys (byte-wise ordered).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigSection {
    pub description: Option<String>,
    pub keys: BTreeMap<String, String>,
}

impl ConfigSection {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.keys.get(key).map(|s| s.as_str())
    }

    /// The `unusedN` entries (key, volume), copied.
    pub fn unused_entries<C: FromIterator<(String, String)>>(&self) -> C {
        self.keys
            .iter()
            .filter(|(k, _)| is_unused_key(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// A parsed VM config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VmConfig {
    pub main: ConfigSection,
    pub pending: ConfigSection,
    /// Pending deletions: key → forced.
    pub pending_delete: BTreeMap<String, bool>,
    pub special: BTreeMap<String, ConfigSection>,
    pub snapshots: BTreeMap<String, ConfigSection>,
}

/// Decode `%XX` escapes.
pub fn decode_description(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let h = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = h.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encode a description per 2.3 step 6.
pub fn encode_description(s: &str) -> String {
    let mut out = String::new();
    for &c in s.as_bytes() {
        if (0x20..=0x7e).contains(&c) && c != b':' && c != b'%' {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Keys whose values are booleans (normalized to 1/0).
const BOOL_KEYS: &[&str] = &[
    "acpi",
    "autostart",
    "freeze",
    "kvm",
    "localtime",
    "numa",
    "onboot",
    "protection",
    "reboot",
    "tablet",
    "template",
    "allow-ksm",
    "keephugepages",
    "ciupgrade",
];
/// Keys whose values are integers.
const INT_KEYS: &[&str] = &[
    "balloon",
    "cores",
    "cpuunits",
    "migrate_speed",
    "shares",
    "snaptime",
    "sockets",
    "vcpus",
    "smp",
    "tdf",
];
/// Keys whose values are numbers.
const NUM_KEYS: &[&str] = &["cpulimit", "migrate_downtime"];
/// Other single keys (string valued).
const STRING_KEYS: &[&str] = &[
    "affinity",
    "agent",
    "amd-sev",
    "arch",
    "args",
    "audio0",
    "bios",
    "boot",
    "bootdisk",
    "cdrom",
    "cicustom",
    "cipassword",
    "citype",
    "ciuser",
    "cpu",
    "description",
    "digest",
    "efitype",
    "hookscript",
    "hotplug",
    "hugepages",
    "intel-tdx",
    "ivshmem",
    "keyboard",
    "lock",
    "machine",
    "memory",
    "meta",
    "name",
    "nameserver",
    "ostype",
    "parent",
    "rng0",
    "runningcpu",
    "runningmachine",
    "scsihw",
    "searchdomain",
    "smbios1",
    "snapstate",
    "spice_enhancements",
    "sshkeys",
    "startdate",
    "startup",
    "tags",
    "vga",
    "vmgenid",
    "vmstate",
    "vmstatestorage",
    "watchdog",
];
/// Indexed keys: prefix and number of indices.
const INDEXED: &[(&str, u32)] = &[
    ("net", 32),
    ("hostpci", 16),
    ("usb", 14),
    ("serial", 4),
    ("parallel", 3),
    ("ipconfig", 32),
    ("numa", 8),
    ("virtiofs", 10),
];

/// Enumerations checked on read and set.
fn enum_values(key: &str) -> Option<&'static [&'static str]> {
    Some(match key {
        "ostype" => &[
            "other", "wxp", "w2k", "w2k3", "w2k8", "wvista", "win7", "win8", "win10", "win11",
            "l24", "l26", "solaris",
        ],
        "scsihw" => &[
            "lsi",
            "lsi53c810",
            "virtio-scsi-pci",
            "virtio-scsi-single",
            "megasas",
            "pvscsi",
        ],
        "bios" => &["seabios", "ovmf"],
        "lock" => &[
            "backup",
            "clone",
            "create",
            "migrate",
            "rollback",
            "snapshot",
            "snapshot-delete",
            "suspending",
            "suspended",
            "destroyed",
            "import",
        ],
        _ => return None,
    })
}

/// What kind of value a config key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Bool,
    Int,
    Num,
    Str,
    /// `ide0`, `scsi12`, `efidisk0` ...
    Drive,
    /// `unused0` .. `unused255`
    Unused,
    /// `net0`, `hostpci3`, `numa1` ... (see [`INDEXED`])
    Indexed,
}

/// The kind of a config key, from one pass over the key tables; `None`
/// for an unknown key. (Config parsing asks this for every line of every
/// config a command reads, so the tables are searched once, not once per
/// question.)
fn key_kind(key: &str) -> Option<KeyKind> {
    let kind = if BOOL_KEYS.contains(&key) {
        KeyKind::Bool
    } else if INT_KEYS.contains(&key) {
        KeyKind::Int
    } else if NUM_KEYS.contains(&key) {
        KeyKind::Num
    } else if STRING_KEYS.contains(&key) {
        KeyKind::Str
    } else {
        let (p, Some(n)) = split_key(key) else {
            return None;
        };
        if super::drive::is_drive_slot(p, n) {
            KeyKind::Drive
        } else if p == "unused" && n < 256 {
            KeyKind::Unused
        } else if INDEXED.iter().any(|(q, max)| *q == p && n < *max) {
            KeyKind::Indexed
        } else {
            return None;
        }
    };
    Some(kind)
}

/// Whether `s` is an unsigned decimal number: digits, optionally a dot and
/// more digits (`2`, `0.5`; not `.5`, `1.` or `-1`).
pub fn is_decimal(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    match s.split_once('.') {
        Some((a, b)) => digits(a) && digits(b),
        None => digits(s),
    }
}

/// Whether `key` is a known VM config key.
pub fn known_key(key: &str) -> bool {
    key_kind(key).is_some()
}

/// The schema type of a config key's value, as `qm help --verbose` and the
/// man pages name it: `boolean`, `integer`, `number` or `string`.
pub fn value_type(key: &str) -> &'static str {
    match key_kind(key) {
        Some(KeyKind::Bool) => "boolean",
        Some(KeyKind::Int) => "integer",
        Some(KeyKind::Num) => "number",
        _ => "string",
    }
}

/// Parse and normalize one value; `Err(reason)` for an invalid one.
pub fn check_value(key: &str, value: &str) -> Result<String, String> {
    let Some(kind) = key_kind(key) else {
        return Err(format!("unknown setting '{key}'"));
    };
    match kind {
        KeyKind::Bool => {
            return match value.to_ascii_lowercase().as_str() {
                "1" | "on" | "yes" | "true" => Ok("1".into()),
                "0" | "off" | "no" | "false" => Ok("0".into()),
                _ => Err(format!("type check ('boolean') failed - got '{value}'")),
            };
        }
        KeyKind::Int => {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("type check ('integer') failed - got '{value}'"));
            }
            return Ok(value.into());
        }
        KeyKind::Num => {
            if !is_decimal(value) {
                return Err(format!("type check ('number') failed - got '{value}'"));
            }
            return Ok(value.into());
        }
        _ => {}
    }
    if let Some(vals) = enum_values(key) {
        if !vals.contains(&value) {
            return Err(format!(
                "value '{value}' does not have a value in the enumeration '{}'",
                vals.join(", ")
            ));
        }
    }
    if key == "memory" {
        let v = value.strip_prefix("current=").unwrap_or(value);
        match v.parse::<u64>() {
            Ok(n) if n >= 16 => {}
            _ => {
                return Err(format!(
                    "invalid format - value '{value}' is not a valid memory size"
                ))
            }
        }
    }
    match kind {
        KeyKind::Drive => Drive::parse(value)
            .map(|d| d.to_text())
            .map_err(|e| format!("invalid format - {e}")),
        KeyKind::Unused if crate::storage::volid::parse_volid(value).is_none() => {
            Err(format!("unable to parse volume ID '{value}'"))
        }
        _ => Ok(value.into()),
    }
}

/// Which section a line belongs to while parsing.
enum Cur {
    Main,
    Pending,
    Special(String),
    Snapshot(String),
    Skip,
}

/// Valid snapshot name `[a-z][a-z0-9_-]+` (case-insensitive).
pub fn valid_snapname(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
}

fn parse_key_line(line: &str) -> Option<(&str, &str)> {
    let (k, v) = line.split_once(':')?;
    let kb = k.as_bytes();
    if kb.is_empty() || !kb[0].is_ascii_lowercase() {
        return None;
    }
    let letters = k.find(|c: char| c.is_ascii_digit()).unwrap_or(k.len());
    if !k[..letters]
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c == b'_' || c == b'-')
        || !k[letters..].bytes().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    if v.is_empty() {
        return None;
    }
    let t = v.trim();
    Some((k, if t.is_empty() { " " } else { t }))
}

impl VmConfig {
    /// Parse a config file; returns the config and the warnings (upstream
    /// texts, `vm <vmid> - ...`).
    pub fn parse(text: &str, vmid: u32) -> (VmConfig, Vec<String>) {
        let mut cfg = VmConfig::default();
        let mut warns = Vec::new();
        let mut cur = Cur::Main;
        let mut descs: BTreeMap<String, String> = BTreeMap::new();
        let sect_key = |c: &Cur| -> String {
            match c {
                Cur::Main => "\0main".into(),
                Cur::Pending => "\0pending".into(),
                Cur::Special(s) => format!("\0special:{s}"),
                Cur::Snapshot(s) => s.clone(),
                Cur::Skip => "\0skip".into(),
            }
        };
        for raw in text.lines() {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() {
                continue;
            }
            if line.starts_with('[') && line.trim_end().ends_with(']') {
                let t = line.trim_end();
                let name = &t[1..t.len() - 1];
                if name.eq_ignore_ascii_case("PENDING") {
                    cur = Cur::Pending;
                } else if let Some(s) = name.strip_prefix("special:") {
                    if s == "cloudinit" || s == "fleecing" {
                        cfg.special.insert(s.into(), ConfigSection::default());
                        cur = Cur::Special(s.into());
                    } else {
                        warns.push(format!("vm {vmid} - skipping unknown section: '{name}'"));
                        cur = Cur::Skip;
                    }
                } else if valid_snapname(name) {
                    if cfg.snapshots.contains_key(name) {
                        warns.push(format!("vm {vmid} - duplicate snapshot section: {name}"));
                    }
                    cfg.snapshots.insert(name.into(), ConfigSection::default());
                    descs.remove(name);
                    cur = Cur::Snapshot(name.into());
                } else {
                    warns.push(format!("vm {vmid} - skipping unknown section: '{name}'"));
                    cur = Cur::Skip;
                }
                continue;
            }
            if matches!(cur, Cur::Skip) {
                continue;
            }
            if let Some(d) = line.strip_prefix('#') {
                let e = descs.entry(sect_key(&cur)).or_default();
                e.push_str(&decode_description(d));
                e.push('\n');
                continue;
            }
            let Some((key, value)) = parse_key_line(line) else {
                warns.push(format!("vm {vmid} - unable to parse config: {line}"));
                continue;
            };
            if key == "description" {
                let e = descs.entry(sect_key(&cur)).or_default();
                e.push_str(&decode_description(value));
                e.push('\n');
                continue;
            }
            if key == "delete" {
                if matches!(cur, Cur::Pending) {
                    for k in value.split([',', ';', ' ', '\t']).filter(|s| !s.is_empty()) {
                        let (k, force) = match k.strip_prefix('!') {
                            Some(k) => (k, true),
                            None => (k, false),
                        };
                        let e = cfg.pending_delete.entry(k.into()).or_insert(false);
                        *e |= force;
                    }
                } else {
                    warns.push(format!(
                        "vm {vmid} - property 'delete' is only allowed in [PENDING]"
                    ));
                }
                continue;
            }
            let key = if key == "cdrom" { "ide2" } else { key };
            let value = match check_value(key, value) {
                Ok(v) => v,
                Err(reason) => {
                    warns.push(format!(
                        "vm {vmid} - unable to parse value of '{key}' - {reason}"
                    ));
                    continue;
                }
            };
            let sec = match &cur {
                Cur::Main => &mut cfg.main,
                Cur::Pending => &mut cfg.pending,
                Cur::Special(s) => cfg.special.get_mut(s).unwrap(),
                Cur::Snapshot(s) => cfg.snapshots.get_mut(s).unwrap(),
                Cur::Skip => continue,
            };
            sec.keys.insert(key.into(), value);
        }
        for (k, d) in descs {
            let d = d.trim_end().to_string();
            let sec = match k.as_str() {
                "\0main" => &mut cfg.main,
                "\0pending" => &mut cfg.pending,
                "\0skip" => continue,
                s if s.starts_with("\0special:") => match cfg.special.get_mut(&s[9..]) {
                    Some(x) => x,
                    None => continue,
                },
                s => match cfg.snapshots.get_mut(s) {
                    Some(x) => x,
                    None => continue,
                },
            };
            sec.description = Some(d);
        }
        (cfg, warns)
    }

    /// Whether `[PENDING]` has anything.
    pub fn has_pending(&self) -> bool {
        !self.pending.keys.is_empty()
            || !self.pending_delete.is_empty()
            || self.pending.description.is_some()
    }

    /// The first key (of any section) whose value holds a line break: such
    /// a value would write extra keys or sections into the file.
    pub fn key_with_newline(&self) -> Option<&str> {
        std::iter::once(&self.main)
            .chain(std::iter::once(&self.pending))
            .chain(self.snapshots.values())
            .flat_map(|s| s.keys.iter())
            .find(|(_, v)| v.contains(['\n', '\r']))
            .map(|(k, _)| k.as_str())
    }

    /// Write the file text (2.3).
    pub fn write(&self) -> String {
        let mut main = self.main.clone();
        // drop unusedN entries whose volume is attached by a drive key
        let used: Vec<String> = main
            .keys
            .iter()
            .filter(|(k, _)| is_drive_key(k))
            .filter_map(|(_, v)| Drive::parse(v).ok().map(|d| d.file))
            .collect();
        main.keys
            .retain(|k, v| !(is_unused_key(k) && used.iter().any(|u| u == v)));
        if let Some(smp) = main.keys.remove("smp") {
            main.keys.entry("sockets".into()).or_insert(smp);
        }
        let mut out = String::new();
        write_section(&mut out, &main, false);
        if self.has_pending() {
            out.push_str("\n[PENDING]\n");
            let mut p = self.pending.clone();
            if !self.pending_delete.is_empty() {
                let list: Vec<String> = self
                    .pending_delete
                    .iter()
                    .map(|(k, f)| if *f { format!("!{k}") } else { k.clone() })
                    .collect();
                p.keys.insert("delete".into(), list.join(","));
            }
            write_section(&mut out, &p, true);
        }
        for (name, s) in &self.special {
            out.push_str(&format!("\n[special:{name}]\n"));
            write_section(&mut out, s, false);
        }
        for (name, s) in &self.snapshots {
            out.push_str(&format!("\n[{name}]\n"));
            write_section(&mut out, s, false);
        }
        out
    }

    /// The current config with pending values applied (for `qm config`).
    pub fn with_pending(&self) -> BTreeMap<String, String> {
        let mut m = self.main.keys.clone();
        for (k, v) in &self.pending.keys {
            m.insert(k.clone(), v.clone());
        }
        for k in self.pending_delete.keys() {
            m.remove(k);
        }
        m
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.main.get(key)
    }

    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.main.keys.insert(key.into(), value.into());
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.main.keys.remove(key)
    }

    /// Drives of the main section (drive keys only), in iteration order.
    pub fn drives(&self) -> Vec<(String, Drive)> {
        let mut v: Vec<(String, Drive)> = self
            .main
            .keys
            .iter()
            .filter(|(k, _)| is_drive_key(k))
            .filter_map(|(k, val)| Drive::parse(val).ok().map(|d| (k.clone(), d)))
            .collect();
        v.sort_by_key(|(k, _)| super::drive::drive_order(k));
        v
    }

    /// Add `volid` as the lowest free `unusedN` (2.7); returns the key, or
    /// `None` if it is already listed.
    pub fn add_unused(&mut self, volid: &str) -> Result<Option<String>, String> {
        let mut free = None;
        for i in 0..256 {
            let k = format!("unused{i}");
            match self.main.keys.get(&k) {
                Some(v) if v == volid => return Ok(None),
                Some(_) => {}
                None => {
                    if free.is_none() {
                        free = Some(k)
                    }
                }
            }
        }
        let k =
            free.ok_or_else(|| "Too many unused volumes - please delete them first.".to_string())?;
        self.main.keys.insert(k.clone(), volid.into());
        Ok(Some(k))
    }
}

/// The error for a value with a line break (only the description, written
/// as comment lines, may have them).
pub fn newline_error(key: &str) -> String {
    format!("detected invalid newline inside property '{key}'")
}

/// Refuse command-line values with a line break before anything changes: it
/// would write extra keys or sections into the config (the description is
/// written as comment lines and may have them).
pub fn check_no_line_breaks(values: &[(String, String)]) -> super::vm::GResult<()> {
    match values
        .iter()
        .find(|(k, v)| k != "description" && v.contains(['\n', '\r']))
    {
        Some((k, _)) => super::vm::err(newline_error(k)),
        None => Ok(()),
    }
}

fn write_section(out: &mut String, s: &ConfigSection, pending: bool) {
    if let Some(d) = &s.description {
        if pending && d.is_empty() {
            out.push_str("#\n");
        } else if !d.is_empty() && d != "0" {
            for l in d.split('\n') {
                out.push('#');
                out.push_str(&encode_description(l));
                out.push('\n');
            }
        }
    }
    for (k, v) in &s.keys {
        out.push_str(k);
        out.push_str(": ");
        out.push_str(v);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PENDING_EXAMPLE: &str = "boot: order=scsi0;net0\ncores: 2\ncpu: x86-64-v2-AES\nmemory: 2048\nname: web01\nnet0: virtio=BC:24:11:5E:7A:01,bridge=vmbr0\nostype: l26\nscsi0: local-zfs:vm-100-disk-0,size=32G\n\n[PENDING]\ncores: 4\ndelete: cpu,!ostype\n";
    const SNAP_EXAMPLE: &str = "boot: order=scsi0\nmemory: 2048\nparent: before-upgrade\nscsi0: local-zfs:vm-100-disk-0,size=32G\n\n[before-upgrade]\n#state before apt upgrade\nboot: order=scsi0\nmemory: 2048\nscsi0: local-zfs:vm-100-disk-0,size=32G\nsnaptime: 1717171717\n";

    #[test]
    fn spec_examples_round_trip() {
        for t in [PENDING_EXAMPLE, SNAP_EXAMPLE] {
            let (c, w) = VmConfig::parse(t, 100);
            assert!(w.is_empty(), "{w:?}");
            assert_eq!(c.write(), t);
        }
        let (c, _) = VmConfig::parse(PENDING_EXAMPLE, 100);
        assert_eq!(c.pending_delete.get("ostype"), Some(&true));
        let applied = c.with_pending();
        assert_eq!(applied.get("cores").map(|s| s.as_str()), Some("4"));
        assert!(!applied.contains_key("cpu"));
    }

    #[test]
    fn descriptions_and_boot_blank() {
        let mut c = VmConfig::default();
        c.main.description = Some("Web server: prod\n100% ok\nBüro".into());
        c.set("boot", " ");
        let t = c.write();
        assert_eq!(t, "#Web server%3A prod\n#100%25 ok\n#B%C3%BCro\nboot:  \n");
        let (back, w) = VmConfig::parse(&t, 100);
        assert!(w.is_empty());
        assert_eq!(back, c);
        let (p, _) = VmConfig::parse("memory: 512\n\n[PENDING]\n#\ncores: 2\n", 100);
        assert_eq!(p.pending.description.as_deref(), Some(""));
        assert_eq!(p.write(), "memory: 512\n\n[PENDING]\n#\ncores: 2\n");
    }

    #[test]
    fn bad_lines_warn_and_are_dropped() {
        let t = "memory: lots\nfoo: 1\nboot:\ncores: 2\ncdrom: none,media=cdrom\n[weird section!]\nx: 1\n";
        let (c, w) = VmConfig::parse(t, 100);
        assert_eq!(
            w,
            vec![
                "vm 100 - unable to parse value of 'memory' - invalid format - value 'lots' is not a valid memory size",
                "vm 100 - unable to parse value of 'foo' - unknown setting 'foo'",
                "vm 100 - unable to parse config: boot:",
                "vm 100 - skipping unknown section: 'weird section!'",
            ]
        );
        assert_eq!(c.write(), "cores: 2\nide2: none,media=cdrom\n");
    }

    #[test]
    fn unused_handling() {
        let mut c = VmConfig::default();
        c.set("scsi0", "local-zfs:vm-100-disk-0,size=1G");
        c.set("unused0", "local-zfs:vm-100-disk-0");
        assert_eq!(c.write(), "scsi0: local-zfs:vm-100-disk-0,size=1G\n");
        c.remove("unused0");
        assert_eq!(
            c.add_unused("local-zfs:vm-100-disk-1").unwrap().as_deref(),
            Some("unused0")
        );
        assert_eq!(c.add_unused("local-zfs:vm-100-disk-1").unwrap(), None);
    }

    #[test]
    fn keys_are_classified_at_their_bounds() {
        let kind = |k: &str| key_kind(k);
        assert_eq!(kind("numa"), Some(KeyKind::Bool));
        assert_eq!(kind("numa7"), Some(KeyKind::Indexed));
        assert_eq!(kind("numa8"), None);
        assert_eq!(kind("cores"), Some(KeyKind::Int));
        assert_eq!(kind("cpulimit"), Some(KeyKind::Num));
        assert_eq!(kind("memory"), Some(KeyKind::Str));
        assert_eq!(kind("scsi30"), Some(KeyKind::Drive));
        assert_eq!(kind("scsi31"), None);
        assert_eq!(kind("scsi01"), None);
        assert_eq!(kind("efidisk0"), Some(KeyKind::Drive));
        assert_eq!(kind("efidisk1"), None);
        assert_eq!(kind("unused255"), Some(KeyKind::Unused));
        assert_eq!(kind("unused256"), None);
        assert_eq!(kind("net31"), Some(KeyKind::Indexed));
        assert_eq!(kind("net32"), None);
        assert_eq!(kind("bogus"), None);
        assert_eq!(kind(""), None);
        assert_eq!(value_type("onboot"), "boolean");
        assert_eq!(value_type("sockets"), "integer");
        assert_eq!(value_type("migrate_downtime"), "number");
        assert_eq!(value_type("name"), "string");

        // each kind's check, and its error text
        assert_eq!(check_value("onboot", "yes").as_deref(), Ok("1"));
        assert_eq!(
            check_value("cores", "2x"),
            Err("type check ('integer') failed - got '2x'".into())
        );
        assert_eq!(check_value("cpulimit", "1.5").as_deref(), Ok("1.5"));
        assert_eq!(
            check_value("cpulimit", "1."),
            Err("type check ('number') failed - got '1.'".into())
        );
        assert_eq!(
            check_value("memory", "8"),
            Err("invalid format - value '8' is not a valid memory size".into())
        );
        assert_eq!(
            check_value("unused3", "not a volume"),
            Err("unable to parse volume ID 'not a volume'".into())
        );
        assert!(check_value("unused3", "local:vm-100-disk-0").is_ok());
        assert!(check_value("scsi0", "local-zfs:vm-100-disk-0,size=1G").is_ok());
        assert!(check_value("net0", "virtio=BC:24:11:00:00:01,bridge=vmbr0").is_ok());
        assert_eq!(
            check_value("scsi31", "x"),
            Err("unknown setting 'scsi31'".into())
        );
        for ok in ["0", "2", "0.5", "10.25"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", ".", ".5", "1.", "-1", "1.2.3", "1e3", " 1"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }
}
