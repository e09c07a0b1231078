//! The HA configuration as the `ha-manager` tool and `qm` see it:
//! `ha/resources.cfg` (typed parse and canonical write), resource ids
//! (`vm:100`, `ct:101`, bare `100` through the cluster's guest list), the
//! `ha/crm_commands` queue, reading `ha/manager_status`, and the small API
//! `qm` uses to hand HA-managed guests over to the HA stack.
//!
//! Every read-modify-write of a file under `ha/` happens while holding the
//! HA domain lock ([`lock_ha`]); the CRM master takes the same lock to read
//! and truncate `crm_commands`.

use crate::format::section_config::{self, Section};
use crate::store::{LockGuard, PveFs, Root, StoreError, DEFAULT_LOCK_TIMEOUT};
use serde_json::Value;
use std::fmt;

/// `/etc/pve/ha/resources.cfg`, relative to `/etc/pve`.
pub const RESOURCES_CFG: &str = "ha/resources.cfg";
/// `/etc/pve/ha/crm_commands`.
pub const CRM_COMMANDS: &str = "ha/crm_commands";
/// `/etc/pve/ha/manager_status`.
pub const MANAGER_STATUS: &str = "ha/manager_status";
/// `/etc/pve/ha/groups.cfg`.
pub const GROUPS_CFG: &str = "ha/groups.cfg";
/// `/etc/pve/ha/rules.cfg`.
pub const RULES_CFG: &str = "ha/rules.cfg";
/// Name of the HA domain lock (pmxcfs' `domain-ha`) under `lock/`.
pub const HA_LOCK: &str = "domain-ha";

/// The enumeration of request states, in the order upstream lists them.
pub const REQUEST_STATES: [&str; 5] = ["started", "stopped", "enabled", "disabled", "ignored"];

/// Errors of the HA configuration layer; the texts are upstream's.
#[derive(Debug, thiserror::Error)]
pub enum HaConfigError {
    #[error("value does not look like a valid ha resource id")]
    BadSidFormat,
    #[error("unable to parse service id '{0}'")]
    UnparsableSid(String),
    #[error("unable to detect SID from VMID - VM/CT {0} does not exist")]
    UnknownVmid(String),
    #[error("invalid VMID")]
    InvalidVmid,
    #[error("unknown resource type '{0}'")]
    UnknownType(String),
    #[error("cfs-lock 'domain-ha' error: no quorum!")]
    NoQuorum,
    #[error("cfs-lock 'domain-ha' error: got lock request timeout")]
    LockTimeout,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = HaConfigError> = std::result::Result<T, E>;

/// Take the HA domain lock (bounded wait). Fails as pmxcfs does when the
/// node may not write (no quorum).
pub fn lock_ha(root: &Root, pve: &PveFs) -> Result<LockGuard> {
    if !pve.writable() {
        return Err(HaConfigError::NoQuorum);
    }
    root.lock(HA_LOCK, DEFAULT_LOCK_TIMEOUT)
        .map_err(|e| match e {
            StoreError::LockTimeout { .. } => HaConfigError::LockTimeout,
            other => HaConfigError::Store(other),
        })
}

// ---------------------------------------------------------------------------
// Resource ids

/// What kind of guest a VMID names in the cluster's guest list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestKind {
    /// A QEMU VM (`qemu-server/<vmid>.conf`), HA type `vm`.
    Vm,
    /// An LXC container (`lxc/<vmid>.conf`), HA type `ct`.
    Ct,
}

impl GuestKind {
    pub fn ha_type(self) -> &'static str {
        match self {
            GuestKind::Vm => "vm",
            GuestKind::Ct => "ct",
        }
    }
}

/// A resource id `<type>:<name>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sid {
    pub ty: String,
    pub name: String,
}

