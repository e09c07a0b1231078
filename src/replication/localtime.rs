//! Local time for schedules and rendered timestamps: civil-date arithmetic,
//! and the time zone named by `TZ` (UTC when unset), read from the system's
//! TZif files or given as a POSIX TZ rule.
//!
//! The CLI layer reads `TZ` and builds a [`Zone`] with [`Zone::from_tz`];
//! domain code only receives the `Zone`.

use std::path::Path;

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date (year, month 1-12, day 1-31) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Weekday of a day count since 1970-01-01, Monday = 0 .. Sunday = 6.
pub fn weekday_from_days(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

/// Broken-down calendar time (no zone attached).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

impl Civil {
    /// Seconds since the epoch if these fields were UTC.
    pub fn as_utc_seconds(&self) -> i64 {
        days_from_civil(self.year, self.month, 1) * 86400
            + (self.day - 1) * 86400
            + self.hour * 3600
            + self.minute * 60
            + self.second
    }

    /// The fields of a UTC-based second count (normalizes any overflow).
    pub fn from_utc_seconds(t: i64) -> Civil {
        let days = t.div_euclid(86400);
        let secs = t.rem_euclid(86400);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
        }
    }

    /// Monday = 0 .. Sunday = 6.
    pub fn weekday(&self) -> i64 {
        weekday_from_days(days_from_civil(self.year, self.month, self.day))
    }

    /// `YYYY-MM-DD HH:MM:SS`.
    pub fn format(&self, date_time_sep: char) -> String {
        format!(
            "{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}",
            self.year, self.month, self.day, date_time_sep, self.hour, self.minute, self.second
        )
    }
}

/// One local-time type of a zone: offset east of UTC in seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LocalType {
    offset: i64,
}

