//! The section-config text format shared by the HA, storage and replication
//! configuration files.
//!
//! ```text
//! vm: 100
//!     max_relocate 2      (indented with one TAB in the file)
//!     state started
//!
//! ```
//!
//! This layer keeps what the file says (types, ids, keys, values, line
//! numbers) and leaves schema checks to the domain that owns the file. The
//! domain also decides key order when writing; [`write`] prints sections and
//! properties in the order given.

use std::fmt::Write as _;

/// One property line of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub key: String,
    /// `None` for a bare key (`disable`), which means `1` for boolean keys.
    pub value: Option<String>,
    /// 1-based line number in the parsed file (0 when built in memory).
    pub line: usize,
}

/// One `<type>: <id>` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section type, lower-cased.
    pub ty: String,
    pub id: String,
    pub props: Vec<Property>,
    /// 1-based line number of the header (0 when built in memory).
    pub line: usize,
}

impl Section {
    pub fn new(ty: impl Into<String>, id: impl Into<String>) -> Section {
        Section {
            ty: ty.into(),
            id: id.into(),
            props: Vec::new(),
            line: 0,
        }
    }

    /// Append a `key value` property.
    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.props.push(Property {
            key: key.into(),
            value: Some(value.into()),
            line: 0,
        });
    }

    /// Append a bare key (no value), e.g. `disable`.
    pub fn push_flag(&mut self, key: impl Into<String>) {
        self.props.push(Property {
            key: key.into(),
            value: None,
            line: 0,
        });
    }

    /// The value of the first property named `key`. A bare key reads as `"1"`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|p| p.key == key)
            .map(|p| p.value.as_deref().unwrap_or("1"))
    }
}

/// A line the parser could not use, with the upstream warning text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

/// Result of parsing: sections in file order plus warnings for skipped lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub sections: Vec<Section>,
    pub warnings: Vec<Warning>,
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Parse a header line `^(\S+):\s*(\S+)\s*$`.
fn parse_header(line: &str) -> Option<(String, String)> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let (ty, rest) = line.split_once(':')?;
    if ty.is_empty() || ty.contains(char::is_whitespace) {
        return None;
    }
    let id = rest.trim();
    if id.is_empty() || id.contains(char::is_whitespace) {
        return None;
    }
    Some((ty.to_ascii_lowercase(), id.to_string()))
}

/// Parse a property line `^\s+(\S+)(\s+(.*\S))?\s*$`.
fn parse_property(line: &str) -> Option<(String, Option<String>)> {
    if !line.starts_with(char::is_whitespace) {
        return None;
    }
    let t = line.trim();
    if t.is_empty() {
        return None;
    }
    match t.split_once(char::is_whitespace) {
        Some((k, v)) => Some((k.to_string(), Some(v.trim().to_string()))),
        None => Some((t.to_string(), None)),
    }
}

/// Parse section-config text. `file` names the file in warnings.
pub fn parse(file: &str, text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut current: Option<Section> = None;
    for (idx, raw) in text.lines().enumerate() {
        let lineno = idx + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if is_comment(line) {
            continue;
        }
        if line.trim().is_empty() {
            if let Some(s) = current.take() {
                out.sections.push(s);
            }
            continue;
        }
        match current.as_mut() {
            Some(section) => match parse_property(line) {
                Some((key, value)) => section.props.push(Property {
                    key,
                    value,
                    line: lineno,
                }),
                None => out.warnings.push(Warning {
                    line: lineno,
                    message: format!(
                        "file {file} line {lineno} (section '{}') - ignore config line: {line}",
                        section.id
                    ),
                }),
            },
            None => match parse_header(line) {
                Some((ty, id)) => {
                    current = Some(Section {
                        ty,
                        id,
                        props: Vec::new(),
                        line: lineno,
                    })
                }
                None => out.warnings.push(Warning {
                    line: lineno,
                    message: format!("file {file} line {lineno} - ignore config line: {line}"),
                }),
            },
        }
    }
    if let Some(s) = current.take() {
        out.sections.push(s);
    }
    out
}

/// Write sections in the given order; each section ends with an empty line.
pub fn write(sections: &[Section]) -> String {
    let mut out = String::new();
    for s in sections {
        let _ = writeln!(out, "{}: {}", s.ty, s.id);
        for p in &s.props {
            match &p.value {
                Some(v) => {
                    let _ = writeln!(out, "\t{} {}", p.key, v);
                }
                None => {
                    let _ = writeln!(out, "\t{}", p.key);
                }
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANONICAL: &str = "vm: 100\n\tmax_relocate 2\n\tstate started\n\nct: 101\n\tcomment web frontend\n\tfailback 0\n\n";

    #[test]
    fn round_trip_canonical_text() {
        let p = parse("resources.cfg", CANONICAL);
        assert!(p.warnings.is_empty());
        assert_eq!(p.sections.len(), 2);
        assert_eq!(p.sections[1].get("comment"), Some("web frontend"));
        assert_eq!(p.sections[1].line, 5);
        assert_eq!(write(&p.sections), CANONICAL);
    }

    #[test]
    fn comments_bare_keys_and_bad_lines() {
        let text = "# head\nVM: 100\n  state   started  \n\tdisable\nbad line\n\ngarbage\n";
        let p = parse("x.cfg", text);
        assert_eq!(p.sections.len(), 1);
        let s = &p.sections[0];
        assert_eq!(s.ty, "vm");
        assert_eq!(s.get("state"), Some("started"));
        assert_eq!(s.get("disable"), Some("1"));
        assert_eq!(
            p.warnings,
            vec![
                Warning {
                    line: 5,
                    message: "file x.cfg line 5 (section '100') - ignore config line: bad line"
                        .into()
                },
                Warning {
                    line: 7,
                    message: "file x.cfg line 7 - ignore config line: garbage".into()
                }
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn write_parse_round_trip(
            secs in proptest::collection::vec(
                ("[a-z]{1,6}", "[a-z0-9-]{1,8}",
                 proptest::collection::vec(("[a-z_]{1,8}", proptest::option::of("[a-z0-9]([a-zA-Z0-9,=:. -]{0,10}[a-z0-9])?")), 0..4)),
                0..4)
        ) {
            let sections: Vec<Section> = secs.into_iter().map(|(ty, id, props)| {
                let mut s = Section::new(ty, id);
                for (k, v) in props { match v { Some(v) => s.push(k, v), None => s.push_flag(k) } }
                s
            }).collect();
            let text = write(&sections);
            let mut back = parse("t", &text).sections;
            for s in &mut back { s.line = 0; for p in &mut s.props { p.line = 0; } }
            proptest::prop_assert_eq!(back, sections);
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,200}") {
            let _ = parse("t", &text);
        }
    }
}