impl Sid {
    pub fn new(ty: impl Into<String>, name: impl Into<String>) -> Sid {
        Sid {
            ty: ty.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for Sid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.ty, self.name)
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn no_space(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(char::is_whitespace)
}

/// The CLI format check of a resource id: `^[a-z]+:\S+$`, or with
/// `allow_vmid` also a bare `^\d+$`.
pub fn sid_format_ok(s: &str, allow_vmid: bool) -> bool {
    if allow_vmid && all_digits(s) {
        return true;
    }
    match s.split_once(':') {
        Some((ty, name)) => {
            !ty.is_empty() && ty.bytes().all(|b| b.is_ascii_lowercase()) && no_space(name)
        }
        None => false,
    }
}

/// Parse a resource id as upstream's `parse_sid` does: `<type>:<name>` as
/// given, a bare VMID through `lookup` (the cluster guest list).
pub fn parse_sid(s: &str, lookup: &dyn Fn(&str) -> Option<GuestKind>) -> Result<Sid> {
    if let Some((ty, name)) = s.split_once(':') {
        if no_space(ty) && no_space(name) {
            return Ok(Sid::new(ty, name));
        }
    }
    if all_digits(s) {
        return match lookup(s) {
            Some(kind) => Ok(Sid::new(kind.ha_type(), s)),
            None => Err(HaConfigError::UnknownVmid(s.to_string())),
        };
    }
    Err(HaConfigError::UnparsableSid(s.to_string()))
}

/// Whether a resource name is a valid VMID for `vm`/`ct`: `^[1-9][0-9]+$`.
pub fn valid_vmid_name(name: &str) -> bool {
    name.len() >= 2 && all_digits(name) && !name.starts_with('0')
}

// ---------------------------------------------------------------------------
// resources.cfg

/// The requested state of a resource (`state` key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    Started,
    Stopped,
    Enabled,
    Disabled,
    Ignored,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Started => "started",
            RequestState::Stopped => "stopped",
            RequestState::Enabled => "enabled",
            RequestState::Disabled => "disabled",
            RequestState::Ignored => "ignored",
        }
    }

    pub fn parse(s: &str) -> Option<RequestState> {
        Some(match s {
            "started" => RequestState::Started,
            "stopped" => RequestState::Stopped,
            "enabled" => RequestState::Enabled,
            "disabled" => RequestState::Disabled,
            "ignored" => RequestState::Ignored,
            _ => return None,
        })
    }

    /// The state the manager works with: `enabled` reads as `started`.
    pub fn effective(self) -> RequestState {
        match self {
            RequestState::Enabled => RequestState::Started,
            s => s,
        }
    }
}

/// The option keys of a resource section, in canonical write order after
/// `comment` (sorted by name).
pub const RESOURCE_KEYS: [&str; 6] = [
    "comment",
    "failback",
    "group",
    "max_relocate",
    "max_restart",
    "state",
];

/// One resource section. Only options that are set are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub sid: Sid,
    pub comment: Option<String>,
    pub failback: Option<bool>,
    pub group: Option<String>,
    pub max_relocate: Option<u64>,
    pub max_restart: Option<u64>,
    pub state: Option<RequestState>,
}

impl Resource {
    pub fn new(sid: Sid) -> Resource {
        Resource {
            sid,
            comment: None,
            failback: None,
            group: None,
            max_relocate: None,
            max_restart: None,
            state: None,
        }
    }

    /// The requested state with the real default (`started`).
    pub fn request_state(&self) -> RequestState {
        self.state.unwrap_or(RequestState::Started).effective()
    }

    /// The stored options as `(key, value)` in canonical order.
    pub fn options(&self) -> Vec<(&'static str, String)> {
        let b = |v: bool| if v { "1" } else { "0" }.to_string();
        let mut out = Vec::new();
        if let Some(c) = &self.comment {
            out.push(("comment", c.clone()));
        }
        if let Some(v) = self.failback {
            out.push(("failback", b(v)));
        }
        if let Some(v) = &self.group {
            out.push(("group", v.clone()));
        }
        if let Some(v) = self.max_relocate {
            out.push(("max_relocate", v.to_string()));
        }
        if let Some(v) = self.max_restart {
            out.push(("max_restart", v.to_string()));
        }
        if let Some(v) = self.state {
            out.push(("state", v.as_str().to_string()));
        }
        out
    }

