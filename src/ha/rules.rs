//! `/etc/pve/ha/rules.cfg` and what the manager does with it (spec ha-crm.md
//! 2.4, 9 and 10): typed parse / canonical write of node-affinity and
//! resource-affinity rules, HA groups seen as node-affinity rules, the
//! feasibility checks with their exact messages, the transforms (merged
//! positive rules, implicit negative rules, inherited node affinity), the
//! compiled lookup tables node selection uses, and the pure parts of the
//! persistent group-to-rules migration.
//!
//! ```text
//! (property lines are indented with one TAB in the file)
//! node-affinity: vm101-should-be-on-node3
//!     comment 100%25 sure
//!     disable
//!     nodes node2:2,node3
//!     resources vm:101
//!     strict 1
//!
//! resource-affinity: keep-apart
//!     affinity negative
//!     resources vm:101,vm:102
//!
//! ```

use super::fasthash::FastMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::format::section_config::{self, Section};
use crate::ha::digest::sha1_hex;
use crate::ha::groups::{parse_bool, parse_node_entry, split_node_list, GroupsConfig};
use crate::ha::select::{Level, Msg};

/// The file name used in parser warnings.
pub const RULES_FILE: &str = "/etc/pve/ha/rules.cfg";

/// The affinity of a resource-affinity rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Affinity {
    Positive,
    Negative,
}

impl Affinity {
    pub fn as_str(self) -> &'static str {
        match self {
            Affinity::Positive => "positive",
            Affinity::Negative => "negative",
        }
    }

    pub fn parse(s: &str) -> Option<Affinity> {
        match s {
            "positive" => Some(Affinity::Positive),
            "negative" => Some(Affinity::Negative),
            _ => None,
        }
    }
}

/// The type-specific part of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    NodeAffinity {
        /// node -> priority (0 when the entry has no `:pri`).
        nodes: BTreeMap<String, i64>,
        /// `None` when not written (default 0, non-strict).
        strict: Option<bool>,
    },
    ResourceAffinity {
        affinity: Affinity,
    },
}

/// One rule section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    /// Ordinal; sections are written sorted by it (stable).
    pub order: u32,
    /// Decoded text (written percent-encoded).
    pub comment: Option<String>,
    /// `None`: key absent. `Some(v)`: key present with value `v`. The rule
    /// counts as disabled whenever the key is present, even as `disable 0`;
    /// only `Some(true)` is written back (as the bare word `disable`).
    pub disable: Option<bool>,
    pub resources: BTreeSet<String>,
    pub kind: RuleKind,
}

impl Rule {
    pub fn node_affinity(
        id: impl Into<String>,
        resources: BTreeSet<String>,
        nodes: BTreeMap<String, i64>,
        strict: Option<bool>,
    ) -> Rule {
        Rule {
            id: id.into(),
            order: 0,
            comment: None,
            disable: None,
            resources,
            kind: RuleKind::NodeAffinity { nodes, strict },
        }
    }

    pub fn resource_affinity(
        id: impl Into<String>,
        resources: BTreeSet<String>,
        affinity: Affinity,
    ) -> Rule {
        Rule {
            id: id.into(),
            order: 0,
            comment: None,
            disable: None,
            resources,
            kind: RuleKind::ResourceAffinity { affinity },
        }
    }

    /// `node-affinity` or `resource-affinity`.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            RuleKind::NodeAffinity { .. } => "node-affinity",
            RuleKind::ResourceAffinity { .. } => "resource-affinity",
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.disable.is_none()
    }

    /// Node-affinity `strict` (false for resource-affinity rules).
    pub fn is_strict(&self) -> bool {
        matches!(
            self.kind,
            RuleKind::NodeAffinity {
                strict: Some(true),
                ..
            }
        )
    }

    pub fn affinity(&self) -> Option<Affinity> {
        match self.kind {
            RuleKind::ResourceAffinity { affinity } => Some(affinity),
            _ => None,
        }
    }

    pub fn nodes(&self) -> Option<&BTreeMap<String, i64>> {
        match &self.kind {
            RuleKind::NodeAffinity { nodes, .. } => Some(nodes),
            _ => None,
        }
    }

    /// `nodes` as written: sorted by name, `node:pri` when pri != 0.
    pub fn nodes_string(&self) -> Option<String> {
        self.nodes().map(nodes_to_string)
    }

    /// `resources` as written: sorted, comma-separated.
    pub fn resources_string(&self) -> String {
        self.resources
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    fn to_section(&self) -> Section {
        let mut s = Section::new(self.type_name(), self.id.clone());
        if let Some(c) = &self.comment {
            s.push("comment", encode_comment(c));
        }
        if self.disable == Some(true) {
            s.push_flag("disable");
        }
        match &self.kind {
            RuleKind::NodeAffinity { nodes, strict } => {
                s.push("nodes", nodes_to_string(nodes));
                s.push("resources", self.resources_string());
                if let Some(b) = strict {
                    s.push("strict", if *b { "1" } else { "0" });
                }
            }
            RuleKind::ResourceAffinity { affinity } => {
                s.push("affinity", affinity.as_str());
                s.push("resources", self.resources_string());
            }
        }
        s
    }
}