/// A POSIX TZ rule date (`Mm.w.d`, `Jn` or `n`) with its time of day.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RuleDate {
    /// Month, week 1-5 (5 = last), weekday 0 = Sunday.
    MonthWeekDay(i64, i64, i64),
    /// Julian day 1-365, February 29 never counted.
    Julian1(i64),
    /// Zero-based day of year 0-365, counting February 29.
    Julian0(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PosixRule {
    std_offset: i64,
    dst: Option<(i64, RuleDate, i64, RuleDate, i64)>,
}

/// A time zone: UTC, or transitions read from a TZif file, or a POSIX rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Zone {
    transitions: Vec<(i64, usize)>,
    types: Vec<LocalType>,
    /// Offset before the first transition.
    initial: i64,
    /// Rule after the last transition (the TZif footer), if any.
    rule: Option<PosixRule>,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone::default()
    }

    /// The zone named by a `TZ` value: empty or unset is UTC; a name is
    /// looked up under `/usr/share/zoneinfo`; otherwise a POSIX rule. A value
    /// that cannot be understood falls back to UTC, as the C library does.
    pub fn from_tz(tz: Option<&str>) -> Zone {
        let Some(tz) = tz.map(str::trim).filter(|s| !s.is_empty()) else {
            return Zone::utc();
        };
        let name = tz.strip_prefix(':').unwrap_or(tz);
        if !name.contains("..") {
            let path = if name.starts_with('/') {
                Path::new(name).to_path_buf()
            } else {
                Path::new("/usr/share/zoneinfo").join(name)
            };
            if let Ok(bytes) = std::fs::read(&path) {
                if let Some(z) = Zone::from_tzif(&bytes) {
                    return z;
                }
            }
        }
        match parse_posix(name) {
            Some(rule) => Zone {
                initial: rule.std_offset,
                rule: Some(rule),
                ..Zone::default()
            },
            None => Zone::utc(),
        }
    }

    /// A zone with a fixed offset (seconds east of UTC); used by tests.
    pub fn fixed(offset: i64) -> Zone {
        Zone {
            initial: offset,
            ..Zone::default()
        }
    }

    /// Parse TZif data (version 1, 2 or 3).
    pub fn from_tzif(data: &[u8]) -> Option<Zone> {
        let hdr = |d: &[u8]| -> Option<[usize; 6]> {
            if d.len() < 44 || &d[0..4] != b"TZif" {
                return None;
            }
            let mut c = [0usize; 6];
            for (i, v) in c.iter_mut().enumerate() {
                let o = 20 + i * 4;
                *v = u32::from_be_bytes(d[o..o + 4].try_into().ok()?) as usize;
            }
            Some(c)
        };
        let c = hdr(data)?;
        let version = data[4];
        let v1_len = c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
        let (body, tsize, counts) = if version >= b'2' {
            let second = data.get(44 + v1_len..)?;
            (second, 8usize, hdr(second)?)
        } else {
            (data, 4usize, c)
        };
        let [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = counts;
        let mut p = 44usize;
        let read_time = |b: &[u8]| -> i64 {
            if tsize == 8 {
                i64::from_be_bytes(b.try_into().unwrap())
            } else {
                i32::from_be_bytes(b.try_into().unwrap()) as i64
            }
        };
        let times = body.get(p..p + timecnt * tsize)?;
        p += timecnt * tsize;
        let idx = body.get(p..p + timecnt)?;
        p += timecnt;
        let mut types = Vec::new();
        for i in 0..typecnt {
            let t = body.get(p + i * 6..p + i * 6 + 6)?;
            types.push(LocalType {
                offset: i32::from_be_bytes(t[0..4].try_into().ok()?) as i64,
            });
        }
        p += typecnt * 6 + charcnt + leapcnt * (tsize + 4) + isstdcnt + isutcnt;
        if types.is_empty() {
            return None;
        }
        let mut transitions = Vec::new();
        for i in 0..timecnt {
            let ty = idx[i] as usize;
            if ty >= types.len() {
                return None;
            }
            transitions.push((read_time(&times[i * tsize..i * tsize + tsize]), ty));
        }
        let rule = if tsize == 8 {
            body.get(p..).and_then(|rest| {
                let s = std::str::from_utf8(rest).ok()?;
                let s = s.strip_prefix('\n')?;
                let line = s.split('\n').next()?;
                parse_posix(line)
            })
        } else {
            None
        };
        Some(Zone {
            initial: types[0].offset,
            transitions,
            types,
            rule,
        })
    }

    /// Offset east of UTC (seconds) in effect at epoch second `t`.
    pub fn offset_at(&self, t: i64) -> i64 {
        if let Some(&(last_t, last_ty)) = self.transitions.last() {
            if t >= last_t {
                if let Some(rule) = &self.rule {
                    return rule.offset_at(t);
                }
                return self.types[last_ty].offset;
            }
            let pos = self.transitions.partition_point(|&(tt, _)| tt <= t);
            if pos == 0 {
                return self.initial;
            }
            return self.types[self.transitions[pos - 1].1].offset;
        }
        match &self.rule {
            Some(rule) => rule.offset_at(t),
            None => self.initial,
        }
    }

    /// Local calendar fields of epoch second `t`.
    pub fn to_local(&self, t: i64) -> Civil {
        Civil::from_utc_seconds(t + self.offset_at(t))
    }

    /// The epoch second of local time `c`: its first occurrence when the
    /// local time occurs twice, `None` when it does not exist (skipped by a
    /// forward clock change).
    pub fn from_local(&self, c: &Civil) -> Option<i64> {
        let l = c.as_utc_seconds();
        let mut offsets = vec![
            self.offset_at(l - 86400),
            self.offset_at(l),
            self.offset_at(l + 86400),
        ];
        offsets.sort_unstable();
        offsets.dedup();
        offsets
            .into_iter()
            .map(|o| l - o)
            .filter(|&e| e + self.offset_at(e) == l)
            .min()
    }

    /// `YYYY-MM-DD HH:MM:SS` in this zone.
    pub fn format(&self, t: i64) -> String {
        self.to_local(t).format(' ')
    }
}

