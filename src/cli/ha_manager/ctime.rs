//! C `ctime`-style rendering of simulated timestamps
//! (`Tue Nov 14 22:13:20 2023`) in the zone named by `TZ`, else UTC.
//!
//! The zone's offset comes from the shared time zone model
//! ([`crate::replication::localtime::Zone`]: zone files, POSIX rules, UTC).

use crate::replication::localtime::Zone;

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
    Zone::from_tz(tz).offset_at(t)
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