/// Format a node -> priority map as a `nodes` value.
pub fn nodes_to_string(nodes: &BTreeMap<String, i64>) -> String {
    nodes
        .iter()
        .map(|(n, p)| {
            if *p == 0 {
                n.clone()
            } else {
                format!("{n}:{p}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Parse a `nodes` value as the rules file does: entries that do not parse
/// are dropped silently.
pub fn parse_rule_nodes(v: &str) -> BTreeMap<String, i64> {
    split_node_list(v)
        .iter()
        .filter_map(|e| parse_node_entry(e).ok())
        .collect()
}

/// Check one HA resource id: `^[a-z]+:\S+$`.
pub fn check_resource_id(sid: &str) -> Result<(), String> {
    let ok = match sid.split_once(':') {
        Some((t, n)) => {
            !t.is_empty()
                && t.bytes().all(|c| c.is_ascii_lowercase())
                && !n.is_empty()
                && !n.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err("value does not look like a valid ha resource id".into())
    }
}

/// Parse a `--resources` / `resources` list (comma, semicolon or whitespace
/// separated) strictly: every entry must be a valid SID.
pub fn parse_resource_list(v: &str) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    for e in split_node_list(v) {
        check_resource_id(&e)?;
        out.insert(e);
    }
    Ok(out)
}

/// Percent-encode a rules.cfg comment: every byte outside 0x20-0x24,
/// 0x26-0x39, 0x3b-0x7e becomes `%XX`.
pub fn encode_comment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let plain = matches!(b, 0x20..=0x24 | 0x26..=0x39 | 0x3b..=0x7e);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode `%XX` escapes (invalid escapes are kept as they are).
pub fn decode_comment(s: &str) -> String {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
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

/// The whole rules.cfg.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulesConfig {
    /// Rules in file order (ordinals 1, 2, ... as parsed).
    pub rules: Vec<Rule>,
    /// SHA-1 of the parsed text.
    pub digest: String,
}

impl RulesConfig {
    /// Parse rules.cfg. Returns the config and the upstream-style warnings.
    /// Never fails.
    pub fn parse(text: &str) -> (RulesConfig, Vec<String>) {
        let parsed = section_config::parse(RULES_FILE, text);
        let mut warnings: Vec<String> = parsed.warnings.into_iter().map(|w| w.message).collect();
        let mut rules: Vec<Rule> = Vec::new();
        for sec in parsed.sections {
            let order = rules.len() as u32 + 1;
            match parse_rule_section(&sec, order, &mut warnings) {
                Some(r) if rules.iter().any(|x| x.id == r.id) => warnings.push(format!(
                    "file {RULES_FILE} line {} (skip section '{}'): duplicate section",
                    sec.line, sec.id
                )),
                Some(r) => rules.push(r),
                None => {}
            }
        }
        (
            RulesConfig {
                rules,
                digest: sha1_hex(text.as_bytes()),
            },
            warnings,
        )
    }

    /// Canonical text: sections sorted by `order` (stable), each with
    /// `comment`, `disable`, required keys sorted, optional keys sorted.
    pub fn write(&self) -> String {
        let sections: Vec<Section> = self
            .sorted_by_order()
            .into_iter()
            .map(Rule::to_section)
            .collect();
        section_config::write(&sections)
    }

    /// The rules sorted by ordinal (stable for equal ordinals).
    pub fn sorted_by_order(&self) -> Vec<&Rule> {
        let mut v: Vec<&Rule> = self.rules.iter().collect();
        v.sort_by_key(|r| r.order);
        v
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Rule> {
        self.rules.iter_mut().find(|r| r.id == id)
    }

    pub fn remove(&mut self, id: &str) -> Option<Rule> {
        let i = self.rules.iter().position(|r| r.id == id)?;
        Some(self.rules.remove(i))
    }

    /// The ordinal upstream gives a new rule: the smallest existing ordinal
    /// plus one (0 + 1 for an empty config). An upstream quirk, kept.
    pub fn next_order(&self) -> u32 {
        self.rules.iter().map(|r| r.order).min().unwrap_or(0) + 1
    }

    /// The largest ordinal plus one (used to append generated rules).
    pub fn append_order(&self) -> u32 {
        self.rules.iter().map(|r| r.order).max().unwrap_or(0) + 1
    }
}

fn parse_rule_section(sec: &Section, order: u32, warnings: &mut Vec<String>) -> Option<Rule> {
    let prefix = format!("file {RULES_FILE} line {}", sec.line);
    let is_na = match sec.ty.as_str() {
        "node-affinity" => true,
        "resource-affinity" => false,
        other => {
            warnings.push(format!(
                "{prefix} (skip section '{}'): unsupported type '{other}'",
                sec.id
            ));
            return None;
        }
    };
    if let Err(e) = crate::ha::groups::check_config_id(&sec.id) {
        warnings.push(format!("{prefix} (skip section '{}'): {e}", sec.id));
        return None;
    }
    let mut comment = None;
    let mut disable = None;
    let mut resources: Option<BTreeSet<String>> = None;
    let mut nodes: Option<BTreeMap<String, i64>> = None;
    let mut strict = None;
    let mut affinity: Option<Affinity> = None;
    let mut seen: Vec<&str> = Vec::new();
    for p in &sec.props {
        let bad = |msg: &str| {
            format!(
                "file {RULES_FILE} line {} (section '{}') - unable to parse value of '{}': {msg}",
                p.line, sec.id, p.key
            )
        };
        if seen.contains(&p.key.as_str()) {
            warnings.push(bad("duplicate attribute"));
            continue;
        }
        let value = p.value.as_deref();
        let key = p.key.as_str();
        match (key, is_na) {
            ("comment", _) => comment = Some(decode_comment(value.unwrap_or(""))),
            ("disable", _) => match parse_bool(value.unwrap_or("1")) {
                Some(b) => disable = Some(b),
                None => {
                    // present with any value: still counts as disabled
                    warnings.push(bad(&format!(
                        "type check ('boolean') failed - got '{}'",
                        value.unwrap_or("")
                    )));
                    disable = Some(true);
                }
            },
            ("resources", _) => {
                resources = Some(
                    split_node_list(value.unwrap_or(""))
                        .into_iter()
                        .collect::<BTreeSet<_>>(),
                )
            }
            ("nodes", true) => nodes = Some(parse_rule_nodes(value.unwrap_or(""))),
            ("strict", true) => match parse_bool(value.unwrap_or("1")) {
                Some(b) => strict = Some(b),
                None => {
                    warnings.push(bad(&format!(
                        "type check ('boolean') failed - got '{}'",
                        value.unwrap_or("")
                    )));
                    continue;
                }
            },
            ("affinity", false) => match value.and_then(Affinity::parse) {
                Some(a) => affinity = Some(a),
                None => {
                    warnings.push(bad(&format!(
                        "value '{}' does not have a value in the enumeration 'positive, negative'",
                        value.unwrap_or("")
                    )));
                    continue;
                }
            },
            _ => {
                warnings.push(bad("unexpected property"));
                continue;
            }
        }
        seen.push(key);
    }
    let missing = |k: &str| {
        format!(
            "{prefix} (skip section '{}'): missing value for required option '{k}'",
            sec.id
        )
    };
    let Some(resources) = resources else {
        warnings.push(missing("resources"));
        return None;
    };
    let kind = if is_na {
        let Some(nodes) = nodes else {
            warnings.push(missing("nodes"));
            return None;
        };
        RuleKind::NodeAffinity { nodes, strict }
    } else {
        let Some(affinity) = affinity else {
            warnings.push(missing("affinity"));
            return None;
        };
        RuleKind::ResourceAffinity { affinity }
    };
    Some(Rule {
        id: sec.id.clone(),
        order,
        comment,
        disable,
        resources,
        kind,
    })
}

// ---------------------------------------------------------------------------
// Groups as rules (9.1), effective failback (round step 12)
// ---------------------------------------------------------------------------

/// The id of the node-affinity rule generated from a group.
pub fn group_rule_id(group: &str) -> String {
    format!("ha-group-{group}")
}

/// 9.1: one node-affinity rule `ha-group-<g>` per group that exists and is
/// referenced by at least one service, sorted by group id. Resources are the
/// referencing services, nodes the group's entries, `strict 1` for a
/// restricted group, and the group comment or
/// `Generated from HA group '<g>'.`.
pub fn group_rules(groups: &GroupsConfig, service_groups: &BTreeMap<String, String>) -> Vec<Rule> {
    let mut members: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (sid, g) in service_groups {
        if groups.get(g).is_some() {
            members.entry(g.as_str()).or_default().insert(sid.clone());
        }
    }
    members
        .into_iter()
        .map(|(g, sids)| {
            let group = groups.get(g).expect("checked above");
            let mut r = Rule::node_affinity(
                group_rule_id(g),
                sids,
                group.node_priorities(),
                if group.is_restricted() {
                    Some(true)
                } else {
                    None
                },
            );
            r.comment = Some(
                group
                    .comment
                    .clone()
                    .unwrap_or_else(|| format!("Generated from HA group '{g}'.")),
            );
            r
        })
        .collect()
}

/// Round step 12: a service in a group fails back unless the group has
/// `nofailback` (a missing group means failback on); a service without a
/// group keeps its own setting.
pub fn effective_failback(own: bool, group: Option<&str>, groups: Option<&GroupsConfig>) -> bool {
    match group {
        Some(g) => match groups.and_then(|c| c.get(g)) {
            Some(gr) => !gr.is_nofailback(),
            None => true,
        },
        None => own,
    }
}

// ---------------------------------------------------------------------------
// Feasibility checks (9.2)
// ---------------------------------------------------------------------------

/// One problem found in a rule: the option it is attached to (for the CLI's
/// `errors` map and `<option>: <messages>` lines) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub option: &'static str,
    pub message: String,
}

type Errors = BTreeMap<String, Vec<RuleError>>;

fn push_err(errs: &mut Errors, id: &str, option: &'static str, message: impl Into<String>) {
    errs.entry(id.to_string()).or_default().push(RuleError {
        option,
        message: message.into(),
    });
}

fn shares(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let (small, big) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().any(|x| big.contains(x))
}

fn common_count(a: &BTreeSet<String>, b: &BTreeSet<String>) -> usize {
    let (small, big) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().filter(|x| big.contains(*x)).count()
}

/// Connected components of the positive rules (rules sharing a resource),
/// scanning the rules ordered by their lowest resource, then id. Each
/// component lists rule indices in scan order; components in order of their
/// first rule.
fn positive_components(rules: &[&Rule]) -> Vec<Vec<usize>> {
    let mut pos: Vec<usize> = (0..rules.len())
        .filter(|&i| rules[i].affinity() == Some(Affinity::Positive))
        .collect();
    pos.sort_by(|&a, &b| {
        let ka = (rules[a].resources.iter().next(), &rules[a].id);
        let kb = (rules[b].resources.iter().next(), &rules[b].id);
        ka.cmp(&kb)
    });
    // union-find over positions in `pos`
    let mut parent: Vec<usize> = (0..pos.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut c = x;
        while p[c] != r {
            let n = p[c];
            p[c] = r;
            c = n;
        }
        r
    }
    let mut owner: FastMap<&str, usize> = FastMap::default();
    for (k, &i) in pos.iter().enumerate() {
        for sid in &rules[i].resources {
            match owner.get(sid.as_str()) {
                Some(&o) => {
                    let (a, b) = (find(&mut parent, o), find(&mut parent, k));
                    if a != b {
                        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                        parent[hi] = lo;
                    }
                }
                None => {
                    owner.insert(sid.as_str(), k);
                }
            }
        }
    }
    let mut comps: Vec<Vec<usize>> = Vec::new();
    let mut root_idx: FastMap<usize, usize> = FastMap::default();
    for (k, &rule) in pos.iter().enumerate() {
        let r = find(&mut parent, k);
        match root_idx.get(&r) {
            Some(&c) => comps[c].push(rule),
            None => {
                root_idx.insert(r, comps.len());
                comps.push(vec![rule]);
            }
        }
    }
    comps
}

/// 9.2: check the enabled rules against each other. `nodes` is the cluster
/// node list (the keys of the manager's node status). Returns, per offending
/// rule id, its problems in the order they were found. Disabled rules are
/// neither checked nor counted.
pub fn check_feasibility(rules: &[Rule], nodes: &[String]) -> BTreeMap<String, Vec<RuleError>> {
    let mut enabled: Vec<&Rule> = rules.iter().filter(|r| r.is_enabled()).collect();
    enabled.sort_by(|a, b| a.id.cmp(&b.id));
    let rules = enabled;
    let mut errs: Errors = BTreeMap::new();
    let na: Vec<&Rule> = rules
        .iter()
        .copied()
        .filter(|r| r.nodes().is_some())
        .collect();
    let ra: Vec<&Rule> = rules
        .iter()
        .copied()
        .filter(|r| r.affinity().is_some())
        .collect();
    let neg: Vec<&Rule> = ra
        .iter()
        .copied()
        .filter(|r| r.affinity() == Some(Affinity::Negative))
        .collect();

    // resource -> node-affinity rules (indices into `na`, ascending)
    let mut na_of: FastMap<&str, Vec<usize>> = FastMap::default();
    for (i, r) in na.iter().enumerate() {
        for sid in &r.resources {
            na_of.entry(sid.as_str()).or_default().push(i);
        }
    }
    // the node-affinity rules sharing a resource with `res`, sorted by id
    let na_touching = |res: &BTreeSet<String>| -> Vec<&Rule> {
        let mut idx: Vec<usize> = res
            .iter()
            .filter_map(|s| na_of.get(s.as_str()))
            .flatten()
            .copied()
            .collect();
        idx.sort_unstable();
        idx.dedup();
        idx.into_iter().map(|i| na[i]).collect()
    };

    // 1. a resource in at most one node-affinity rule
    let na_count: FastMap<&str, usize> = na_of.iter().map(|(k, v)| (*k, v.len())).collect();
    for r in &na {
        for sid in &r.resources {
            if na_count[sid.as_str()] > 1 {
                push_err(
                    &mut errs,
                    &r.id,
                    "resources",
                    format!("resource '{sid}' is already used in another node affinity rule"),
                );
            }
        }
    }

    // 2. resource affinity needs two resources
    for r in &ra {
        if r.resources.len() < 2 {
            push_err(
                &mut errs,
                &r.id,
                "resources",
                "rule is ineffective as there are less than two resources",
            );
        }
    }

    // 3. negative rule with more resources than nodes
    for r in &neg {
        if r.resources.len() > nodes.len() {
            push_err(
                &mut errs,
                &r.id,
                "resources",
                "rule defines more resources than available nodes",
            );
        }
    }

    // 4. positive components vs negative rules
    let comps = positive_components(&rules);
    let comp_res: Vec<BTreeSet<String>> = comps
        .iter()
        .map(|c| {
            c.iter()
                .flat_map(|&i| rules[i].resources.iter().cloned())
                .collect()
        })
        .collect();
    for (c, res) in comps.iter().zip(&comp_res) {
        for n in &neg {
            if common_count(res, &n.resources) >= 2 {
                push_err(
                    &mut errs,
                    &n.id,
                    "resources",
                    "rule shares two or more resources with a positive resource affinity rule",
                );
                for &i in c {
                    push_err(
                        &mut errs,
                        &rules[i].id,
                        "resources",
                        "rule shares two or more resources with a negative resource affinity rule",
                    );
                }
            }
        }
    }

    // 5. resource affinity and node affinity with several priorities
    for r in &ra {
        let paired: Vec<&Rule> = na_touching(&r.resources);
        let multi = paired.iter().any(|n| {
            let mut prios = n.nodes().unwrap().values();
            match prios.next() {
                Some(first) => prios.any(|p| p != first),
                None => false,
            }
        });
        if multi {
            push_err(
                &mut errs,
                &r.id,
                "resources",
                "resources are in node affinity rules with multiple priorities",
            );
            for n in paired {
                push_err(
                    &mut errs,
                    &n.id,
                    "resources",
                    "resources are in a resource affinity rule and cannot be in a node affinity rule with multiple priorities",
                );
            }
        }
    }

    // 6. positive component touching several node-affinity rules
    for (c, res) in comps.iter().zip(&comp_res) {
        let touched: Vec<&Rule> = na_touching(res);
        if touched.len() > 1 {
            for &i in c {
                push_err(
                    &mut errs,
                    &rules[i].id,
                    "resources",
                    "resources are in multiple node affinity rules",
                );
            }
            for n in touched {
                push_err(
                    &mut errs,
                    &n.id,
                    "resources",
                    "at least one resource is in a positive resource affinity rule and there are other resources in at least one other node affinity rule already",
                );
            }
        }
    }

    // 7. negative rule restricted to fewer nodes than it needs
    for r in &neg {
        let touched: Vec<&Rule> = na_touching(&r.resources);
        if touched.is_empty() {
            continue;
        }
        let mut node_set: BTreeSet<&str> = BTreeSet::new();
        let mut covered: BTreeSet<&str> = BTreeSet::new();
        for n in &touched {
            node_set.extend(n.nodes().unwrap().keys().map(String::as_str));
            covered.extend(
                n.resources
                    .iter()
                    .filter(|s| r.resources.contains(*s))
                    .map(String::as_str),
            );
        }
        if node_set.len() < covered.len() {
            push_err(
                &mut errs,
                &r.id,
                "resources",
                "two or more resources are restricted to less nodes than available to the resources",
            );
            for n in touched {
                push_err(
                    &mut errs,
                    &n.id,
                    "resources",
                    "at least one resource is in a negative resource affinity rule and this rule would restrict these to less nodes than available to the resources",
                );
            }
        }
    }
    errs
}

/// The `Drop rule ...` log texts for the check result: sorted by rule id,
/// then in the order the messages were found.
pub fn drop_messages(errors: &BTreeMap<String, Vec<RuleError>>) -> Vec<Msg> {
    errors
        .iter()
        .flat_map(|(id, es)| {
            es.iter().map(move |e| Msg {
                level: Level::Info,
                text: format!("Drop rule '{id}', because {}.", e.message),
            })
        })
        .collect()
}

/// `cannot use unmanaged resource(s) <sid>, <sid>.`
pub fn unmanaged_resources_error(sids: &[String]) -> String {
    format!("cannot use unmanaged resource(s) {}.", sids.join(", "))
}

/// `cannot use non-existent node(s) <n>, <n>.`
pub fn unknown_nodes_error(nodes: &[String]) -> String {
    format!("cannot use non-existent node(s) {}.", nodes.join(", "))
}

/// `400 Rule '<r>' is invalid.` followed by one `<option>: <messages>` line
/// per option (options sorted, messages joined with `, `). No trailing
/// newline.
pub fn invalid_rule_error(id: &str, errs: &[RuleError]) -> String {
    let mut by_opt: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in errs {
        by_opt.entry(e.option).or_default().push(&e.message);
    }
    let mut out = format!("400 Rule '{id}' is invalid.");
    for (opt, msgs) in by_opt {
        out.push('\n');
        out.push_str(&format!("{opt}: {}", msgs.join(", ")));
    }
    out
}

// ---------------------------------------------------------------------------
// Transforms (9.3) and compilation (9.4)
// ---------------------------------------------------------------------------

/// The compiled rules: what node selection looks up per service.
#[derive(Debug, Clone, Default)]
pub struct CompiledRules {
    node_affinity: FastMap<String, Arc<Vec<(String, i64)>>>,
    positive: FastMap<String, Vec<String>>,
    negative: FastMap<String, Vec<String>>,
}

impl CompiledRules {
    pub fn empty() -> CompiledRules {
        CompiledRules::default()
    }

    /// The effective node affinity of a service: node -> priority, sorted by
    /// node name; non-strict rules list every other node with -1.
    pub fn node_affinity(&self, sid: &str) -> Option<&[(String, i64)]> {
        self.node_affinity.get(sid).map(|v| v.as_slice())
    }

    /// Positive-affinity partners (sorted).
    pub fn positive(&self, sid: &str) -> &[String] {
        self.positive.get(sid).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Negative-affinity partners (sorted, implicit ones included).
    pub fn negative(&self, sid: &str) -> &[String] {
        self.negative.get(sid).map(Vec::as_slice).unwrap_or(&[])
    }

    /// True when no rule applies to any service.
    pub fn is_empty(&self) -> bool {
        self.node_affinity.is_empty() && self.positive.is_empty() && self.negative.is_empty()
    }
}

/// 9.3 + 9.4 on rules that already passed the checks (enabled only).
pub fn transform_and_compile(rules: &[Rule], nodes: &[String]) -> CompiledRules {
    let mut sorted: Vec<&Rule> = rules.iter().filter(|r| r.is_enabled()).collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));

    // 1. merge connected positive rules
    let comps = positive_components(&sorted);
    let positives: Vec<BTreeSet<String>> = comps
        .iter()
        .map(|c| {
            c.iter()
                .flat_map(|&i| sorted[i].resources.iter().cloned())
                .collect()
        })
        .collect();
    let negatives: Vec<&BTreeSet<String>> = sorted
        .iter()
        .filter(|r| r.affinity() == Some(Affinity::Negative))
        .map(|r| &r.resources)
        .collect();

    let mut positive: FastMap<String, BTreeSet<String>> = FastMap::default();
    let mut negative: FastMap<String, BTreeSet<String>> = FastMap::default();
    for set in &positives {
        for s in set {
            let e = positive.entry(s.clone()).or_default();
            e.extend(set.iter().filter(|x| *x != s).cloned());
        }
    }
    for set in &negatives {
        for s in set.iter() {
            let e = negative.entry(s.clone()).or_default();
            e.extend(set.iter().filter(|x| *x != s).cloned());
        }
    }
    // 2. implicit negative rules: every member of a positive rule is
    // separated from everything some member is separated from by an
    // explicit negative rule (implicit rules do not chain further).
    let explicit = negative.clone();
    for set in &positives {
        let mut sep: BTreeSet<String> = BTreeSet::new();
        for s in set {
            if let Some(n) = explicit.get(s) {
                sep.extend(n.iter().filter(|c| !set.contains(*c)).cloned());
            }
        }
        if sep.is_empty() {
            continue;
        }
        for s in set {
            negative
                .entry(s.clone())
                .or_default()
                .extend(sep.iter().cloned());
            for c in &sep {
                negative.entry(c.clone()).or_default().insert(s.clone());
            }
        }
    }
    // 3. positive rules inherit node affinity
    let mut na_rules: Vec<(BTreeSet<String>, &BTreeMap<String, i64>, bool)> = sorted
        .iter()
        .filter_map(|r| match &r.kind {
            RuleKind::NodeAffinity { nodes, .. } => {
                Some((r.resources.clone(), nodes, r.is_strict()))
            }
            _ => None,
        })
        .collect();
    for set in &positives {
        for (res, _, _) in na_rules.iter_mut() {
            if shares(res, set) {
                res.extend(set.iter().cloned());
            }
        }
    }
    // 9.4 compile node affinity
    let mut node_affinity: FastMap<String, Arc<Vec<(String, i64)>>> = FastMap::default();
    for (res, rule_nodes, strict) in na_rules {
        let mut eff: BTreeMap<String, i64> = rule_nodes.clone();
        if !strict {
            for n in nodes {
                eff.entry(n.clone()).or_insert(-1);
            }
        }
        let eff = Arc::new(eff.into_iter().collect::<Vec<_>>());
        for sid in res {
            node_affinity.insert(sid, Arc::clone(&eff));
        }
    }
    CompiledRules {
        node_affinity,
        positive: positive
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.into_iter().collect()))
            .collect(),
        negative: negative
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.into_iter().collect()))
            .collect(),
    }
}

