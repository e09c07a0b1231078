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

use std::borrow::Cow;
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

/// Parse a header line `^(\S+):\s*(\S+)\s*$`: the type lower-cased
/// (borrowed when it already is) and the id.
fn parse_header(line: &str) -> Option<(Cow<'_, str>, &str)> {
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
    let ty = if ty.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(ty.to_ascii_lowercase())
    } else {
        Cow::Borrowed(ty)
    };
    Some((ty, id))
}

/// Parse a property line `^\s+(\S+)(\s+(.*\S))?\s*$`.
fn parse_property(line: &str) -> Option<(&str, Option<&str>)> {
    if !line.starts_with(char::is_whitespace) {
        return None;
    }
    let t = line.trim();
    if t.is_empty() {
        return None;
    }
    match t.split_once(char::is_whitespace) {
        Some((k, v)) => Some((k, Some(v.trim()))),
        None => Some((t, None)),
    }
}

/// One property line of a [`SectionRef`], borrowing from the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropertyRef<'a> {
    pub key: &'a str,
    pub value: Option<&'a str>,
    pub line: usize,
}

/// One section of [`parse_ref`], borrowing from the parsed text; its
/// properties are [`ParsedRef::props_of`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRef<'a> {
    /// The section type, lower-cased.
    pub ty: Cow<'a, str>,
    pub id: &'a str,
    props: std::ops::Range<usize>,
    pub line: usize,
}

/// [`Parsed`] borrowing from the text: what a reader that only looks at the
/// sections uses, without a copy of every type, id, key and value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedRef<'a> {
    pub sections: Vec<SectionRef<'a>>,
    props: Vec<PropertyRef<'a>>,
    pub warnings: Vec<Warning>,
}

impl<'a> ParsedRef<'a> {
    /// The properties of `section`, in file order.
    pub fn props_of(&self, section: &SectionRef<'a>) -> &[PropertyRef<'a>] {
        &self.props[section.props.clone()]
    }
}

/// Parse section-config text. `file` names the file in warnings.
pub fn parse(file: &str, text: &str) -> Parsed {
    let r = parse_ref(file, text);
    let sections = r
        .sections
        .iter()
        .map(|s| Section {
            ty: s.ty.to_string(),
            id: s.id.to_string(),
            props: r
                .props_of(s)
                .iter()
                .map(|p| Property {
                    key: p.key.to_string(),
                    value: p.value.map(str::to_string),
                    line: p.line,
                })
                .collect(),
            line: s.line,
        })
        .collect();
    Parsed {
        sections,
        warnings: r.warnings,
    }
}

/// [`parse`] borrowing from `text`.
pub fn parse_ref<'a>(file: &str, text: &'a str) -> ParsedRef<'a> {
    let mut out = ParsedRef::default();
    let mut current: Option<SectionRef<'a>> = None;
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
                Some((key, value)) => {
                    out.props.push(PropertyRef {
                        key,
                        value,
                        line: lineno,
                    });
                    section.props.end = out.props.len();
                }
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
                    current = Some(SectionRef {
                        ty,
                        id,
                        props: out.props.len()..out.props.len(),
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

    #[test]
    fn borrowed_parse_keeps_each_sections_properties() {
        let text = "VM: 100\n\tstate started\nct: 101\n\nct: 102\n\tcomment a  b \n\tdisable\n";
        let r = parse_ref("resources.cfg", text);
        type Props<'a> = Vec<(&'a str, Option<&'a str>, usize)>;
        let secs: Vec<(&str, &str, Props)> = r
            .sections
            .iter()
            .map(|s| {
                let props = r.props_of(s).iter().map(|p| (p.key, p.value, p.line));
                (s.ty.as_ref(), s.id, props.collect())
            })
            .collect();
        assert_eq!(
            secs,
            [
                ("vm", "100", vec![("state", Some("started"), 2)]),
                (
                    "ct",
                    "102",
                    vec![("comment", Some("a  b"), 6), ("disable", None, 7)]
                ),
            ]
        );
        assert!(matches!(r.sections[1].ty, Cow::Borrowed(_)));
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(
            r.warnings[0].message,
            "file resources.cfg line 3 (section '100') - ignore config line: ct: 101"
        );
    }
}
