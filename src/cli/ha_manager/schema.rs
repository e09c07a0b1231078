//! A Proxmox-style command line handler: the conventions every Proxmox CLI
//! tool shares (command tree with unique-prefix abbreviation and aliases,
//! Getopt-like options `--opt v` / `--opt=v` / `-opt v` with prefix
//! abbreviation, booleans with optional value, repeatable list options,
//! positional argument mapping, schema verification with the
//! `400 Parameter verification failed.` block, and the usage and help text
//! grouped the way the real handler groups commands).
//!
//! Nothing here is specific to `ha-manager`; the command tree and the
//! parameter tables come from the caller. Clap is not used for these tools
//! because their error texts and option syntax differ from clap's.

use crate::cli::output::{FormatOptions, OutputFormat};
use crate::cli::CliError;
use std::collections::BTreeMap;

/// A named string format with its check (the message is what follows
/// `invalid format - `).
#[derive(Clone, Copy)]
pub struct Format {
    pub check: fn(&str) -> Result<(), String>,
}

/// The schema type of a parameter.
#[derive(Clone)]
pub enum Kind {
    Str { max_len: Option<usize> },
    Int { min: Option<i64>, max: Option<i64> },
    Bool,
    Enum(&'static [&'static str]),
    Fmt(Format, Option<usize>),
}

/// One parameter of a command (option or positional argument).
#[derive(Clone)]
pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub optional: bool,
    pub default: Option<&'static str>,
    /// Repeatable; the values are joined with commas.
    pub list: bool,
    /// Type text in usage (`<string>` etc.); derived from `kind` when `None`.
    pub typetext: Option<&'static str>,
    pub desc: &'static str,
}

impl Param {
    fn new(name: &'static str, kind: Kind) -> Param {
        Param {
            name,
            kind,
            optional: true,
            default: None,
            list: false,
            typetext: None,
            desc: "",
        }
    }
    pub fn string(name: &'static str) -> Param {
        Param::new(name, Kind::Str { max_len: None })
    }
    pub fn integer(name: &'static str, min: Option<i64>, max: Option<i64>) -> Param {
        Param::new(name, Kind::Int { min, max })
    }
    pub fn boolean(name: &'static str) -> Param {
        Param::new(name, Kind::Bool)
    }
    pub fn enumeration(name: &'static str, values: &'static [&'static str]) -> Param {
        Param::new(name, Kind::Enum(values))
    }
    pub fn format(name: &'static str, check: fn(&str) -> Result<(), String>) -> Param {
        Param::new(name, Kind::Fmt(Format { check }, None))
    }
    pub fn max_len(mut self, n: usize) -> Param {
        self.kind = match self.kind {
            Kind::Str { .. } => Kind::Str { max_len: Some(n) },
            Kind::Fmt(f, _) => Kind::Fmt(f, Some(n)),
            k => k,
        };
        self
    }
    pub fn required(mut self) -> Param {
        self.optional = false;
        self
    }
    pub fn default(mut self, d: &'static str) -> Param {
        self.default = Some(d);
        self
    }
    pub fn list(mut self) -> Param {
        self.list = true;
        self
    }
    pub fn typetext(mut self, t: &'static str) -> Param {
        self.typetext = Some(t);
        self
    }
    pub fn desc(mut self, d: &'static str) -> Param {
        self.desc = d;
        self
    }

    fn type_text(&self) -> String {
        if let Some(t) = self.typetext {
            return t.to_string();
        }
        match &self.kind {
            Kind::Str { .. } | Kind::Fmt(..) => "<string>".into(),
            Kind::Bool => "<boolean>".into(),
            Kind::Int { min, max } => match (min, max) {
                (None, None) => "<integer>".into(),
                (min, max) => format!(
                    "<integer> ({} - {})",
                    min.map(|m| m.to_string()).unwrap_or_else(|| "-N".into()),
                    max.map(|m| m.to_string()).unwrap_or_else(|| "N".into())
                ),
            },
            Kind::Enum(values) => {
                let mut v: Vec<&str> = values.to_vec();
                v.sort_unstable();
                format!("<{}>", v.join(" | "))
            }
        }
    }

    /// Verify one (non-boolean-normalised) value; the message as the schema
    /// checker words it.
    fn verify(&self, value: &str) -> Result<(), String> {
        match &self.kind {
            Kind::Str { max_len } => check_len(value, *max_len),
            Kind::Fmt(f, max_len) => {
                check_len(value, *max_len)?;
                (f.check)(value).map_err(|m| format!("invalid format - {m}"))
            }
            Kind::Bool => Ok(()),
            Kind::Int { min, max } => {
                let t = value.strip_prefix(['+', '-']).unwrap_or(value);
                if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("type check ('integer') failed - got '{value}'"));
                }
                let n: i128 = value
                    .trim_start_matches('+')
                    .parse()
                    .map_err(|_| format!("type check ('integer') failed - got '{value}'"))?;
                if let Some(m) = min {
                    if n < *m as i128 {
                        return Err(format!("value must have a minimum value of {m}"));
                    }
                }
                if let Some(m) = max {
                    if n > *m as i128 {
                        return Err(format!("value must have a maximum value of {m}"));
                    }
                }
                Ok(())
            }
            Kind::Enum(values) => {
                if values.contains(&value) {
                    Ok(())
                } else {
                    Err(format!(
                        "value '{value}' does not have a value in the enumeration '{}'",
                        values.join(", ")
                    ))
                }
            }
        }
    }
}