/// Round step 13: add the group rules (9.1, replacing user rules with the
/// same id), check feasibility against `nodes` (sorted ns keys), drop the
/// offending rules, transform and compile. Returns the compiled rules and the
/// `Drop rule ...` lines to log (Level Info, in log order).
pub fn compile(
    rules: &RulesConfig,
    groups: Option<&GroupsConfig>,
    service_groups: &BTreeMap<String, String>,
    nodes: &[String],
) -> (CompiledRules, Vec<Msg>) {
    let mut all: Vec<Rule> = rules.rules.clone();
    if let Some(g) = groups {
        for gr in group_rules(g, service_groups) {
            match all.iter_mut().find(|r| r.id == gr.id) {
                Some(slot) => *slot = gr,
                None => all.push(gr),
            }
        }
    }
    let errors = check_feasibility(&all, nodes);
    let msgs = drop_messages(&errors);
    all.retain(|r| r.is_enabled() && !errors.contains_key(&r.id));
    (transform_and_compile(&all, nodes), msgs)
}

// ---------------------------------------------------------------------------
// Persistent HA group migration (10), pure parts
// ---------------------------------------------------------------------------

/// The pve-manager version every node needs before groups are migrated.
pub const GROUP_MIGRATION_MIN_VERSION: &str = "9.0.0~16";

