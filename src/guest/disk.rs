//! Disk arguments of `qm create` / `qm set`: the allocation syntax
//! (`local-zfs:32`, `4` with `--storage`) versus an existing volume, and the
//! allocation itself; plus the NIC, tag and boot-order helpers of create/set.

use super::config::VmConfig;
use super::drive::{drive_keys, is_drive_key, Drive};
use super::vm::{err, param, seeded_bytes, Ctx, GResult, Term};
use crate::storage::{size::format_disk_size, StorageConfig};

/// What a drive argument asks for.
#[derive(Debug, Clone)]
pub enum DiskArg {
    /// Allocate a new volume of `gib` GiB on `sid` (None: the `--storage`).
    Alloc {
        sid: Option<String>,
        gib: String,
        drive: Drive,
    },
    /// Attach a volume that must exist.
    Volume(Drive),
    /// `none`, `cdrom`, or a path.
    Other(Drive),
}

/// Classify a drive argument.
pub fn parse_disk_arg(key: &str, value: &str) -> GResult<DiskArg> {
    let drive = match Drive::parse(value) {
        Ok(d) => d,
        Err(e) => return param(key, format!("invalid format - {e}")),
    };
    let too_big = |gib: &str| {
        param(
            key,
            format!("invalid format - disk size '{gib}' GiB is too large"),
        )
    };
    if super::config::is_decimal(&drive.file) {
        if gib_to_bytes_checked(&drive.file).is_none() {
            return too_big(&drive.file);
        }
        return Ok(DiskArg::Alloc {
            sid: None,
            gib: drive.file.clone(),
            drive,
        });
    }
    if let Some((sid, rest)) = drive.file.split_once(':') {
        if super::config::is_decimal(rest) && crate::storage::config::valid_storage_id(sid) {
            if gib_to_bytes_checked(rest).is_none() {
                return too_big(rest);
            }
            return Ok(DiskArg::Alloc {
                sid: Some(sid.into()),
                gib: rest.into(),
                drive,
            });
        }
        if crate::storage::volid::parse_volid(&drive.file).is_none() {
            return param(key, format!("unable to parse volume ID '{}'", drive.file));
        }
        return Ok(DiskArg::Volume(drive));
    }
    if drive.file == "none" || drive.file == "cdrom" || drive.file.starts_with('/') {
        return Ok(DiskArg::Other(drive));
    }
    param(key, format!("unable to parse volume ID '{}'", drive.file))
}

/// Bytes of a GiB argument (KiB granularity, rounded up).
pub fn gib_to_bytes(gib: &str) -> u64 {
    gib_to_bytes_checked(gib).unwrap_or(u64::MAX)
}

/// [`gib_to_bytes`], `None` when the size does not fit in 64 bits of bytes.
pub fn gib_to_bytes_checked(gib: &str) -> Option<u64> {
    let (i, f) = gib.split_once('.').unwrap_or((gib, ""));
    let whole: u64 = i.parse::<u64>().ok()?.checked_mul(1_048_576)?;
    let frac_kib = if f.is_empty() {
        0
    } else {
        let digits = f.len().min(15) as u32;
        let num: u128 = f[..digits as usize].parse().unwrap_or(0);
        let scale = 10u128.pow(digits);
        (num * 1_048_576).div_ceil(scale) as u64
    };
    whole.checked_add(frac_kib)?.checked_mul(1024)
}

/// Check a storage for image allocation before anything happens (create
/// step 2): existence and `images` content.
pub fn precheck_alloc(cfg: &StorageConfig, sid: &str) -> GResult<()> {
    let Some(st) = cfg.get(sid) else {
        return err(format!("storage '{sid}' does not exist"));
    };
    if !st.has_content("images") {
        return param(
            "storage",
            format!("storage '{sid}' does not support vm images"),
        );
    }
    Ok(())
}

