//! datacenter.cfg (spec pvecm-and-pmxcfs C.8): parser, writer and typed
//! access to the keys the cluster, HA and migration code use (`ha`, `crs`,
//! `migration`, `replication`, `max_workers`, `fencing`, `next-id`).
//!
//! File layout: optional leading `#<text>` lines (the description), one empty
//! line, then `key: value` lines sorted by key. Unknown or invalid keys are
//! dropped on read with upstream's warning text; the writer prints what it is
//! given (values verbatim), so `write(parse(text)) == text` for canonical text.

use super::property_string::PropertyString;
use super::NOT_IN_SCHEMA;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The path used in warnings.
pub const PATH: &str = "/etc/pve/datacenter.cfg";

/// A parsed datacenter.cfg.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatacenterConfig {
    /// The leading comment block (without the `#`), lines joined by `\n`.
    pub description: Option<String>,
    /// Valid `key: value` entries (values as written).
    pub entries: BTreeMap<String, String>,
}

/// Parse result: the config plus the warnings upstream prints on read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub config: DatacenterConfig,
    pub warnings: Vec<String>,
}

/// `ha: shutdown_policy=...`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShutdownPolicy {
    Freeze,
    Failover,
    #[default]
    Conditional,
    Migrate,
}

impl ShutdownPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ShutdownPolicy::Freeze => "freeze",
            ShutdownPolicy::Failover => "failover",
            ShutdownPolicy::Conditional => "conditional",
            ShutdownPolicy::Migrate => "migrate",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "freeze" => ShutdownPolicy::Freeze,
            "failover" => ShutdownPolicy::Failover,
            "conditional" => ShutdownPolicy::Conditional,
            "migrate" => ShutdownPolicy::Migrate,
            _ => return None,
        })
    }
}

/// The `ha` property string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HaOptions {
    pub shutdown_policy: ShutdownPolicy,
}

/// `crs: ha=<basic|static|dynamic>`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CrsMode {
    #[default]
    Basic,
    Static,
    Dynamic,
}

impl CrsMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CrsMode::Basic => "basic",
            CrsMode::Static => "static",
            CrsMode::Dynamic => "dynamic",
        }
    }
}

/// `crs: ha-auto-rebalance-method=`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RebalanceMethod {
    #[default]
    Bruteforce,
    Topsis,
}

/// The `crs` property string with defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CrsOptions {
    pub ha: CrsMode,
    pub ha_rebalance_on_start: bool,
    pub ha_auto_rebalance: bool,
    pub ha_auto_rebalance_threshold: Option<u32>,
    pub ha_auto_rebalance_method: Option<RebalanceMethod>,
    pub ha_auto_rebalance_hold_duration: Option<u64>,
    pub ha_auto_rebalance_margin: Option<u32>,
}

/// `migration` / `replication`: `[type=]<secure|insecure>[,network=<CIDR>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationOptions {
    /// `true` for `secure` (the default).
    pub secure: bool,
    pub network: Option<String>,
}

impl Default for MigrationOptions {
    /// `secure`, without a network.
    fn default() -> Self {
        MigrationOptions {
            secure: true,
            network: None,
        }
    }
}

/// `fencing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fencing {
    #[default]
    Watchdog,
    Hardware,
    Both,
}

const KNOWN_KEYS: &[&str] = &[
    "bwlimit",
    "console",
    "consent-text",
    "crs",
    "description",
    "email_from",
    "fencing",
    "ha",
    "http_proxy",
    "keyboard",
    "language",
    "location",
    "mac_prefix",
    "max_workers",
    "migration",
    "migration_unsecure",
    "next-id",
    "notify",
    "registered-tags",
    "replication",
    "tag-style",
    "u2f",
    "user-tag-access",
    "webauthn",
];

fn enum_err(key: &str, v: &str, list: &str) -> String {
    format!("invalid format - {key}: value '{v}' does not have a value in the enumeration '{list}'")
}

fn bool_ok(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "0" | "1" | "yes" | "no" | "on" | "off" | "true" | "false"
    )
}