    /// Set one option from its text form (already validated by the caller,
    /// checked again here). `None` deletes it.
    pub fn set_option(&mut self, key: &str, value: Option<&str>) -> Result<(), String> {
        match (key, value) {
            ("comment", v) => self.comment = v.map(str::to_string),
            ("group", v) => self.group = v.map(str::to_string),
            ("failback", None) => self.failback = None,
            ("failback", Some(v)) => self.failback = Some(parse_bool_text(v)?),
            ("max_relocate", None) => self.max_relocate = None,
            ("max_relocate", Some(v)) => self.max_relocate = Some(parse_uint_text(v)?),
            ("max_restart", None) => self.max_restart = None,
            ("max_restart", Some(v)) => self.max_restart = Some(parse_uint_text(v)?),
            ("state", None) => self.state = None,
            ("state", Some(v)) => {
                self.state = Some(RequestState::parse(v).ok_or_else(|| {
                    format!(
                        "value '{v}' does not have a value in the enumeration '{}'",
                        REQUEST_STATES.join(", ")
                    )
                })?)
            }
            _ => return Err("unexpected property".to_string()),
        }
        Ok(())
    }

    fn to_section(&self) -> Section {
        let mut s = Section::new(self.sid.ty.clone(), self.sid.name.clone());
        for (k, v) in self.options() {
            s.push(k, v);
        }
        s
    }
}

fn parse_bool_text(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "yes" | "on" | "true" => Ok(true),
        "0" | "no" | "off" | "false" => Ok(false),
        _ => Err(format!("type check ('boolean') failed - got '{v}'")),
    }
}

fn parse_uint_text(v: &str) -> Result<u64, String> {
    let t = v.strip_prefix('+').unwrap_or(v);
    if let Some(neg) = t.strip_prefix('-') {
        if all_digits(neg) {
            return Err("value must have a minimum value of 0".to_string());
        }
    }
    if !all_digits(t) {
        return Err(format!("type check ('integer') failed - got '{v}'"));
    }
    t.parse()
        .map_err(|_| format!("type check ('integer') failed - got '{v}'"))
}

/// The parsed resources.cfg: resources in file order, its digest, and the
/// warnings for lines or sections that were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourcesConfig {
    pub resources: Vec<Resource>,
    pub digest: String,
    pub warnings: Vec<String>,
}

impl ResourcesConfig {
    /// Parse resources.cfg text (`file` names it in warnings).
    pub fn parse(file: &str, text: &str) -> ResourcesConfig {
        let mut parsed = section_config::parse_ref(file, text);
        let mut warnings: Vec<String> = std::mem::take(&mut parsed.warnings)
            .into_iter()
            .map(|w| w.message)
            .collect();
        let mut resources: Vec<Resource> = Vec::with_capacity(parsed.sections.len());
        let mut ids: std::collections::HashSet<(&str, &str)> =
            std::collections::HashSet::with_capacity(parsed.sections.len());
        for sec in &parsed.sections {
            if sec.ty != "vm" && sec.ty != "ct" {
                warnings.push(format!(
                    "file {file} line {} (skip section '{}'): no such resource type '{}'",
                    sec.line, sec.id, sec.ty
                ));
                continue;
            }
            if !valid_vmid_name(sec.id) {
                warnings.push(format!(
                    "file {file} line {} (skip section '{}'): invalid VMID",
                    sec.line, sec.id
                ));
                continue;
            }
            if !ids.insert((sec.ty.as_ref(), sec.id)) {
                warnings.push(format!(
                    "file {file} line {} (skip section '{}'): duplicate section",
                    sec.line, sec.id
                ));
                continue;
            }
            let mut r = Resource::new(Sid::new(sec.ty.to_string(), sec.id.to_string()));
            let mut seen: Vec<&str> = Vec::new();
            for p in parsed.props_of(sec) {
                if seen.contains(&p.key) {
                    warnings.push(format!(
                        "file {file} line {} (section '{}') - unable to parse value of '{}': duplicate attribute",
                        p.line, sec.id, p.key
                    ));
                    continue;
                }
                let value = match (p.value, p.key) {
                    (Some(v), _) => v,
                    (None, "failback") => "1",
                    (None, _) => {
                        warnings.push(format!(
                            "file {file} line {} (section '{}') - unable to parse value of '{}': missing value",
                            p.line, sec.id, p.key
                        ));
                        continue;
                    }
                };
                match r.set_option(p.key, Some(value)) {
                    Ok(()) => seen.push(p.key),
                    Err(e) => warnings.push(format!(
                        "file {file} line {} (section '{}') - unable to parse value of '{}': {e}",
                        p.line, sec.id, p.key
                    )),
                }
            }
            resources.push(r);
        }
        ResourcesConfig {
            resources,
            digest: sha1_hex(text.as_bytes()),
            warnings,
        }
    }