impl PosixRule {
    fn offset_at(&self, t: i64) -> i64 {
        let Some((dst_offset, start, start_time, end, end_time)) = &self.dst else {
            return self.std_offset;
        };
        // Work in the year of t (by standard local time).
        let year = Civil::from_utc_seconds(t + self.std_offset).year;
        let mut in_dst = false;
        for y in [year - 1, year, year + 1] {
            // Transition to DST happens at start_time local standard time;
            // back to standard at end_time local DST time.
            let s = rule_day(start, y) * 86400 + start_time - self.std_offset;
            let e = rule_day(end, y) * 86400 + end_time - dst_offset;
            if s < e {
                if t >= s && t < e {
                    in_dst = true;
                }
            } else {
                // Southern hemisphere: DST spans the new year.
                let next_e = rule_day(end, y + 1) * 86400 + end_time - dst_offset;
                if t >= s && t < next_e {
                    in_dst = true;
                }
            }
        }
        if in_dst {
            *dst_offset
        } else {
            self.std_offset
        }
    }
}

/// Day number (since the epoch) of a rule date in year `y`.
fn rule_day(d: &RuleDate, y: i64) -> i64 {
    match *d {
        RuleDate::Julian0(n) => days_from_civil(y, 1, 1) + n,
        RuleDate::Julian1(n) => {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            days_from_civil(y, 1, 1) + n - 1 + if leap && n >= 60 { 1 } else { 0 }
        }
        RuleDate::MonthWeekDay(m, w, wd) => {
            let first = days_from_civil(y, m, 1);
            // weekday_from_days is Monday = 0; POSIX uses Sunday = 0.
            let first_wd = (weekday_from_days(first) + 1) % 7;
            let mut day = first + (wd - first_wd).rem_euclid(7) + (w - 1) * 7;
            let next_month = if m == 12 {
                days_from_civil(y + 1, 1, 1)
            } else {
                days_from_civil(y, m + 1, 1)
            };
            while day >= next_month {
                day -= 7;
            }
            day
        }
    }
}

