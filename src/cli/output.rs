//! Rendering of command results the way Proxmox's CLI formatter does it:
//! `--output-format text|json|json-pretty|yaml`, `--noborder`, `--noheader`.
//!
//! The text tables are drawn by hand rather than with a table crate because
//! the exact Proxmox layout (a separator between every two data rows, the
//! `--noborder` trailing-space rule) is easier to guarantee this way.

use serde_json::Value;
use std::fmt::Write as _;

/// `--output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
    #[value(name = "json-pretty")]
    JsonPretty,
    Yaml,
}

/// The shared `[FORMAT_OPTIONS]` of Proxmox CLI commands.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FormatOptions {
    /// Output format.
    #[arg(long = "output-format", value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
    /// Do not draw borders (for 'text' format).
    #[arg(long, num_args = 0..=1, default_missing_value = "1", value_parser = parse_bool, default_value = "0")]
    pub noborder: bool,
    /// Do not show column headers (for 'text' format).
    #[arg(long, num_args = 0..=1, default_missing_value = "1", value_parser = parse_bool, default_value = "0")]
    pub noheader: bool,
    /// Suppress printing results.
    #[arg(long, num_args = 0..=1, default_missing_value = "1", value_parser = parse_bool, default_value = "0")]
    pub quiet: bool,
    /// Call output rendering functions to produce human readable text.
    #[arg(long = "human-readable", num_args = 0..=1, default_missing_value = "1", value_parser = parse_bool, default_value = "1")]
    pub human_readable: bool,
}

/// Proxmox boolean syntax: 1/0, yes/no, on/off, true/false.
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "1" | "yes" | "on" | "true" => Ok(true),
        "0" | "no" | "off" | "false" => Ok(false),
        _ => Err(format!("type check ('boolean') failed - got '{s}'")),
    }
}

/// Whether a column holds numbers (right-aligned, sorted numerically).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Number,
}

/// A column of a text table: the JSON key it shows and its title.
#[derive(Debug, Clone)]
pub struct Column {
    pub key: &'static str,
    pub title: &'static str,
    pub kind: ColumnKind,
}

impl Column {
    pub const fn text(key: &'static str, title: &'static str) -> Column {
        Column {
            key,
            title,
            kind: ColumnKind::Text,
        }
    }
    pub const fn number(key: &'static str, title: &'static str) -> Column {
        Column {
            key,
            title,
            kind: ColumnKind::Number,
        }
    }
}

/// Whether the locale asks for UTF-8 box drawing (LC_ALL, LC_CTYPE, LANG).
pub fn locale_is_utf8(lc_all: Option<&str>, lc_ctype: Option<&str>, lang: Option<&str>) -> bool {
    let v = [lc_all, lc_ctype, lang]
        .into_iter()
        .flatten()
        .find(|v| !v.is_empty())
        .unwrap_or("");
    let v = v.to_ascii_lowercase();
    v.contains("utf-8") || v.contains("utf8")
}

fn cell_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => (if *b { "1" } else { "0" }).to_string(),
        Some(other) => other.to_string(),
    }
}