fn check_len(value: &str, max: Option<usize>) -> Result<(), String> {
    match max {
        Some(m) if value.chars().count() > m => {
            Err(format!("value may only be {m} characters long"))
        }
        _ => Ok(()),
    }
}

/// The parameters of the shared `[FORMAT_OPTIONS]`.
pub fn format_params() -> Vec<Param> {
    vec![
        Param::boolean("human-readable")
            .default("1")
            .desc("Call output rendering functions to produce human readable text."),
        Param::boolean("noborder")
            .default("0")
            .desc("Do not draw borders (for 'text' format)."),
        Param::boolean("noheader")
            .default("0")
            .desc("Do not show column headers (for 'text' format)."),
        Param::enumeration("output-format", &["text", "json", "json-pretty", "yaml"])
            .default("text")
            .desc("Output format."),
        Param::boolean("quiet").desc("Suppress printing results."),
    ]
}

/// One command: its parameters, positional argument names and handler.
pub struct CmdDef<H> {
    /// Grouping key of the usage listing (upstream: the handler class).
    pub class: &'static str,
    pub args: Vec<&'static str>,
    pub params: Vec<Param>,
    pub format_options: bool,
    pub desc: &'static str,
    pub handler: H,
}

/// A node of the command tree.
pub enum Node<H> {
    Cmd(CmdDef<H>),
    Group(Vec<(&'static str, Node<H>)>),
    /// An alias for a sequence of command words (`migrate` =
    /// `crm-command migrate`); aliases are not used for prefix matching.
    Alias(&'static [&'static str]),
    /// The generic `help [<extra-args>] [--verbose]` command.
    Help,
}

/// The grouping key of the built-in help command (upstream: the generic
/// CLI handler class, which sorts after the tool's own classes).
const HELP_CLASS: &str = "PVE::CLIHandler";

/// Parsed and verified parameter values (booleans normalised to `1`/`0`;
/// defaults are not filled in, so "given" and "default" stay apart).
#[derive(Debug, Clone, Default)]
pub struct Values {
    map: BTreeMap<String, String>,
}

impl Values {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }
    pub fn has(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.get(name).map(|v| v == "1")
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        self.get(name)
            .and_then(|v| v.trim_start_matches('+').parse().ok())
    }
    pub fn insert(&mut self, name: &str, value: impl Into<String>) {
        self.map.insert(name.to_string(), value.into());
    }
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The `[FORMAT_OPTIONS]` as the renderer wants them.
    pub fn format_options(&self) -> FormatOptions {
        FormatOptions {
            output_format: match self.get("output-format") {
                Some("json") => OutputFormat::Json,
                Some("json-pretty") => OutputFormat::JsonPretty,
                Some("yaml") => OutputFormat::Yaml,
                _ => OutputFormat::Text,
            },
            noborder: self.bool("noborder").unwrap_or(false),
            noheader: self.bool("noheader").unwrap_or(false),
            quiet: self.bool("quiet").unwrap_or(false),
            human_readable: self.bool("human-readable").unwrap_or(true),
        }
    }
}

/// What the dispatcher decided.
pub enum Dispatch<'a, H> {
    /// Run a command: its full word path, definition and values.
    Run {
        words: Vec<&'static str>,
        def: &'a CmdDef<H>,
        values: Values,
    },
    /// `help`: the text to print on stdout.
    Help(String),
}

