//! A replication job (one section of `replication.cfg`, pvesr.md §3) and the
//! job-id rules of §2.

use std::fmt;

/// `remove_job`: what a job marked for removal cleans up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveMode {
    /// Only the local replication snapshots.
    Local,
    /// Also the replicated volumes on the target.
    Full,
}

impl RemoveMode {
    pub fn parse(s: &str) -> Option<RemoveMode> {
        match s {
            "local" => Some(RemoveMode::Local),
            "full" => Some(RemoveMode::Full),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RemoveMode::Local => "local",
            RemoveMode::Full => "full",
        }
    }
}

impl fmt::Display for RemoveMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One job. The id is kept as given (the conformance corpus uses free-form
/// ids); `guest` is the guest part of the id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Job {
    pub id: String,
    pub guest: u32,
    pub target: String,
    pub schedule: Option<String>,
    pub rate: Option<f64>,
    pub comment: Option<String>,
    pub disable: bool,
    pub remove_job: Option<RemoveMode>,
    pub source: Option<String>,
}

/// The schedule a job uses when none is set.
pub const DEFAULT_SCHEDULE: &str = "*/15";

impl Job {
    pub fn schedule_or_default(&self) -> &str {
        self.schedule.as_deref().unwrap_or(DEFAULT_SCHEDULE)
    }

    /// `local/<target>`.
    pub fn tid(&self) -> String {
        super::state::tid(&self.target)
    }

    /// The job number (the part after `-`), when the id has the standard form.
    pub fn jobnum(&self) -> Option<u64> {
        parse_job_id(&self.id).ok().map(|(_, n)| n)
    }
}

/// Shortest number form, as Perl prints numbers (`10`, `1.5`).
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v}");
        // Rust prints the shortest round-trip form; Perl uses %.15g.
        match s.parse::<f64>() {
            Ok(_) if s.len() <= 17 => s,
            _ => format!("{:.15}", v)
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string(),
        }
    }
}

/// Format check of a job id (§2): `<digits>-<digits>`, guest >= 100.
/// Returns (guest, jobnum).
pub fn parse_job_id(id: &str) -> Result<(u32, u64), String> {
    let bad = || format!("invalid replication job id '{id}'");
    let (g, n) = id.split_once('-').ok_or_else(bad)?;
    if g.is_empty()
        || n.is_empty()
        || !g.bytes().all(|b| b.is_ascii_digit())
        || !n.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let guest: u64 = g.parse().map_err(|_| bad())?;
    let num: u64 = n.parse().map_err(|_| bad())?;
    if guest < 100 {
        return Err(format!(
            "invalid replication job id '{id}' (guest IDs < 100 are reserved)"
        ));
    }
    let guest = u32::try_from(guest).map_err(|_| bad())?;
    Ok((guest, num))
}

/// The canonical id: leading zeros dropped.
pub fn normalize_job_id(id: &str) -> Result<String, String> {
    let (g, n) = parse_job_id(id)?;
    Ok(format!("{g}-{n}"))
}

/// The command-line pattern `[1-9][0-9]{2,8}-\d{1,9}`, anchored.
pub fn job_id_matches_pattern(id: &str) -> bool {
    let Some((g, n)) = id.split_once('-') else {
        return false;
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (3..=9).contains(&g.len())
        && digits(g)
        && !g.starts_with('0')
        && (1..=9).contains(&n.len())
        && digits(n)
}

/// Full parameter check of an `id` argument; the error is the text after
/// `id: `.
pub fn check_job_id_param(id: &str) -> Result<(), String> {
    parse_job_id(id).map_err(|e| format!("invalid format - {e}"))?;
    if !job_id_matches_pattern(id) {
        return Err("value does not match the regex pattern".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_ids() {
        assert_eq!(parse_job_id("100-0"), Ok((100, 0)));
        assert_eq!(normalize_job_id("100-007").unwrap(), "100-7");
        assert_eq!(
            parse_job_id("99-0").unwrap_err(),
            "invalid replication job id '99-0' (guest IDs < 100 are reserved)"
        );
        assert_eq!(
            parse_job_id("abc").unwrap_err(),
            "invalid replication job id 'abc'"
        );
        assert_eq!(
            check_job_id_param("99-0").unwrap_err(),
            "invalid format - invalid replication job id '99-0' (guest IDs < 100 are reserved)"
        );
        assert_eq!(
            check_job_id_param("0100-1").unwrap_err(),
            "value does not match the regex pattern"
        );
        assert_eq!(
            check_job_id_param("100-1234567890").unwrap_err(),
            "value does not match the regex pattern"
        );
        assert!(check_job_id_param("999999999-123456789").is_ok());
    }

    #[test]
    fn numbers() {
        assert_eq!(format_number(10.0), "10");
        assert_eq!(format_number(1.5), "1.5");
        assert_eq!(format_number(0.1), "0.1");
    }
}