fn parse_bool(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "yes" | "on" | "true")
}

fn check_int(key: &str, v: &str, min: i64, max: i64) -> Result<(), String> {
    let n = v.parse::<i64>().ok().map(|n| n as f64);
    check_range(key, v, n, "integer", min as f64, max as f64)
}

fn check_number(key: &str, v: &str, min: f64, max: f64) -> Result<(), String> {
    let n = v
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && !v.contains(char::is_alphabetic));
    check_range(key, v, n, "number", min, max)
}

/// The schema's messages for a value `v` that read as `n` (`None`: not of
/// type `ty`) and must lie within `min..=max`.
fn check_range(
    key: &str,
    v: &str,
    n: Option<f64>,
    ty: &str,
    min: f64,
    max: f64,
) -> Result<(), String> {
    match n {
        None => Err(format!(
            "invalid format - {key}: type check ('{ty}') failed - got '{v}'"
        )),
        Some(n) if n < min => Err(format!(
            "invalid format - {key}: value must have a minimum value of {min}"
        )),
        Some(n) if n > max => Err(format!(
            "invalid format - {key}: value must have a maximum value of {max}"
        )),
        Some(_) => Ok(()),
    }
}

fn check_cidr(key: &str, v: &str) -> Result<(), String> {
    let ok = v.split_once('/').is_some_and(|(ip, len)| {
        let ip: Result<std::net::IpAddr, _> = ip.parse();
        match (ip, len.parse::<u8>()) {
            (Ok(std::net::IpAddr::V4(_)), Ok(l)) => l <= 32,
            (Ok(std::net::IpAddr::V6(_)), Ok(l)) => l <= 128,
            _ => false,
        }
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid format - {key}: value does not look like a valid CIDR network"
        ))
    }
}

/// Check a property-string value: `check` answers for each of its keys,
/// `None` for a key the format does not define.
fn check_properties(
    v: &str,
    default_key: Option<&str>,
    check: impl Fn(&str, &str) -> Option<Result<(), String>>,
) -> Result<(), String> {
    let p = PropertyString::parse(v, default_key).map_err(|e| format!("invalid format - {e}"))?;
    for (k, val) in &p.pairs {
        check(k, val).unwrap_or_else(|| Err(format!("invalid format - {k}: {NOT_IN_SCHEMA}")))?;
    }
    Ok(())
}

fn check_migration(v: &str) -> Result<(), String> {
    check_properties(v, Some("type"), |k, val| {
        Some(match k {
            "type" if val == "secure" || val == "insecure" => Ok(()),
            "type" => Err(enum_err("type", val, "secure, insecure")),
            "network" => check_cidr("network", val),
            _ => return None,
        })
    })
}