/// Render a list of JSON objects as a Proxmox text table, sorted by the
/// first column (stable; missing values first).
pub fn render_table(
    rows: &[Value],
    columns: &[Column],
    opts: &FormatOptions,
    utf8: bool,
) -> String {
    if rows.is_empty() || columns.is_empty() {
        return String::new();
    }
    let mut sorted: Vec<&Value> = rows.iter().collect();
    let sort_col = &columns[0];
    sorted.sort_by(|a, b| {
        let (va, vb) = (a.get(sort_col.key), b.get(sort_col.key));
        match (va, vb) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Less,
            (_, None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => match sort_col.kind {
                ColumnKind::Number => x
                    .as_f64()
                    .unwrap_or(0.0)
                    .partial_cmp(&y.as_f64().unwrap_or(0.0))
                    .unwrap_or(std::cmp::Ordering::Equal),
                ColumnKind::Text => cell_text(Some(x)).cmp(&cell_text(Some(y))),
            },
        }
    });
    let cells: Vec<Vec<String>> = sorted
        .iter()
        .map(|r| columns.iter().map(|c| cell_text(r.get(c.key))).collect())
        .collect();
    let mut widths: Vec<usize> = columns
        .iter()
        .map(|c| {
            if opts.noheader {
                0
            } else {
                c.title.chars().count()
            }
        })
        .collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let pad = |s: &str, w: usize, kind: ColumnKind| -> String {
        let n = w.saturating_sub(s.chars().count());
        match kind {
            ColumnKind::Number => format!("{}{s}", " ".repeat(n)),
            ColumnKind::Text => format!("{s}{}", " ".repeat(n)),
        }
    };
    let mut out = String::new();
    if opts.noborder {
        let line = |vals: &[String], kinds: &[ColumnKind]| -> String {
            let last = vals.len() - 1;
            let mut s = String::new();
            for (i, v) in vals.iter().enumerate() {
                if i == last {
                    if kinds[i] == ColumnKind::Number {
                        s.push_str(&pad(v, widths[i], kinds[i]));
                    } else {
                        s.push_str(v);
                    }
                    if v.is_empty() && last > 0 {
                        // an empty last cell still ends with the separator
                    }
                } else {
                    s.push_str(&pad(v, widths[i], kinds[i]));
                    s.push(' ');
                }
            }
            s
        };
        let kinds: Vec<ColumnKind> = columns.iter().map(|c| c.kind).collect();
        if !opts.noheader {
            let titles: Vec<String> = columns.iter().map(|c| c.title.to_string()).collect();
            let text_kinds = vec![ColumnKind::Text; columns.len()];
            let _ = writeln!(out, "{}", line(&titles, &text_kinds));
        }
        for row in &cells {
            let _ = writeln!(out, "{}", line(row, &kinds));
        }
        return out;
    }
    let (h, v, tl, tm, tr, hl, hm, hr, hh, ml, mm, mr, bl, bm, br) = if utf8 {
        (
            '─', '│', '┌', '┬', '┐', '╞', '╪', '╡', '═', '├', '┼', '┤', '└', '┴', '┘',
        )
    } else {
        (
            '-', '|', '+', '+', '+', '+', '+', '+', '=', '+', '+', '+', '+', '+', '+',
        )
    };
    let rule = |l: char, m: char, r: char, fill: char| -> String {
        let mut s = String::new();
        s.push(l);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                s.push(m);
            }
            s.push_str(&fill.to_string().repeat(w + 2));
        }
        s.push(r);
        s
    };
    let row_line = |vals: &[String], kinds: &[ColumnKind]| -> String {
        let mut s = String::new();
        s.push(v);
        for (i, val) in vals.iter().enumerate() {
            let _ = write!(s, " {} {v}", pad(val, widths[i], kinds[i]));
        }
        s
    };
    let kinds: Vec<ColumnKind> = columns.iter().map(|c| c.kind).collect();
    let _ = writeln!(out, "{}", rule(tl, tm, tr, h));
    if !opts.noheader {
        let titles: Vec<String> = columns.iter().map(|c| c.title.to_string()).collect();
        let _ = writeln!(
            out,
            "{}",
            row_line(&titles, &vec![ColumnKind::Text; columns.len()])
        );
        let _ = writeln!(out, "{}", rule(hl, hm, hr, hh));
    }
    for (i, row) in cells.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out, "{}", rule(ml, mm, mr, h));
        }
        let _ = writeln!(out, "{}", row_line(row, &kinds));
    }
    let _ = writeln!(out, "{}", rule(bl, bm, br, h));
    out
}

/// Render structured data in a non-text format (json, json-pretty, yaml).
/// Returns `None` for `text`, which each command renders itself.
pub fn render_data(data: &Value, format: OutputFormat) -> Option<String> {
    match format {
        OutputFormat::Text => None,
        OutputFormat::Json => Some(format!("{}\n", data)),
        OutputFormat::JsonPretty => {
            let mut s = String::new();
            json_pretty(data, 0, &mut s);
            s.push('\n');
            Some(s)
        }
        OutputFormat::Yaml => {
            let mut s = String::from("---\n");
            yaml(data, 0, &mut s, false);
            Some(s)
        }
    }
}