/// Parse `major.minor(.|-)patch[~rev]`.
fn parse_version(v: &str) -> Option<(u64, u64, u64, Option<u64>)> {
    let (base, rev) = match v.split_once('~') {
        Some((b, r)) => (b, Some(r.parse::<u64>().ok()?)),
        None => (v, None),
    };
    let (major, rest) = base.split_once('.')?;
    let (minor, patch) = rest.split_once(['.', '-'])?;
    Some((
        major.parse().ok()?,
        minor.parse().ok()?,
        patch.parse().ok()?,
        rev,
    ))
}

/// True if `v` is at least `9.0.0~16` (section 10 step 2). An unparsable
/// version fails.
pub fn version_at_least_9_0_0_16(v: &str) -> bool {
    let Some((maj, min, patch, rev)) = parse_version(v) else {
        return false;
    };
    match (maj, min, patch).cmp(&(9, 0, 0)) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => rev.is_none_or(|r| r >= 16),
    }
}

/// What the group migration pre-check needs to know about one node.
#[derive(Debug, Clone, Copy)]
pub struct MigrationNodeInfo<'a> {
    pub node: &'a str,
    /// The node's state in the manager's node status.
    pub state: &'a str,
    /// `state` and `mode` of the node's lrm_status (None when missing).
    pub lrm_state: Option<&'a str>,
    pub lrm_mode: Option<&'a str>,
    /// A service whose node or target is this node and whose state is not
    /// `stopped`, `freeze`, `error` or `request_start`.
    pub has_active_service: bool,
    /// The pve-manager version the node announces.
    pub version: Option<&'a str>,
}