    /// The canonical text: sections in order, `comment` first, then the
    /// other set options sorted, each section followed by an empty line.
    pub fn write(&self) -> String {
        let sections: Vec<Section> = self.resources.iter().map(Resource::to_section).collect();
        section_config::write(&sections)
    }

    pub fn get(&self, sid: &Sid) -> Option<&Resource> {
        self.resources.iter().find(|r| &r.sid == sid)
    }

    pub fn get_mut(&mut self, sid: &Sid) -> Option<&mut Resource> {
        self.resources.iter_mut().find(|r| &r.sid == sid)
    }

    /// Remove a resource; returns whether it existed.
    pub fn remove(&mut self, sid: &Sid) -> bool {
        let before = self.resources.len();
        self.resources.retain(|r| &r.sid != sid);
        before != self.resources.len()
    }

    /// Resources sorted by SID (byte-wise), as listings show them.
    pub fn sorted(&self) -> Vec<&Resource> {
        let mut v: Vec<&Resource> = self.resources.iter().collect();
        v.sort_by_key(|r| r.sid.to_string());
        v
    }
}

/// Read resources.cfg from a node's view (a missing file is empty).
pub fn read_resources(pve: &PveFs) -> Result<ResourcesConfig> {
    let text = pve.read(RESOURCES_CFG)?.unwrap_or_default();
    Ok(ResourcesConfig::parse("/etc/pve/ha/resources.cfg", &text))
}

/// Write resources.cfg (caller holds the HA lock).
pub fn write_resources(pve: &PveFs, cfg: &ResourcesConfig) -> Result<()> {
    pve.write(RESOURCES_CFG, &cfg.write())?;
    Ok(())
}

// ---------------------------------------------------------------------------
// crm_commands, manager_status

/// Append one command line to `ha/crm_commands` under the HA domain lock.
pub fn queue_crm_command(root: &Root, pve: &PveFs, cmd: &str) -> Result<()> {
    let _guard = lock_ha(root, pve)?;
    append_crm_command_locked(pve, cmd)
}

/// Append one command line; the caller holds the HA lock.
pub fn append_crm_command_locked(pve: &PveFs, cmd: &str) -> Result<()> {
    let mut text = pve.read(CRM_COMMANDS)?.unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(cmd.trim_end_matches('\n'));
    text.push('\n');
    pve.write(CRM_COMMANDS, &text)?;
    Ok(())
}

/// `ha/manager_status` as JSON; a missing, empty or unreadable file reads
/// as `{}`.
pub fn read_manager_status(pve: &PveFs) -> Result<Value> {
    Ok(manager_status_value(&read_manager_status_text(pve)?))
}

/// The text of `ha/manager_status` (empty when the file is missing).
pub fn read_manager_status_text(pve: &PveFs) -> Result<String> {
    Ok(pve.read(MANAGER_STATUS)?.unwrap_or_default())
}

/// The manager status in `text` as a JSON object (an empty one when the
/// text is empty or not a JSON object).
pub fn manager_status_value(text: &str) -> Value {
    if text.trim().is_empty() {
        return Value::Object(Default::default());
    }
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Default::default()))
}