/// Allocate a volume for drive `key` on the local node; returns the stored
/// drive text (file replaced, `size=` set, `format=` dropped) and prints
/// the `successfully created disk` line.
#[allow(clippy::too_many_arguments)]
pub fn allocate(
    ctx: &Ctx,
    cfg: &StorageConfig,
    vmid: u32,
    key: &str,
    sid: &str,
    gib: &str,
    drive: &Drive,
    term: &mut Term,
) -> GResult<(String, String)> {
    let inst = ctx.instance(cfg, sid, &ctx.node)?;
    let fmt = match drive.get("format") {
        Some(f) if inst.storage.supported_formats().contains(&f) => f.to_string(),
        _ => inst.storage.default_format().to_string(),
    };
    let (req, cfg_size_from_rec) = match key {
        "efidisk0" => (
            if drive.get("efitype") == Some("4m") {
                540_672
            } else {
                131_072
            },
            true,
        ),
        "tpmstate0" => (4 << 20, true),
        _ => (gib_to_bytes(gib), false),
    };
    let rec = inst.alloc(vmid, None, req, &fmt, ctx.now)?;
    let mut d = drive.clone();
    d.file = rec.volid.clone();
    d.props.remove("format");
    d.props.set(
        "size",
        format_disk_size(if cfg_size_from_rec { rec.size } else { req }),
    );
    let text = d.to_text();
    term.out(format!("{key}: successfully created disk '{text}'"));
    Ok((text, rec.volid))
}