/// Check one value against the schema; `Err(reason)` drops it.
fn validate(key: &str, v: &str) -> Result<(), String> {
    match key {
        "ha" => check_properties(v, None, |k, val| match k {
            "shutdown_policy" if ShutdownPolicy::parse(val).is_none() => Some(Err(enum_err(
                k,
                val,
                "freeze, failover, conditional, migrate",
            ))),
            "shutdown_policy" => Some(Ok(())),
            _ => None,
        }),
        "crs" => check_properties(v, None, |k, val| {
            Some(match k {
                "ha" if ["basic", "static", "dynamic"].contains(&val) => Ok(()),
                "ha" => Err(enum_err(k, val, "basic, static, dynamic")),
                "ha-rebalance-on-start" | "ha-auto-rebalance" if bool_ok(val) => Ok(()),
                "ha-rebalance-on-start" | "ha-auto-rebalance" => Err(format!(
                    "invalid format - {k}: type check ('boolean') failed - got '{val}'"
                )),
                "ha-auto-rebalance-threshold" | "ha-auto-rebalance-margin" => {
                    check_number(k, val, 0.0, 100.0)
                }
                "ha-auto-rebalance-hold-duration" => check_int(k, val, 0, i64::MAX),
                "ha-auto-rebalance-method" if val == "bruteforce" || val == "topsis" => Ok(()),
                "ha-auto-rebalance-method" => Err(enum_err(k, val, "bruteforce, topsis")),
                _ => return None,
            })
        }),
        "migration" | "replication" => check_migration(v),
        "bwlimit" => check_properties(v, None, |k, val| match k {
            "clone" | "default" | "migration" | "move" | "restore" => {
                Some(check_number(k, val, 0.0, f64::MAX))
            }
            _ => None,
        }),
        "migration_unsecure" => {
            if bool_ok(v) {
                Ok(())
            } else {
                Err(format!("type check ('boolean') failed - got '{v}'"))
            }
        }
        "max_workers" => check_int("max_workers", v, 1, i64::MAX).map_err(|e| {
            e.trim_start_matches("invalid format - max_workers: ")
                .to_string()
        }),
        "fencing" => {
            if ["watchdog", "hardware", "both"].contains(&v) {
                Ok(())
            } else {
                Err(format!(
                    "value '{v}' does not have a value in the enumeration 'watchdog, hardware, both'"
                ))
            }
        }
        "next-id" => check_properties(v, None, |k, val| match k {
            "lower" | "upper" => Some(check_int(k, val, 0, i64::MAX)),
            _ => None,
        }),
        _ if KNOWN_KEYS.contains(&key) => Ok(()),
        _ => Err(NOT_IN_SCHEMA.into()),
    }
}

/// Parse datacenter.cfg text.
pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut desc: Vec<String> = Vec::new();
    let mut in_header = true;
    for line in text.lines() {
        if in_header {
            if let Some(c) = line.strip_prefix('#') {
                desc.push(c.to_string());
                continue;
            }
            in_header = false;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            out.warnings.push(format!("ignore config line: {line}"));
            continue;
        };
        let key = k.trim();
        let value = v.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            out.warnings.push(format!("ignore config line: {line}"));
            continue;
        }
        if key == "crs" && value.is_empty() {
            out.warnings
                .push("ignoring empty 'crs:' line in datacenter.cfg".into());
            continue;
        }
        match validate(key, value) {
            Ok(()) => {
                out.config
                    .entries
                    .insert(key.to_string(), value.to_string());
            }
            Err(reason) => out
                .warnings
                .push(format!("parse error in '{PATH}' - '{key}': {reason}")),
        }
    }
    if !desc.is_empty() {
        out.config.description = Some(desc.join("\n"));
    }
    out
}

/// Write datacenter.cfg in the canonical layout.
pub fn write(conf: &DatacenterConfig) -> String {
    let mut out = String::new();
    if let Some(d) = &conf.description {
        for l in d.split('\n') {
            let _ = writeln!(out, "#{l}");
        }
    }
    out.push('\n');
    for (k, v) in &conf.entries {
        let _ = writeln!(out, "{k}: {v}");
    }
    out
}