enum Resolved<'a, H> {
    Cmd(Vec<&'static str>, &'a CmdDef<H>, Vec<String>),
    Help(Vec<String>),
}

/// The tool: its name and command tree.
pub struct Tool<H> {
    pub name: &'static str,
    pub tree: Vec<(&'static str, Node<H>)>,
}

fn fail(msg: impl Into<String>) -> CliError {
    CliError::fail(msg)
}

impl<H> Tool<H> {
    /// The short usage line of a command.
    pub fn usage_line(&self, words: &[&str], def: &CmdDef<H>) -> String {
        let args: Vec<String> = def
            .args
            .iter()
            .map(|a| {
                let optional = def
                    .params
                    .iter()
                    .find(|p| p.name == *a)
                    .map(|p| p.optional)
                    .unwrap_or(false);
                if optional {
                    format!("[<{a}>]")
                } else {
                    format!("<{a}>")
                }
            })
            .collect();
        let has_opts = def.params.iter().any(|p| !def.args.contains(&p.name));
        let mut s = format!("{} {} {}", self.name, words.join(" "), args.join(" "));
        if has_opts {
            s.push_str(" [OPTIONS]");
        }
        if def.format_options {
            s.push_str(" [FORMAT_OPTIONS]");
        }
        s
    }

    fn sorted_entries<'a>(
        entries: &'a [(&'static str, Node<H>)],
    ) -> Vec<&'a (&'static str, Node<H>)> {
        let mut v: Vec<&(&'static str, Node<H>)> = entries.iter().collect();
        v.sort_by(|a, b| {
            let class = |n: &Node<H>| match n {
                Node::Cmd(d) => d.class,
                Node::Help => HELP_CLASS,
                _ => "",
            };
            class(&a.1).cmp(class(&b.1)).then(a.0.cmp(b.0))
        });
        v
    }

    /// The usage listing of a subtree, grouped and separated the way the
    /// real handler does it (`separator` is "\n" for `help`, "" for errors).
    fn listing(
        &self,
        entries: &[(&'static str, Node<H>)],
        prefix: &[&'static str],
        separator: &str,
    ) -> String {
        let mut out = String::new();
        let mut old_class: Option<&str> = None;
        for (name, node) in Self::sorted_entries(entries) {
            let mut words = prefix.to_vec();
            words.push(name);
            match node {
                Node::Cmd(def) => {
                    if let Some(c) = old_class {
                        if c != def.class {
                            out.push_str(separator);
                        }
                    }
                    out.push_str("       ");
                    out.push_str(&self.usage_line(&words, def));
                    out.push('\n');
                    old_class = Some(def.class);
                }
                Node::Alias(_) => {}
                Node::Help => {
                    if let Some(c) = old_class {
                        if c != HELP_CLASS {
                            out.push_str(separator);
                        }
                    }
                    out.push_str(&format!(
                        "       {} {} [<extra-args>] [OPTIONS]\n",
                        self.name,
                        words.join(" ")
                    ));
                    old_class = Some(HELP_CLASS);
                }
                Node::Group(children) => {
                    let mut sub = self.listing(children, &words, separator);
                    if !sub.is_empty() {
                        let doubled = separator.repeat(2);
                        if !separator.is_empty() && !sub.ends_with(&doubled) {
                            sub.push_str(separator);
                        }
                        out.push_str(&sub);
                    }
                }
            }
        }
        out
    }

    fn error_usage(
        &self,
        msg: &str,
        entries: &[(&'static str, Node<H>)],
        prefix: &[&'static str],
    ) -> CliError {
        crate::cli::command_error(self.name, msg, &self.listing(entries, prefix, ""))
    }

    /// The full `help` listing.
    pub fn help_listing(&self) -> String {
        let mut s = format!("USAGE: {} <COMMAND> [ARGS] [OPTIONS]\n\n", self.name);
        s.push_str(&self.listing(&self.tree, &[], "\n"));
        s
    }

    /// Resolve command words; returns the path, the node and the index of
    /// the first argument after the command words.
    fn resolve<'a>(&'a self, argv: &[String]) -> Result<Resolved<'a, H>, CliError> {
        let mut argv: Vec<String> = argv.to_vec();
        let mut entries: &'a [(&'static str, Node<H>)] = &self.tree;
        let mut path: Vec<&'static str> = Vec::new();
        let mut i = 0;
        let mut alias_depth = 0;
        loop {
            if i >= argv.len() {
                if path.is_empty() {
                    return Err(self.error_usage("no command specified", &self.tree, &[]));
                }
                let cmdstr = format!("{} {}", self.name, path.join(" "));
                return Err(self.error_usage(
                    &format!("incomplete command '{cmdstr}'"),
                    entries,
                    &path,
                ));
            }
            let word = argv[i].as_str();
            let found = entries.iter().find(|(n, _)| *n == word).or_else(|| {
                let cands: Vec<&(&'static str, Node<H>)> = entries
                    .iter()
                    .filter(|(n, node)| !matches!(node, Node::Alias(_)) && n.starts_with(word))
                    .collect();
                if cands.len() == 1 && !word.is_empty() {
                    Some(cands[0])
                } else {
                    None
                }
            });
            let Some((name, node)) = found else {
                let mut words: Vec<&str> = path.clone();
                words.push(word);
                let cmdstr = format!("{} {}", self.name, words.join(" "));
                return Err(self.error_usage(
                    &format!("unknown command '{cmdstr}'"),
                    &self.tree,
                    &[],
                ));
            };
            match node {
                Node::Cmd(def) => {
                    path.push(name);
                    return Ok(Resolved::Cmd(path, def, argv[i + 1..].to_vec()));
                }
                Node::Help => return Ok(Resolved::Help(argv[i + 1..].to_vec())),
                Node::Group(children) => {
                    path.push(name);
                    entries = children;
                    i += 1;
                }
                Node::Alias(target) => {
                    alias_depth += 1;
                    if alias_depth > 4 {
                        return Err(fail(format!("alias loop detected for '{word}'")));
                    }
                    let mut expanded: Vec<String> = argv[..i].to_vec();
                    expanded.extend(target.iter().map(|s| s.to_string()));
                    expanded.extend(argv[i + 1..].iter().cloned());
                    argv = expanded;
                    entries = &self.tree;
                    path.clear();
                    i = 0;
                }
            }
        }
    }

    /// Parse a whole command line (without the program name).
    pub fn dispatch(&self, argv: &[String]) -> Result<Dispatch<'_, H>, CliError> {
        match self.resolve(argv)? {
            Resolved::Help(rest) => self.help(&rest).map(Dispatch::Help),
            Resolved::Cmd(words, def, rest) => {
                let values = self.parse_params(&words, def, &rest)?;
                Ok(Dispatch::Run { words, def, values })
            }
        }
    }

    /// `help [<cmd>...] [--verbose]`.
    fn help(&self, argv: &[String]) -> Result<String, CliError> {
        let mut verbose = false;
        let mut words: Vec<String> = Vec::new();
        let mut it = argv.iter().peekable();
        while let Some(a) = it.next() {
            if let Some(opt) = a.strip_prefix("--").or_else(|| a.strip_prefix('-')) {
                let (name, inline) = match opt.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (opt, None),
                };
                if !"verbose".starts_with(&name.to_ascii_lowercase()) || name.is_empty() {
                    return Err(fail(format!(
                        "Unknown option: {name}\n400 unable to parse option"
                    )));
                }
                let v = match inline {
                    Some(v) => v,
                    None => match it.peek() {
                        Some(n) if !n.starts_with('-') => it.next().cloned().unwrap_or_default(),
                        _ => String::new(),
                    },
                };
                verbose = match normalise_bool(&v) {
                    Some(b) => b == "1",
                    None => return Err(fail("400 unable to parse boolean option")),
                };
            } else {
                words.push(a.clone());
            }
        }
        if words.is_empty() {
            return Ok(self.help_listing());
        }
        // Resolve the named command (no alias expansion beyond the tree).
        let mut entries: &[(&'static str, Node<H>)] = &self.tree;
        let mut path: Vec<&'static str> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let found = entries.iter().find(|(n, _)| *n == w.as_str()).or_else(|| {
                let c: Vec<_> = entries
                    .iter()
                    .filter(|(n, node)| {
                        !matches!(node, Node::Alias(_)) && n.starts_with(w.as_str())
                    })
                    .collect();
                (c.len() == 1).then(|| c[0])
            });
            let Some((name, node)) = found else {
                let mut ws: Vec<&str> = path.clone();
                ws.push(w);
                return Err(fail(format!(
                    "no such command '{} {}'",
                    self.name,
                    ws.join(" ")
                )));
            };
            path.push(name);
            match node {
                Node::Help => {
                    let line = format!("{} help [<extra-args>] [OPTIONS]", self.name);
                    return Ok(format!("USAGE: {line}\n"));
                }
                Node::Cmd(def) => {
                    if i + 1 != words.len() {
                        return Err(fail(format!(
                            "no such command '{} {}'",
                            self.name,
                            words.join(" ")
                        )));
                    }
                    let line = self.usage_line(&path, def);
                    if !verbose {
                        return Ok(format!("USAGE: {line}\n"));
                    }
                    return Ok(self.long_help(&line, def));
                }
                Node::Group(children) => entries = children,
                Node::Alias(target) => {
                    let t: Vec<String> = target.iter().map(|s| s.to_string()).collect();
                    let mut rest = t;
                    rest.extend(words[i + 1..].iter().cloned());
                    if verbose {
                        rest.push("--verbose".into());
                    }
                    return self.help(&rest);
                }
            }
        }
        let mut s = format!("USAGE: {} <COMMAND> [ARGS] [OPTIONS]\n", self.name);
        s.push_str(&self.listing(entries, &path, ""));
        Ok(s)
    }

    fn long_help(&self, line: &str, def: &CmdDef<H>) -> String {
        let mut params: Vec<&Param> = def
            .args
            .iter()
            .filter_map(|a| def.params.iter().find(|p| p.name == *a))
            .collect();
        let mut opts: Vec<&Param> = def
            .params
            .iter()
            .filter(|p| !def.args.contains(&p.name))
            .collect();
        opts.sort_by_key(|p| p.name);
        params.extend(opts);
        let entries: Vec<HelpEntry> = params
            .into_iter()
            .map(|p| {
                let label = if def.args.contains(&p.name) {
                    format!("<{}>", p.name)
                } else {
                    format!("-{}", p.name)
                };
                let mut tt = p.type_text();
                if let Some(d) = p.default {
                    tt.push_str(&format!("   (default={d})"));
                }
                HelpEntry {
                    label,
                    type_text: tt,
                    desc: p.desc.to_string(),
                }
            })
            .collect();
        long_help_text(line, def.desc, &entries)
    }

    /// Options and positional arguments of one command, then verification.
    fn parse_params(
        &self,
        words: &[&'static str],
        def: &CmdDef<H>,
        argv: &[String],
    ) -> Result<Values, CliError> {
        let usage = self.usage_line(words, def);
        let fmt_params = if def.format_options {
            format_params()
        } else {
            Vec::new()
        };
        let all: Vec<&Param> = def.params.iter().chain(fmt_params.iter()).collect();
        let mut raw: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut positional: Vec<String> = Vec::new();
        let mut i = 0;
        let mut options_done = false;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            if options_done || a == "-" || !a.starts_with('-') {
                positional.push(a.clone());
                continue;
            }
            if a == "--" {
                options_done = true;
                continue;
            }
            let body = a.strip_prefix("--").unwrap_or(&a[1..]);
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let lname = name.to_ascii_lowercase();
            let param = match all.iter().find(|p| p.name == lname) {
                Some(p) => *p,
                None => {
                    let cands: Vec<&&Param> = all
                        .iter()
                        .filter(|p| !lname.is_empty() && p.name.starts_with(&lname))
                        .collect();
                    match cands.len() {
                        1 => *cands[0],
                        0 => {
                            return Err(fail(format!(
                                "Unknown option: {name}\n400 unable to parse option"
                            )))
                        }
                        _ => {
                            let mut names: Vec<&str> = cands.iter().map(|p| p.name).collect();
                            names.sort_unstable();
                            return Err(fail(format!(
                                "Option {name} is ambiguous ({})\n400 unable to parse option",
                                names.join(", ")
                            )));
                        }
                    }
                }
            };
            let value = match (inline, &param.kind) {
                (Some(v), _) => v,
                (None, Kind::Bool) => match argv.get(i) {
                    Some(n) if !n.starts_with('-') || n == "-" => {
                        i += 1;
                        n.clone()
                    }
                    _ => String::new(),
                },
                (None, _) => match argv.get(i) {
                    Some(n) => {
                        i += 1;
                        n.clone()
                    }
                    None => {
                        return Err(fail(format!(
                            "Option {} requires an argument\n400 unable to parse option",
                            param.name
                        )))
                    }
                },
            };
            let slot = raw.entry(param.name).or_default();
            if param.list {
                slot.push(value);
            } else {
                *slot = vec![value];
            }
        }
        let mut values = Values::default();
        for (name, vals) in &raw {
            let p = all.iter().find(|p| p.name == *name).expect("known param");
            if matches!(p.kind, Kind::Bool) {
                match normalise_bool(&vals[0]) {
                    Some(b) => values.insert(name, b),
                    None => return Err(fail("400 unable to parse boolean option")),
                }
            } else {
                values.insert(name, vals.join(","));
            }
        }
        let mut pos = positional.into_iter();
        for (idx, arg) in def.args.iter().enumerate() {
            match pos.next() {
                Some(v) => values.insert(arg, v),
                None => {
                    let missing_required = def.args[idx..].iter().any(|a| {
                        def.params
                            .iter()
                            .find(|p| p.name == *a)
                            .map(|p| !p.optional)
                            .unwrap_or(true)
                    });
                    if missing_required {
                        return Err(fail(format!("400 not enough arguments\n{usage}")));
                    }
                    break;
                }
            }
        }
        if pos.next().is_some() {
            return Err(fail(format!("400 too many arguments\n{usage}")));
        }
        let mut errors: Vec<(String, String)> = Vec::new();
        for p in &all {
            match values.get(p.name) {
                None if !p.optional => errors.push((
                    p.name.to_string(),
                    "property is missing and it is not optional".into(),
                )),
                None => {}
                Some(v) => {
                    if let Err(m) = p.verify(v) {
                        errors.push((p.name.to_string(), m));
                    }
                }
            }
        }
        if !errors.is_empty() {
            errors.sort();
            return Err(param_error(&errors, &usage));
        }
        Ok(values)
    }
}