/// Generate a MAC address with the datacenter prefix (default `BC:24:11`).
pub fn gen_mac(seed: &str, prefix: &str) -> String {
    let mut b = seeded_bytes(seed, 6);
    b[0] = (b[0] & 0xfe) | 0x02;
    let p: Vec<u8> = prefix
        .split(':')
        .filter_map(|x| u8::from_str_radix(x, 16).ok())
        .collect();
    for (i, v) in p.iter().enumerate().take(6) {
        b[i] = *v;
    }
    b.iter()
        .map(|x| format!("{x:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

const NIC_MODELS: [&str; 12] = [
    "e1000",
    "e1000-82540em",
    "e1000-82544gc",
    "e1000-82545em",
    "e1000e",
    "i82551",
    "i82557b",
    "i82559er",
    "ne2k_isa",
    "ne2k_pci",
    "pcnet",
    "rtl8139",
];

fn is_nic_model(m: &str) -> bool {
    NIC_MODELS.contains(&m) || m == "virtio" || m == "vmxnet3"
}

/// Normalize a `netN` value: `<model>=<MAC>` first (MAC generated when
/// missing), other properties in ascending order.
pub fn normalize_net(key: &str, value: &str, seed: &str) -> GResult<String> {
    let mut model = None;
    let mut mac = None;
    let mut rest: Vec<(String, String)> = Vec::new();
    for part in value.split(',').filter(|p| !p.is_empty()) {
        let (k, v) = match part.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (part, None),
        };
        if is_nic_model(k) && model.is_none() {
            model = Some(k.to_string());
            mac = v.map(|s| s.to_ascii_uppercase());
        } else if k == "model" {
            model = v.map(|s| s.to_string());
        } else if k == "macaddr" {
            mac = v.map(|s| s.to_ascii_uppercase());
        } else if let Some(v) = v {
            rest.push((k.into(), v.into()));
        } else {
            return param(key, format!("invalid format - value without key: '{part}'"));
        }
    }
    let Some(model) = model.filter(|m| is_nic_model(m)) else {
        return param(
            key,
            "invalid format - missing property - 'model' is required",
        );
    };
    let mac = mac.unwrap_or_else(|| gen_mac(seed, "BC:24:11"));
    rest.sort();
    let mut out = format!("{model}={mac}");
    for (k, v) in rest {
        out.push_str(&format!(",{k}={v}"));
    }
    Ok(out)
}

/// Normalize `tags`: lower-cased, de-duplicated, sorted case-insensitively.
pub fn normalize_tags(v: &str) -> String {
    let mut t: Vec<String> = v
        .split([';', ',', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase())
        .collect();
    t.sort();
    t.dedup();
    t.join(";")
}

/// Default boot order for a new VM (3.4 step 5).
pub fn default_boot(cfg: &VmConfig) -> String {
    let mut parts = Vec::new();
    let drives: Vec<(String, Drive)> = drive_keys()
        .into_iter()
        .filter(|k| k != "efidisk0" && k != "tpmstate0")
        .filter_map(|k| {
            cfg.get(&k)
                .and_then(|v| Drive::parse(v).ok())
                .map(|d| (k, d))
        })
        .collect();
    if let Some((k, _)) = drives.iter().find(|(_, d)| !d.is_cdrom()) {
        parts.push(k.clone());
    }
    if let Some((k, _)) = drives.iter().find(|(_, d)| d.is_cdrom()) {
        parts.push(k.clone());
    }
    if let Some(n) = (0..32)
        .map(|i| format!("net{i}"))
        .find(|k| cfg.get(k).is_some())
    {
        parts.push(n);
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("order={}", parts.join(";"))
    }
}

/// The boot order list of a `boot` value (`order=a;b`), if any.
pub fn boot_order(v: &str) -> Option<Vec<String>> {
    let v = v.trim();
    let o = v.split(',').find_map(|p| p.strip_prefix("order="))?;
    Some(
        o.split(';')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    )
}

/// Whether a drive key holds a drive (for boot-disk selection).
pub fn boot_disk_size(cfg: &std::collections::BTreeMap<String, String>) -> u64 {
    let order: Vec<String> = match cfg.get("boot").and_then(|b| boot_order(b)) {
        Some(o) => o,
        None => cfg
            .get("bootdisk")
            .map(|b| vec![b.clone()])
            .unwrap_or_default(),
    };
    for k in order {
        if !is_drive_key(&k) {
            continue;
        }
        if let Some(d) = cfg.get(&k).and_then(|v| Drive::parse(v).ok()) {
            if d.is_cdrom() || d.volid().is_none() {
                continue;
            }
            return d.size().unwrap_or(0);
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_sizes_nets_tags_boot() {
        assert!(
            matches!(parse_disk_arg("scsi0", "local-zfs:32").unwrap(), DiskArg::Alloc { sid: Some(s), .. } if s == "local-zfs")
        );
        assert!(matches!(
            parse_disk_arg("scsi0", "0.5,iothread=1").unwrap(),
            DiskArg::Alloc { sid: None, .. }
        ));
        assert!(matches!(
            parse_disk_arg("scsi0", "local-zfs:vm-100-disk-0").unwrap(),
            DiskArg::Volume(_)
        ));
        assert!(matches!(
            parse_disk_arg("ide2", "none,media=cdrom").unwrap(),
            DiskArg::Other(_)
        ));
        assert!(parse_disk_arg("scsi0", "bogus").is_err());
        assert_eq!(gib_to_bytes("32"), 34359738368);
        assert_eq!(
            gib_to_bytes_checked("17179869183"),
            Some(18446744072635809792)
        );
        assert_eq!(gib_to_bytes_checked("17179869184"), None);
        assert_eq!(gib_to_bytes_checked("99999999999999999999"), None);
        assert_eq!(gib_to_bytes("0.5"), 536870912);
        let n = normalize_net("net0", "virtio,bridge=vmbr0,firewall=1", "s").unwrap();
        assert!(
            n.starts_with("virtio=BC:24:11:") && n.ends_with(",bridge=vmbr0,firewall=1"),
            "{n}"
        );
        assert_eq!(
            normalize_net(
                "net0",
                "virtio=bc:24:11:5e:7a:01,firewall=1,bridge=vmbr0",
                "s"
            )
            .unwrap(),
            "virtio=BC:24:11:5E:7A:01,bridge=vmbr0,firewall=1"
        );
        assert_eq!(normalize_tags("Prod;web;prod"), "prod;web");
        let (c, _) = VmConfig::parse(
            "efidisk0: a:vm-1-disk-0,size=1M\nvirtio0: a:vm-1-disk-1,size=1G\n",
            1,
        );
        assert_eq!(default_boot(&c), "order=virtio0");
        let (c, _) = VmConfig::parse("ide2: none,media=cdrom\nnet0: virtio=BC:24:11:00:00:01\nscsi0: a:vm-1-disk-1,size=1G\n", 1);
        assert_eq!(default_boot(&c), "order=scsi0;ide2;net0");
        assert_eq!(default_boot(&VmConfig::default()), "");
        assert_eq!(boot_disk_size(&c.main.keys), 0);
        let mut m = c.main.keys.clone();
        m.insert("boot".into(), "order=ide2;scsi0".into());
        assert_eq!(boot_disk_size(&m), 1 << 30);
    }
}