/// Section 10 step 2. Returns the notice lines logged along the way and
/// `Err(reason)` at the first failing check (the engine then logs
/// `abort ha groups migration: <reason>` and the failure lines). Nodes are
/// checked in sorted order.
pub fn group_migration_precheck(
    quorate: bool,
    nodes: &[MigrationNodeInfo],
) -> (Vec<Msg>, Result<(), String>) {
    let mut msgs = Vec::new();
    if !quorate {
        return (msgs, Err("cluster is not quorate".into()));
    }
    if nodes.is_empty() {
        return (msgs, Err("node list is empty".into()));
    }
    let mut sorted: Vec<&MigrationNodeInfo> = nodes.iter().collect();
    sorted.sort_by(|a, b| a.node.cmp(b.node));
    let notice = |t: String| Msg {
        level: Level::Notice,
        text: t,
    };
    for n in sorted {
        let node = n.node;
        msgs.push(notice(format!(
            "ha groups migration: node '{node}' is in state '{}'",
            n.state
        )));
        if n.state != "online" {
            return (msgs, Err(format!("node '{node}' is not online")));
        }
        let (Some(state), Some(mode)) = (n.lrm_state, n.lrm_mode) else {
            return (
                msgs,
                Err(format!("could not retrieve state for lrm '{node}'")),
            );
        };
        msgs.push(notice(format!(
            "ha groups migration: lrm '{node}' is in state '{state}' and mode '{mode}'"
        )));
        let idle = state == "wait_for_agent_lock" && !n.has_active_service;
        if state != "active" && !idle {
            return (
                msgs,
                Err(format!("lrm '{node}' is not in state 'active' or 'idle'")),
            );
        }
        if mode != "active" {
            return (msgs, Err(format!("lrm '{node}' is not in mode 'active'")));
        }
        let Some(version) = n.version else {
            return (
                msgs,
                Err(format!("could not retrieve version from node '{node}'")),
            );
        };
        msgs.push(notice(format!(
            "ha groups migration: node '{node}' has version '{version}'"
        )));
        if !version_at_least_9_0_0_16(version) {
            return (
                msgs,
                Err(format!(
                    "node '{node}' needs at least pve-manager version '{GROUP_MIGRATION_MIN_VERSION}'"
                )),
            );
        }
    }
    (msgs, Ok(()))
}

/// Section 10 step 3: add the group rules to the on-disk rules (replacing
/// rules with the same id in place, appending new ones sorted by group).
pub fn migrate_groups_into_rules(
    rules: &mut RulesConfig,
    groups: &GroupsConfig,
    service_groups: &BTreeMap<String, String>,
) {
    for mut gr in group_rules(groups, service_groups) {
        match rules.get_mut(&gr.id) {
            Some(slot) => {
                gr.order = slot.order;
                *slot = gr;
            }
            None => {
                gr.order = rules.append_order();
                rules.rules.push(gr);
            }
        }
    }
}

/// Section 10 step 4: for every service with a `group`, whether to write
/// `failback 0` (its group has `nofailback`). The `group` key is removed
/// from all of them.
pub fn resource_group_migration(
    groups: &GroupsConfig,
    service_groups: &BTreeMap<String, String>,
) -> BTreeMap<String, bool> {
    service_groups
        .iter()
        .map(|(sid, g)| {
            (
                sid.clone(),
                groups.get(g).map(|gr| gr.is_nofailback()).unwrap_or(false),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;