/// The `400 Parameter verification failed.` block.
pub fn param_error(errors: &[(String, String)], usage: &str) -> CliError {
    let mut s = String::from("400 Parameter verification failed.\n");
    for (k, m) in errors {
        s.push_str(&format!("{k}: {m}\n\n"));
    }
    s.push_str(usage);
    fail(s)
}

/// Proxmox boolean: empty (flag without value) is true.
pub fn normalise_bool(v: &str) -> Option<&'static str> {
    match v.to_ascii_lowercase().as_str() {
        "" | "1" | "yes" | "on" | "true" => Some("1"),
        "0" | "no" | "off" | "false" => Some("0"),
        _ => None,
    }
}

/// One parameter of a command's verbose help: `<vmid>` or `-name`, its
/// type text, and its description.
pub struct HelpEntry {
    pub label: String,
    pub type_text: String,
    pub desc: String,
}

/// The CLI handler's verbose help of one command (`<tool> help <cmd>
/// --verbose`): the usage line, the wrapped description, then every
/// parameter with its type and wrapped description.
pub fn long_help_text(line: &str, desc: &str, params: &[HelpEntry]) -> String {
    let mut s = format!("USAGE: {line}\n\n");
    s.push_str(&wrap(desc, "  ", 80));
    s.push('\n');
    for p in params {
        s.push_str(&format!("  {:<10} {}\n\n", p.label, p.type_text));
        s.push_str(&wrap(&p.desc, "             ", 80));
        s.push('\n');
    }
    s
}