/// Parse a POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3` or `UTC0`.
fn parse_posix(s: &str) -> Option<PosixRule> {
    let b = s.as_bytes();
    let mut i = 0usize;
    let name = |i: &mut usize| -> Option<()> {
        if b.get(*i) == Some(&b'<') {
            let end = s[*i..].find('>')?;
            *i += end + 1;
        } else {
            let start = *i;
            while *i < b.len() && b[*i].is_ascii_alphabetic() {
                *i += 1;
            }
            if *i - start < 3 {
                return None;
            }
        }
        Some(())
    };
    // [+-]hh[:mm[:ss]] in seconds, sign as written.
    let hms = |i: &mut usize| -> Option<i64> {
        let mut sign = 1;
        if b.get(*i) == Some(&b'+') {
            *i += 1;
        } else if b.get(*i) == Some(&b'-') {
            sign = -1;
            *i += 1;
        }
        let mut parts = [0i64; 3];
        for (k, part) in parts.iter_mut().enumerate() {
            if k > 0 {
                if b.get(*i) != Some(&b':') {
                    break;
                }
                *i += 1;
            }
            let start = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            if *i == start {
                return None;
            }
            *part = s[start..*i].parse().ok()?;
        }
        Some(sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]))
    };
    name(&mut i)?;
    let std_offset = -hms(&mut i)?;
    if i == b.len() {
        return Some(PosixRule {
            std_offset,
            dst: None,
        });
    }
    name(&mut i)?;
    let dst_offset = if i < b.len() && b[i] != b',' {
        -hms(&mut i)?
    } else {
        std_offset + 3600
    };
    let date = |i: &mut usize| -> Option<(RuleDate, i64)> {
        if b.get(*i) != Some(&b',') {
            return None;
        }
        *i += 1;
        let num = |i: &mut usize| -> Option<i64> {
            let start = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            s[start..*i].parse().ok()
        };
        let d = match b.get(*i) {
            Some(b'M') => {
                *i += 1;
                let m = num(i)?;
                (b.get(*i) == Some(&b'.')).then_some(())?;
                *i += 1;
                let w = num(i)?;
                (b.get(*i) == Some(&b'.')).then_some(())?;
                *i += 1;
                let d = num(i)?;
                if !(1..=12).contains(&m) || !(1..=5).contains(&w) || !(0..=6).contains(&d) {
                    return None;
                }
                RuleDate::MonthWeekDay(m, w, d)
            }
            Some(b'J') => {
                *i += 1;
                RuleDate::Julian1(num(i)?)
            }
            _ => RuleDate::Julian0(num(i)?),
        };
        let time = if b.get(*i) == Some(&b'/') {
            *i += 1;
            hms(i)?
        } else {
            7200
        };
        Some((d, time))
    };
    let (start, st) = date(&mut i)?;
    let (end, et) = date(&mut i)?;
    if i != b.len() {
        return None;
    }
    Some(PosixRule {
        std_offset,
        dst: Some((dst_offset, start, st, end, et)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for d in [-800_000i64, -1, 0, 1, 59, 10_000, 19_856, 2_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(days_from_civil(2024, 5, 13), 19_856);
        assert_eq!(weekday_from_days(19_856), 0); // a Monday
        assert_eq!(weekday_from_days(0), 3); // a Thursday
    }

    #[test]
    fn utc_format() {
        let z = Zone::utc();
        assert_eq!(z.format(1_715_594_880), "2024-05-13 10:08:00");
        assert_eq!(
            z.from_local(&z.to_local(1_715_594_880)),
            Some(1_715_594_880)
        );
    }

    #[test]
    fn posix_rule_europe() {
        let z = Zone::from_tz(Some("CET-1CEST,M3.5.0,M10.5.0/3"));
        // 2024-03-31 01:00:00 UTC: clocks go from 02:00 CET to 03:00 CEST.
        assert_eq!(z.offset_at(1_711_846_799), 3600);
        assert_eq!(z.offset_at(1_711_846_800), 7200);
        // 2024-10-27 01:00:00 UTC: back to CET.
        assert_eq!(z.offset_at(1_729_990_799), 7200);
        assert_eq!(z.offset_at(1_729_990_800), 3600);
        // 02:30 on 2024-03-31 does not exist.
        let gap = Civil {
            year: 2024,
            month: 3,
            day: 31,
            hour: 2,
            minute: 30,
            second: 0,
        };
        assert_eq!(z.from_local(&gap), None);
        // 02:30 on 2024-10-27 exists twice; the first is in CEST.
        let twice = Civil {
            month: 10,
            day: 27,
            ..gap
        };
        assert_eq!(z.from_local(&twice), Some(1_729_989_000));
    }

    #[test]
    fn tzif_matches_rule_when_available() {
        let Ok(bytes) = std::fs::read("/usr/share/zoneinfo/Europe/Vienna") else {
            return; // no zoneinfo on this machine
        };
        let z = Zone::from_tzif(&bytes).expect("valid TZif");
        assert_eq!(z.offset_at(1_711_846_799), 3600);
        assert_eq!(z.offset_at(1_711_846_800), 7200);
        // Far future: served by the footer rule.
        assert_eq!(z.offset_at(4_102_444_800 + 180 * 86400), 7200);
        assert_eq!(z.format(1_715_594_880), "2024-05-13 12:08:00");
    }

    #[test]
    fn bad_tz_is_utc() {
        assert_eq!(Zone::from_tz(Some("Nowhere/Atlantis")).offset_at(0), 0);
        assert_eq!(Zone::from_tz(None).offset_at(0), 0);
        assert_eq!(Zone::from_tz(Some("EST5EDT")).offset_at(0), -5 * 3600);
    }
}
