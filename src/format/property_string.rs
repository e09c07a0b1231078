//! Property strings: `[<default-key-value>,]key=value,key=value`.
//!
//! Used inside config values: drive specs (`local-zfs:vm-100-disk-0,size=32G`),
//! corosync links (`10.0.0.1,priority=10`), datacenter.cfg's `crs` and `ha`.
//! Values may be double-quoted to carry commas (`"a,b"`); quotes are removed
//! on parse and added back on print where needed.

use std::fmt;

/// A parse error that names the offending part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PropertyStringError {
    #[error("value without key, but schema does not define a default key")]
    NoDefaultKey,
    #[error("duplicate key in comma-separated list property: {0}")]
    DuplicateKey(String),
    #[error("missing closing quote in property string")]
    UnclosedQuote,
    #[error("empty key in property string")]
    EmptyKey,
}

/// An ordered list of `key=value` pairs (order as parsed or pushed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyString {
    pub pairs: Vec<(String, String)>,
}

impl PropertyString {
    /// Parse `text`. An element without `=` is assigned to `default_key`
    /// (error when `None`); only one such element is allowed.
    pub fn parse(text: &str, default_key: Option<&str>) -> Result<Self, PropertyStringError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for element in split_elements(text)? {
            if element.is_empty() {
                continue;
            }
            let (key, value) = match element.split_once('=') {
                Some((k, v)) => {
                    if k.is_empty() {
                        return Err(PropertyStringError::EmptyKey);
                    }
                    (k.to_string(), unquote(v))
                }
                None => match default_key {
                    Some(d) => (d.to_string(), unquote(&element)),
                    None => return Err(PropertyStringError::NoDefaultKey),
                },
            };
            if pairs.iter().any(|(k, _)| *k == key) {
                return Err(PropertyStringError::DuplicateKey(key));
            }
            pairs.push((key, value));
        }
        Ok(PropertyString { pairs })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Set `key` (replacing an existing value in place, else appending).
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.pairs.iter_mut().find(|(k, _)| k == key) {
            Some(p) => p.1 = value,
            None => self.pairs.push((key.to_string(), value)),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        let i = self.pairs.iter().position(|(k, _)| k == key)?;
        Some(self.pairs.remove(i).1)
    }

    /// Print canonically: the default key's value bare first (if present),
    /// then the other keys in ascending order.
    pub fn to_canonical(&self, default_key: Option<&str>) -> String {
        let mut parts = Vec::with_capacity(self.pairs.len());
        if let Some(d) = default_key {
            if let Some(v) = self.get(d) {
                parts.push(quote(v));
            }
        }
        let mut rest: Vec<&(String, String)> = self
            .pairs
            .iter()
            .filter(|(k, _)| Some(k.as_str()) != default_key)
            .collect();
        rest.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, v) in rest {
            parts.push(format!("{k}={}", quote(v)));
        }
        parts.join(",")
    }
}

impl fmt::Display for PropertyString {
    /// Print in stored order, every key explicit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (k, v) in &self.pairs {
            if !first {
                f.write_str(",")?;
            }
            first = false;
            write!(f, "{k}={}", quote(v))?;
        }
        Ok(())
    }
}

fn split_elements(text: &str) -> Result<Vec<String>, PropertyStringError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_quote = !in_quote;
                cur.push(c);
            }
            '\\' if in_quote => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' if !in_quote => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if in_quote {
        return Err(PropertyStringError::UnclosedQuote);
    }
    out.push(cur);
    Ok(out)
}

fn unquote(v: &str) -> String {
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let inner = &v[1..v.len() - 1];
        let mut s = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    s.push(n);
                }
            } else {
                s.push(c);
            }
        }
        s
    } else {
        v.to_string()
    }
}

fn quote(v: &str) -> String {
    if v.contains(',') || v.contains('"') || v.contains('=') && v.starts_with('"') {
        let escaped = v.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\"")
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drive_spec_with_default_key() {
        let p = PropertyString::parse("local-zfs:vm-100-disk-0,size=32G,cache=none", Some("file"))
            .unwrap();
        assert_eq!(p.get("file"), Some("local-zfs:vm-100-disk-0"));
        assert_eq!(
            p.to_canonical(Some("file")),
            "local-zfs:vm-100-disk-0,cache=none,size=32G"
        );
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            PropertyString::parse("ha=static,x", None),
            Err(PropertyStringError::NoDefaultKey)
        );
        assert_eq!(
            PropertyString::parse("a=1,a=2", None),
            Err(PropertyStringError::DuplicateKey("a".into()))
        );
        assert_eq!(
            PropertyString::parse("a=\"x", None),
            Err(PropertyStringError::UnclosedQuote)
        );
    }

    #[test]
    fn quoted_commas_round_trip() {
        let mut p = PropertyString::default();
        p.set("comment", "a,b");
        p.set("ha", "static");
        let text = p.to_string();
        assert_eq!(text, "comment=\"a,b\",ha=static");
        assert_eq!(PropertyString::parse(&text, None).unwrap(), p);
    }

    proptest::proptest! {
        #[test]
        fn canonical_round_trip(pairs in proptest::collection::btree_map("[a-z][a-z0-9-]{0,6}", "[a-zA-Z0-9:./ ,-]{1,10}", 0..5)) {
            let p = PropertyString { pairs: pairs.into_iter().collect() };
            let text = p.to_canonical(None);
            proptest::prop_assert_eq!(PropertyString::parse(&text, None).unwrap(), p);
        }
    }
}