fn wrap(text: &str, indent: &str, width: usize) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let mut line = String::new();
    for w in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + w.len() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool() -> Tool<u8> {
        let add = CmdDef {
            class: "B",
            args: vec!["sid"],
            params: vec![
                Param::string("sid").required(),
                Param::integer("max_restart", Some(0), None),
                Param::integer("max_relocate", Some(0), None),
                Param::boolean("failback"),
                Param::enumeration("state", &["started", "stopped"]),
                Param::string("nodes").list(),
            ],
            format_options: false,
            desc: "Add.",
            handler: 1,
        };
        let list = CmdDef {
            class: "A",
            args: vec![],
            params: vec![],
            format_options: true,
            desc: "",
            handler: 2,
        };
        let mig = CmdDef {
            class: "C",
            args: vec!["sid", "node"],
            params: vec![
                Param::string("sid").required(),
                Param::string("node").required(),
            ],
            format_options: false,
            desc: "",
            handler: 3,
        };
        Tool {
            name: "t",
            tree: vec![
                ("add", Node::Cmd(add)),
                ("list", Node::Cmd(list)),
                ("sub", Node::Group(vec![("migrate", Node::Cmd(mig))])),
                ("migrate", Node::Alias(&["sub", "migrate"])),
                ("help", Node::Help),
            ],
        }
    }

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn run(t: &Tool<u8>, s: &str) -> Result<(u8, Values), String> {
        match t.dispatch(&args(s)) {
            Ok(Dispatch::Run { def, values, .. }) => Ok((def.handler, values)),
            Ok(Dispatch::Help(h)) => Err(format!("HELP:{h}")),
            Err(e) => Err(e.message),
        }
    }

    #[test]
    fn options_in_all_spellings_and_prefixes() {
        let t = tool();
        let (h, v) = run(
            &t,
            "ad x -max_restart 2 --max_relocate=3 --fail --nodes a --nodes b,c",
        )
        .unwrap();
        assert_eq!(h, 1);
        assert_eq!(v.get("sid"), Some("x"));
        assert_eq!(v.int("max_restart"), Some(2));
        assert_eq!(v.int("max_relocate"), Some(3));
        assert_eq!(v.bool("failback"), Some(true));
        assert_eq!(v.get("nodes"), Some("a,b,c"));
        let (_, v) = run(&t, "add --failback no x").unwrap();
        assert_eq!(v.bool("failback"), Some(false));
        assert_eq!(v.get("sid"), Some("x"));
    }

    #[test]
    fn errors_have_proxmox_shape() {
        let t = tool();
        assert_eq!(
            run(&t, "add x --max_r 1").unwrap_err(),
            "Option max_r is ambiguous (max_relocate, max_restart)\n400 unable to parse option"
        );
        assert_eq!(
            run(&t, "add x --bogus 1").unwrap_err(),
            "Unknown option: bogus\n400 unable to parse option"
        );
        assert_eq!(
            run(&t, "add x --failback maybe").unwrap_err(),
            "400 unable to parse boolean option"
        );
        assert_eq!(
            run(&t, "add").unwrap_err(),
            "400 not enough arguments\nt add <sid> [OPTIONS]"
        );
        assert_eq!(
            run(&t, "add x y").unwrap_err(),
            "400 too many arguments\nt add <sid> [OPTIONS]"
        );
        assert_eq!(
            run(&t, "add x --max_restart abc --state foo --max_relocate -1").unwrap_err(),
            "400 Parameter verification failed.\nmax_relocate: value must have a minimum value of 0\n\nmax_restart: type check ('integer') failed - got 'abc'\n\nstate: value 'foo' does not have a value in the enumeration 'started, stopped'\n\nt add <sid> [OPTIONS]"
        );
    }

    #[test]
    fn commands_abbreviations_aliases_and_usage() {
        let t = tool();
        assert_eq!(run(&t, "migrate a b").unwrap().0, 3);
        assert_eq!(run(&t, "s m a b").unwrap().0, 3);
        let e = run(&t, "mig a b");
        assert!(e.is_ok() || e.unwrap_err().starts_with("ERROR: unknown command 't mig'"));
        assert_eq!(
            run(&t, "foo").unwrap_err(),
            "ERROR: unknown command 't foo'\nUSAGE: t <COMMAND> [ARGS] [OPTIONS]\n       t sub migrate <sid> <node>\n       t list  [FORMAT_OPTIONS]\n       t add <sid> [OPTIONS]\n       t help [<extra-args>] [OPTIONS]\n"
        );
        assert_eq!(
            run(&t, "sub").unwrap_err(),
            "ERROR: incomplete command 't sub'\nUSAGE: t <COMMAND> [ARGS] [OPTIONS]\n       t sub migrate <sid> <node>\n"
        );
        assert_eq!(
            t.help_listing(),
            "USAGE: t <COMMAND> [ARGS] [OPTIONS]\n\n       t sub migrate <sid> <node>\n\n       t list  [FORMAT_OPTIONS]\n\n       t add <sid> [OPTIONS]\n\n       t help [<extra-args>] [OPTIONS]\n"
        );
        assert_eq!(
            run(&t, "he add").unwrap_err(),
            "HELP:USAGE: t add <sid> [OPTIONS]\n"
        );
    }
}