/// The CRM state of a service in manager_status, if any.
pub fn crm_service_state(ms: &Value, sid: &Sid) -> Option<String> {
    ms.get("service_status")?
        .get(sid.to_string())?
        .get("state")?
        .as_str()
        .map(str::to_string)
}

/// The disarm mode (`freeze`/`ignore`) when the HA stack is disarming or
/// disarmed.
pub fn disarm_mode(ms: &Value) -> Option<String> {
    ms.get("disarm")?.get("mode")?.as_str().map(str::to_string)
}

/// Whether `sid` is HA-managed: configured, not `ignored`, and the stack not
/// disarmed in `ignore` mode.
pub fn is_ha_managed(pve: &PveFs, sid: &Sid) -> Result<bool> {
    let cfg = read_resources(pve)?;
    let Some(r) = cfg.get(sid) else {
        return Ok(false);
    };
    if r.request_state() == RequestState::Ignored {
        return Ok(false);
    }
    let ms = read_manager_status(pve)?;
    Ok(disarm_mode(&ms).as_deref() != Some("ignore"))
}

/// Whether `sid` has a section in resources.cfg (any state).
pub fn is_configured(pve: &PveFs, sid: &Sid) -> Result<bool> {
    Ok(read_resources(pve)?.get(sid).is_some())
}

/// Refuse a request on a service in CRM state `error`.
pub fn check_not_error(pve: &PveFs, sid: &Sid) -> Result<()> {
    let ms = read_manager_status(pve)?;
    if crm_service_state(&ms, sid).as_deref() == Some("error") {
        return Err(HaConfigError::Other(format!(
            "service '{sid}' in error state, must be disabled and fixed first"
        )));
    }
    Ok(())
}

/// Set the requested state of a configured resource (what `qm start` does
/// to an HA-managed VM: `ha-manager set vm:<id> --state started`).
pub fn request_state(root: &Root, pve: &PveFs, sid: &Sid, state: RequestState) -> Result<()> {
    if state != RequestState::Disabled {
        check_not_error(pve, sid)?;
    }
    let _guard = lock_ha(root, pve)
        .map_err(|e| HaConfigError::Other(format!("update resources config failed: {e}")))?;
    let mut cfg = read_resources(pve)?;
    let Some(r) = cfg.get_mut(sid) else {
        return Err(HaConfigError::Other(format!(
            "update resources config failed: no such resource '{sid}'"
        )));
    };
    r.state = Some(state);
    write_resources(pve, &cfg)
}

/// Remove a resource from resources.cfg if it is configured; returns
/// whether it was (used by `qm destroy --purge`).
pub fn remove_resource_if_present(root: &Root, pve: &PveFs, sid: &Sid) -> Result<bool> {
    let _guard = lock_ha(root, pve)?;
    let mut cfg = read_resources(pve)?;
    if !cfg.remove(sid) {
        return Ok(false);
    }
    write_resources(pve, &cfg)?;
    Ok(true)
}

// ---------------------------------------------------------------------------
// SHA-1 (the section-config digest)

/// The SHA-1 hex digest of a config file (one implementation, in `ha::digest`).
pub use crate::ha::digest::sha1_hex;

#[cfg(test)]
mod tests {
    use super::*;

    const CANONICAL: &str = "vm: 100\n\tmax_relocate 2\n\tstate started\n\nct: 101\n\tcomment web frontend\n\tfailback 0\n\n";