/// Perl JSON's pretty style: 3-space indent, `"key" : value`, sorted keys.
fn json_pretty(v: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| " ".repeat(n * 3);
    match v {
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Object(o) if o.is_empty() => out.push_str("{}"),
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                json_pretty(x, indent + 1, out);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::Object(o) => {
            out.push_str("{\n");
            let n = o.len();
            for (i, (k, x)) in o.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(" : ");
                json_pretty(x, indent + 1, out);
                if i + 1 < n {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::Null => "~".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let plain = !s.is_empty()
                && !s.contains(": ")
                && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c))
                && !s.ends_with(' ')
                && !s.contains('\n')
                && s.parse::<f64>().is_err()
                && !["true", "false", "null", "yes", "no", "~"].contains(&s.as_str());
            if plain {
                s.clone()
            } else {
                format!("'{}'", s.replace('\'', "''"))
            }
        }
        _ => unreachable!("containers are not scalars"),
    }
}

fn yaml(v: &Value, indent: usize, out: &mut String, inline_first: bool) {
    let pad = " ".repeat(indent);
    match v {
        Value::Array(a) if a.is_empty() => out.push_str("[]\n"),
        Value::Object(o) if o.is_empty() => out.push_str("{}\n"),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                if !(inline_first && i == 0) {
                    out.push_str(&pad);
                }
                out.push_str("- ");
                match x {
                    Value::Array(_) | Value::Object(_) => yaml(x, indent + 2, out, true),
                    s => {
                        out.push_str(&yaml_scalar(s));
                        out.push('\n');
                    }
                }
            }
        }
        Value::Object(o) => {
            for (i, (k, x)) in o.iter().enumerate() {
                if !(inline_first && i == 0) {
                    out.push_str(&pad);
                }
                out.push_str(&yaml_scalar(&Value::String(k.clone())));
                out.push(':');
                match x {
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        yaml(x, indent, out, false);
                    }
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        yaml(x, indent + 2, out, false);
                    }
                    Value::Array(_) => out.push_str(" []\n"),
                    Value::Object(_) => out.push_str(" {}\n"),
                    s => {
                        out.push(' ');
                        out.push_str(&yaml_scalar(s));
                        out.push('\n');
                    }
                }
            }
        }
        s => {
            out.push_str(&yaml_scalar(s));
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows() -> Vec<Value> {
        vec![json!({"id": "b", "n": 10}), json!({"id": "a", "n": 2})]
    }
    const COLS: [Column; 2] = [Column::text("id", "ID"), Column::number("n", "Count")];

    #[test]
    fn ascii_table_sorted_with_row_separators() {
        let t = render_table(&rows(), &COLS, &FormatOptions::default(), false);
        assert_eq!(
            t,
            "+----+-------+\n| ID | Count |\n+====+=======+\n| a  |     2 |\n+----+-------+\n| b  |    10 |\n+----+-------+\n"
        );
    }

    #[test]
    fn noborder_and_noheader() {
        let opts = FormatOptions {
            noborder: true,
            ..Default::default()
        };
        assert_eq!(
            render_table(&rows(), &COLS, &opts, false),
            "ID Count\na      2\nb     10\n"
        );
        let opts = FormatOptions {
            noborder: true,
            noheader: true,
            ..Default::default()
        };
        assert_eq!(render_table(&rows(), &COLS, &opts, false), "a  2\nb 10\n");
    }

    #[test]
    fn json_pretty_is_perl_style() {
        let s = render_data(&json!({"b": [1], "a": "x"}), OutputFormat::JsonPretty).unwrap();
        assert_eq!(s, "{\n   \"a\" : \"x\",\n   \"b\" : [\n      1\n   ]\n}\n");
    }

    #[test]
    fn yaml_lists_of_maps() {
        let s = render_data(&json!([{"a": 1, "b": "x y"}]), OutputFormat::Yaml).unwrap();
        assert_eq!(s, "---\n- a: 1\n  b: x y\n");
    }
}
