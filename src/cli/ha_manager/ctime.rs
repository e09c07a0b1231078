//! C `ctime`-style rendering of simulated timestamps
//! (`Tue Nov 14 22:13:20 2023`) in the zone named by `TZ`, else UTC.
//!
//! The zone's offset comes from the system's compiled zone files
//! (`/usr/share/zoneinfo/<TZ>`, TZif format), or from a plain POSIX
//! `NAME[+-]hh[:mm]` string without daylight saving rules. Anything else
//! falls back to UTC.

use std::path::PathBuf;

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 to (year, month 1-12, day 1-31).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Render `t` (epoch seconds) shifted by `offset` seconds, ctime style.
pub fn ctime_with_offset(t: i64, offset: i64) -> String {
    let local = t + offset;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        d,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        y
    )
}

/// Render `t` in the zone `tz` (the value of `TZ`, if set).
pub fn ctime(t: i64, tz: Option<&str>) -> String {
    ctime_with_offset(t, offset_for(t, tz))
}

/// The UTC offset (seconds east) of zone `tz` at time `t`.
pub fn offset_for(t: i64, tz: Option<&str>) -> i64 {
    let Some(tz) = tz
        .map(|s| s.trim_start_matches(':'))
        .filter(|s| !s.is_empty())
    else {
        return 0;
    };
    let path = if tz.starts_with('/') {
        PathBuf::from(tz)
    } else if tz.contains("..") {
        return 0;
    } else {
        PathBuf::from("/usr/share/zoneinfo").join(tz)
    };
    if let Ok(bytes) = std::fs::read(&path) {
        if let Some(off) = tzif_offset(&bytes, t) {
            return off;
        }
    }
    posix_fixed_offset(tz).unwrap_or(0)
}

/// `NAME[+-]hh[:mm[:ss]]`: POSIX offsets are west-positive.
fn posix_fixed_offset(tz: &str) -> Option<i64> {
    let start = tz.find(|c: char| c == '+' || c == '-' || c.is_ascii_digit())?;
    if start < 3 {
        return None;
    }
    let rest = &tz[start..];
    let (sign, rest) = match rest.as_bytes()[0] {
        b'-' => (1, &rest[1..]),
        b'+' => (-1, &rest[1..]),
        _ => (-1, rest),
    };
    let mut parts = rest.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next().map(|p| p.parse().ok()).unwrap_or(Some(0))?;
    let s: i64 = parts.next().map(|p| p.parse().ok()).unwrap_or(Some(0))?;
    Some(sign * (h * 3600 + m * 60 + s))
}

fn be32(b: &[u8], at: usize) -> Option<i64> {
    Some(i32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?) as i64)
}

fn be64(b: &[u8], at: usize) -> Option<i64> {
    Some(i64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Offset from a TZif file: the type of the last transition at or before
/// `t` (the first standard type before any transition).
fn tzif_offset(b: &[u8], t: i64) -> Option<i64> {
    if b.get(0..4)? != b"TZif" {
        return None;
    }
    let counts = |base: usize| -> Option<[usize; 6]> {
        let mut c = [0usize; 6];
        for (i, x) in c.iter_mut().enumerate() {
            *x = be32(b, base + 20 + i * 4)? as usize;
        }
        Some(c)
    };
    let v1 = counts(0)?;
    let [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = v1;
    let v1_len = timecnt * 4 + timecnt + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt;
    let (base, tsize, c) = if b[4] >= b'2' {
        let base = 44 + v1_len;
        (base, 8usize, counts(base)?)
    } else {
        (0, 4usize, v1)
    };
    let [_, _, _, timecnt, typecnt, _] = c;
    let data = base + 44;
    let times_at = data;
    let idx_at = times_at + timecnt * tsize;
    let types_at = idx_at + timecnt;
    if typecnt == 0 {
        return None;
    }
    let mut ty = 0usize;
    for i in 0..timecnt {
        let tt = if tsize == 8 {
            be64(b, times_at + i * 8)?
        } else {
            be32(b, times_at + i * 4)?
        };
        if tt <= t {
            ty = *b.get(idx_at + i)? as usize;
        } else {
            break;
        }
    }
    be32(b, types_at + ty.min(typecnt - 1) * 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_matches_the_spec_example() {
        assert_eq!(ctime(1_700_000_000, None), "Tue Nov 14 22:13:20 2023");
        assert_eq!(
            ctime(1_700_000_000, Some("UTC")),
            "Tue Nov 14 22:13:20 2023"
        );
        assert_eq!(ctime(0, None), "Thu Jan  1 00:00:00 1970");
        assert_eq!(ctime(1_735_689_600, None), "Wed Jan  1 00:00:00 2025");
    }

    #[test]
    fn fixed_posix_offsets() {
        assert_eq!(
            ctime(1_700_000_000, Some("EST5")),
            "Tue Nov 14 17:13:20 2023"
        );
        assert_eq!(
            ctime(1_700_000_000, Some("XYZ-2")),
            "Wed Nov 15 00:13:20 2023"
        );
    }

    #[test]
    fn zone_files_when_present() {
        if std::path::Path::new("/usr/share/zoneinfo/Europe/Vienna").exists() {
            // winter (CET, +1) and summer (CEST, +2)
            assert_eq!(
                ctime(1_700_000_000, Some("Europe/Vienna")),
                "Tue Nov 14 23:13:20 2023"
            );
            assert_eq!(
                ctime(1_690_000_000, Some("Europe/Vienna")),
                "Sat Jul 22 06:26:40 2023"
            );
        }
    }
}