impl DatacenterConfig {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(|s| s.as_str())
    }

    /// Set a key after checking the value against the schema.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        validate(key, value)?;
        if key == "next-id" {
            let n = self.next_id_from(value);
            if n.0 > n.1 {
                return Err(format!(
                    "lower ({}) <= upper ({}) boundary rule broken",
                    n.0, n.1
                ));
            }
        }
        self.entries.insert(key.to_string(), value.to_string());
        Ok(())
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.entries.remove(key)
    }

    /// A property-string key's pairs (no default key; empty when unset).
    pub fn property(&self, key: &str) -> PropertyString {
        self.prop(key, None)
    }

    fn prop(&self, key: &str, default_key: Option<&str>) -> PropertyString {
        self.get(key)
            .and_then(|v| PropertyString::parse(v, default_key).ok())
            .unwrap_or_default()
    }

    /// The `ha` options with defaults.
    pub fn ha(&self) -> HaOptions {
        let p = self.prop("ha", None);
        HaOptions {
            shutdown_policy: p
                .get("shutdown_policy")
                .and_then(ShutdownPolicy::parse)
                .unwrap_or_default(),
        }
    }

    /// The `crs` options with defaults.
    pub fn crs(&self) -> CrsOptions {
        let p = self.prop("crs", None);
        CrsOptions {
            ha: match p.get("ha") {
                Some("static") => CrsMode::Static,
                Some("dynamic") => CrsMode::Dynamic,
                _ => CrsMode::Basic,
            },
            ha_rebalance_on_start: p.get("ha-rebalance-on-start").is_some_and(parse_bool),
            ha_auto_rebalance: p.get("ha-auto-rebalance").is_some_and(parse_bool),
            ha_auto_rebalance_threshold: p
                .get("ha-auto-rebalance-threshold")
                .and_then(|v| v.parse().ok()),
            ha_auto_rebalance_method: p.get("ha-auto-rebalance-method").map(|m| {
                if m == "topsis" {
                    RebalanceMethod::Topsis
                } else {
                    RebalanceMethod::Bruteforce
                }
            }),
            ha_auto_rebalance_hold_duration: p
                .get("ha-auto-rebalance-hold-duration")
                .and_then(|v| v.parse().ok()),
            ha_auto_rebalance_margin: p
                .get("ha-auto-rebalance-margin")
                .and_then(|v| v.parse().ok()),
        }
    }

    /// The `migration` options; the deprecated `migration_unsecure: 1`
    /// selects `insecure` when `migration` has no type.
    pub fn migration(&self) -> MigrationOptions {
        let p = self.prop("migration", Some("type"));
        let secure = match p.get("type") {
            Some(t) => t != "insecure",
            None => !self.get("migration_unsecure").is_some_and(parse_bool),
        };
        MigrationOptions {
            secure,
            network: p.get("network").map(str::to_string),
        }
    }

    /// The `replication` options (pvesr spec, transport choice): the
    /// `replication` key if set, else the `migration` key (type and network
    /// both), else `secure` without a network.
    pub fn replication(&self) -> MigrationOptions {
        let key = if self.get("replication").is_some() {
            "replication"
        } else if self.get("migration").is_some() {
            "migration"
        } else {
            return MigrationOptions::default();
        };
        let p = self.prop(key, Some("type"));
        MigrationOptions {
            secure: p.get("type") != Some("insecure"),
            network: p.get("network").map(str::to_string),
        }
    }

    /// The `bwlimit` for migrations in KiB/s: `migration=`, else `default=`.
    pub fn migration_bwlimit(&self) -> Option<u64> {
        let p = self.prop("bwlimit", None);
        p.get("migration")
            .or_else(|| p.get("default"))
            .and_then(|v| v.parse().ok())
    }

    /// `max_workers` if set.
    pub fn max_workers(&self) -> Option<u32> {
        self.get("max_workers").and_then(|v| v.parse().ok())
    }

    pub fn fencing(&self) -> Fencing {
        match self.get("fencing") {
            Some("hardware") => Fencing::Hardware,
            Some("both") => Fencing::Both,
            _ => Fencing::Watchdog,
        }
    }

    fn next_id_from(&self, v: &str) -> (u64, u64) {
        let p = PropertyString::parse(v, None).unwrap_or_default();
        (
            p.get("lower").and_then(|v| v.parse().ok()).unwrap_or(100),
            p.get("upper")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1_000_000),
        )
    }

    /// `next-id` bounds (lower, upper) with defaults 100 / 1000000.
    pub fn next_id(&self) -> (u64, u64) {
        self.next_id_from(self.get("next-id").unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str =
        "\nha: shutdown_policy=migrate\nkeyboard: en-us\nmigration: secure,network=10.1.2.0/24\n";

    #[test]
    fn spec_example_round_trips_with_typed_access() {
        let p = parse(EXAMPLE);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(write(&p.config), EXAMPLE);
        assert_eq!(p.config.ha().shutdown_policy, ShutdownPolicy::Migrate);
        let m = p.config.migration();
        assert!(m.secure);
        assert_eq!(m.network.as_deref(), Some("10.1.2.0/24"));
        assert_eq!(
            p.config.replication().network.as_deref(),
            Some("10.1.2.0/24")
        );
        assert_eq!(p.config.crs(), CrsOptions::default());
    }

    #[test]
    fn description_and_warnings() {
        let text = "#my dc\n#second\n\ncrs: ha=static,ha-rebalance-on-start=1\nbogus: 1\nha: shutdown_policy=nope\nno colon here\ncrs:\n";
        let p = parse(text);
        assert_eq!(p.config.description.as_deref(), Some("my dc\nsecond"));
        assert_eq!(p.config.crs().ha, CrsMode::Static);
        assert!(p.config.crs().ha_rebalance_on_start);
        assert_eq!(p.warnings.len(), 4, "{:?}", p.warnings);
        assert_eq!(p.warnings[0], "parse error in '/etc/pve/datacenter.cfg' - 'bogus': property is not defined in schema and the schema does not allow additional properties");
        assert!(p.warnings[1].starts_with("parse error in '/etc/pve/datacenter.cfg' - 'ha': "));
        assert_eq!(p.warnings[2], "ignore config line: no colon here");
        assert_eq!(
            p.warnings[3],
            "ignoring empty 'crs:' line in datacenter.cfg"
        );
        assert_eq!(
            write(&p.config),
            "#my dc\n#second\n\ncrs: ha=static,ha-rebalance-on-start=1\n"
        );
    }

    #[test]
    fn set_checks_values() {
        let mut c = DatacenterConfig::default();
        assert!(c.set("fencing", "magic").is_err());
        assert_eq!(
            c.set("next-id", "lower=500,upper=200").unwrap_err(),
            "lower (500) <= upper (200) boundary rule broken"
        );
        c.set("migration_unsecure", "1").unwrap();
        assert!(!c.migration().secure);
        c.set("max_workers", "3").unwrap();
        assert_eq!(c.max_workers(), Some(3));
        assert_eq!(write(&c), "\nmax_workers: 3\nmigration_unsecure: 1\n");
    }

    #[test]
    fn replication_falls_back_to_the_whole_migration_setting() {
        let p = parse("\nmigration: insecure,network=10.0.0.0/8\n");
        let r = p.config.replication();
        assert!(!r.secure, "type comes from migration too");
        assert_eq!(r.network.as_deref(), Some("10.0.0.0/8"));
        let p = parse("\nmigration: insecure\nreplication: network=10.9.0.0/16\n");
        let r = p.config.replication();
        assert!(r.secure, "replication set: its own type (default secure)");
        assert_eq!(r.network.as_deref(), Some("10.9.0.0/16"));
        assert_eq!(parse("").config.replication(), MigrationOptions::default());
        assert!(MigrationOptions::default().secure);
    }

    #[test]
    fn bwlimit_and_rebalance_numbers_are_checked() {
        let p = parse("\nbwlimit: migration=1000,default=50\ncrs: ha=static,ha-auto-rebalance=1,ha-auto-rebalance-threshold=0.3,ha-auto-rebalance-margin=0.1\n");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.config.migration_bwlimit(), Some(1000));
        assert_eq!(
            p.config.property("crs").get("ha-auto-rebalance-threshold"),
            Some("0.3")
        );
        let p = parse("\nbwlimit: migration=fast\nbwlimit2: 1\ncrs: ha-auto-rebalance-margin=-1\n");
        assert_eq!(
            p.warnings,
            [
                "parse error in '/etc/pve/datacenter.cfg' - 'bwlimit': invalid format - migration: type check ('number') failed - got 'fast'",
                "parse error in '/etc/pve/datacenter.cfg' - 'bwlimit2': property is not defined in schema and the schema does not allow additional properties",
                "parse error in '/etc/pve/datacenter.cfg' - 'crs': invalid format - ha-auto-rebalance-margin: value must have a minimum value of 0",
            ]
        );
        assert!(p.config.entries.is_empty());
        assert_eq!(p.config.migration_bwlimit(), None);
    }
}
