//! Size notations: the DiskSize of drive strings (`32G`), the ZFS-style
//! sizes of send streams (`3.21G`) and the binary `render` of migration logs
//! (`2.0 GiB`).

/// Parse a DiskSize: `<number>[K|M|G|T|KiB|MiB|GiB|TiB]`; no suffix means
/// bytes; fractions are allowed and the result is truncated to bytes.
pub fn parse_disk_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') || num.matches('.').count() > 1
    {
        return None;
    }
    let mult: u64 = match unit {
        "" => 1,
        "K" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "T" | "TiB" => 1 << 40,
        _ => return None,
    };
    match num.split_once('.') {
        None => num.parse::<u64>().ok()?.checked_mul(mult),
        Some((i, f)) => {
            let whole = i.parse::<u64>().ok()?.checked_mul(mult)?;
            // fraction * mult, truncated, computed exactly in integers
            let digits = f.len().min(18);
            let frac: u128 = f[..digits].parse().ok()?;
            let scale = 10u128.pow(digits as u32);
            let part = (frac * mult as u128 / scale) as u64;
            whole.checked_add(part)
        }
    }
}

/// Print bytes in DiskSize notation: the largest of T, G, M, K that divides
/// the value exactly, else plain bytes.
pub fn format_disk_size(bytes: u64) -> String {
    if bytes == 0 {
        return "0".into();
    }
    for (unit, shift) in [("T", 40), ("G", 30), ("M", 20), ("K", 10)] {
        let m = 1u64 << shift;
        if bytes.is_multiple_of(m) {
            return format!("{}{unit}", bytes / m);
        }
    }
    bytes.to_string()
}

/// Format a size as ZFS prints estimated stream sizes (1024-based units,
/// at most 5 characters where decimals are involved).
pub fn format_zfs_size(value: u64) -> String {
    const UNITS: [&str; 7] = ["B", "K", "M", "G", "T", "P", "E"];
    let mut k = 0usize;
    let mut v = value;
    while v >= 1024 && k < 6 {
        v /= 1024;
        k += 1;
    }
    if k == 0 {
        return format!("{value}B");
    }
    let div = 1u128 << (10 * k);
    let unit = UNITS[k];
    if (value as u128).is_multiple_of(div) {
        return format!("{}{unit}", value as u128 / div);
    }
    let x = value as f64 / div as f64;
    for decimals in [2usize, 1, 0] {
        let s = format!("{x:.decimals$}{unit}");
        if s.len() <= 5 || decimals == 0 {
            return s;
        }
    }
    unreachable!()
}

/// The binary `render` of migration logs: `<v>.0 B` up to 1023, else one
/// decimal in KiB, MiB, GiB, TiB or PiB.
pub fn render_bytes(value: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if value <= 1023 {
        return format!("{value}.0 B");
    }
    let mut k = 0usize;
    let mut v = value;
    while v >= 1024 && k < 5 {
        v /= 1024;
        k += 1;
    }
    let x = value as f64 / (1u128 << (10 * k)) as f64;
    format!("{x:.1} {}", UNITS[k - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_size_in_and_out() {
        assert_eq!(parse_disk_size("32G"), Some(34359738368));
        assert_eq!(parse_disk_size("32GiB"), Some(34359738368));
        assert_eq!(parse_disk_size("0.5G"), Some(536870912));
        assert_eq!(parse_disk_size("1000"), Some(1000));
        assert_eq!(parse_disk_size("1.5K"), Some(1536));
        assert_eq!(parse_disk_size("x"), None);
        assert_eq!(parse_disk_size("12Q"), None);
        assert_eq!(parse_disk_size(""), None);
        assert_eq!(format_disk_size(34359738368), "32G");
        assert_eq!(format_disk_size(1610612736), "1536M");
        assert_eq!(format_disk_size(540672), "528K");
        assert_eq!(format_disk_size(4194304), "4M");
        assert_eq!(format_disk_size(1000), "1000");
        assert_eq!(format_disk_size(1 << 40), "1T");
    }

    #[test]
    fn zfs_sizes_match_the_spec_examples() {
        for (v, s) in [
            (4096, "4K"),
            (624, "624B"),
            (34359738368, "32G"),
            (1048576, "1M"),
            (5242880, "5M"),
            (3447717069, "3.21G"),
            (1289748, "1.23M"),
            (11274289152, "10.5G"),
            (129446707, "123M"),
            (1073217536, "1024M"),
        ] {
            assert_eq!(format_zfs_size(v), s, "{v}");
        }
        // 32 GiB + 17 MiB: 2 decimals would give 6 chars, so 1 decimal
        assert_eq!(format_zfs_size(34359738368 + 17 * 1048576), "32.0G");
    }

    #[test]
    fn render_matches_the_spec_examples() {
        assert_eq!(render_bytes(2147483648), "2.0 GiB");
        assert_eq!(render_bytes(268435456), "256.0 MiB");
        assert_eq!(render_bytes(1536), "1.5 KiB");
        assert_eq!(render_bytes(1023), "1023.0 B");
        assert_eq!(render_bytes(34359738368), "32.0 GiB");
    }
}