    #[test]
    fn sha1_known_vectors() {
        assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(sha1_hex(long), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    }

    #[test]
    fn resources_round_trip_canonical() {
        let cfg = ResourcesConfig::parse("r", CANONICAL);
        assert!(cfg.warnings.is_empty(), "{:?}", cfg.warnings);
        assert_eq!(cfg.resources.len(), 2);
        assert_eq!(cfg.resources[0].max_relocate, Some(2));
        assert_eq!(cfg.resources[1].failback, Some(false));
        assert_eq!(cfg.write(), CANONICAL);
        assert_eq!(cfg.digest, sha1_hex(CANONICAL.as_bytes()));
    }

    #[test]
    fn non_canonical_order_is_rewritten_canonically() {
        let text = "vm: 100\n\tstate stopped\n\tcomment x y\n\tmax_restart 3\n";
        let cfg = ResourcesConfig::parse("r", text);
        assert_eq!(
            cfg.write(),
            "vm: 100\n\tcomment x y\n\tmax_restart 3\n\tstate stopped\n\n"
        );
    }

    #[test]
    fn bad_sections_and_lines_warn() {
        let text = "foo: 100\n\tstate started\n\nvm: 0100\n\nvm: 101\n\tstate bogus\n\tcolor red\n\tmax_restart 2\n\tmax_restart 3\n";
        let cfg = ResourcesConfig::parse("resources.cfg", text);
        assert_eq!(cfg.resources.len(), 1);
        assert_eq!(cfg.resources[0].max_restart, Some(2));
        assert_eq!(cfg.resources[0].state, None);
        assert_eq!(
            cfg.warnings,
            vec![
                "file resources.cfg line 1 (skip section '100'): no such resource type 'foo'",
                "file resources.cfg line 4 (skip section '0100'): invalid VMID",
                "file resources.cfg line 7 (section '101') - unable to parse value of 'state': value 'bogus' does not have a value in the enumeration 'started, stopped, enabled, disabled, ignored'",
                "file resources.cfg line 8 (section '101') - unable to parse value of 'color': unexpected property",
                "file resources.cfg line 10 (section '101') - unable to parse value of 'max_restart': duplicate attribute",
            ]
        );
    }

    #[test]
    fn sid_parsing() {
        let lookup = |id: &str| match id {
            "100" => Some(GuestKind::Vm),
            "101" => Some(GuestKind::Ct),
            _ => None,
        };
        assert_eq!(parse_sid("vm:100", &lookup).unwrap(), Sid::new("vm", "100"));
        assert_eq!(parse_sid("100", &lookup).unwrap().to_string(), "vm:100");
        assert_eq!(parse_sid("101", &lookup).unwrap().to_string(), "ct:101");
        assert_eq!(
            parse_sid("102", &lookup).unwrap_err().to_string(),
            "unable to detect SID from VMID - VM/CT 102 does not exist"
        );
        assert_eq!(
            parse_sid("vm100", &lookup).unwrap_err().to_string(),
            "unable to parse service id 'vm100'"
        );
        assert!(sid_format_ok("vm:100", false));
        assert!(!sid_format_ok("100", false));
        assert!(sid_format_ok("100", true));
        assert!(!sid_format_ok("VM:100", true));
        assert!(!sid_format_ok("vm:", true));
        assert!(valid_vmid_name("100"));
        assert!(!valid_vmid_name("1"));
        assert!(!valid_vmid_name("0100"));
    }

    proptest::proptest! {
        #[test]
        fn write_parse_round_trip(
            items in proptest::collection::btree_map(100u32..100000, (
                proptest::option::of("[a-zA-Z0-9][a-zA-Z0-9 .,-]{0,20}[a-zA-Z0-9]"),
                proptest::option::of(proptest::bool::ANY),
                proptest::option::of("[a-z][a-z0-9_-]{1,8}"),
                proptest::option::of(0u64..10),
                proptest::option::of(0u64..10),
                proptest::option::of(0usize..5),
            ), 0..5)
        ) {
            let mut cfg = ResourcesConfig::default();
            for (i, (id, (c, fb, g, rel, res, st))) in items.into_iter().enumerate() {
                let ty = if i % 2 == 0 { "vm" } else { "ct" };
                let mut r = Resource::new(Sid::new(ty, id.to_string()));
                r.comment = c; r.failback = fb; r.group = g; r.max_relocate = rel;
                r.max_restart = res; r.state = st.map(|s| RequestState::parse(REQUEST_STATES[s]).unwrap());
                cfg.resources.push(r);
            }
            let text = cfg.write();
            let back = ResourcesConfig::parse("t", &text);
            proptest::prop_assert!(back.warnings.is_empty());
            proptest::prop_assert_eq!(&back.resources, &cfg.resources);
            proptest::prop_assert_eq!(back.write(), text);
        }
    }
}
