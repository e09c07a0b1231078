//! Calendar-event schedules (a subset of systemd calendar events), as used by
//! the `schedule` option of replication jobs: the grammar of pvesr.md §23.1
//! and the next-event computation of §23.2.
//!
//! ```text
//! [WEEKDAYS] [DATE] [TIME] [UTC]      e.g. "mon..fri 8..17:0/30", "*/15", "daily"
//! ```

use super::localtime::{days_from_civil, Civil, Zone};
use std::fmt;

/// A schedule that did not parse. The text is the `<detail>` of
/// `invalid calendar event '<value>' - <detail>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError(pub String);

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CalendarError {}

/// One element of a field list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// `N`
    Single(i64),
    /// `N..M`
    Range(i64, i64),
    /// `N/R`, `N..M/R`, `*/R`
    Repeat {
        start: i64,
        end: Option<i64>,
        step: i64,
    },
}

impl Item {
    fn contains(&self, x: i64) -> bool {
        match *self {
            Item::Single(n) => x == n,
            Item::Range(n, m) => n <= x && x <= m,
            Item::Repeat { start, end, step } => {
                x >= start && (x - start) % step == 0 && end.is_none_or(|e| x <= e)
            }
        }
    }

    /// The smallest value of this item that is greater than `x`.
    fn next_after(&self, x: i64) -> Option<i64> {
        match *self {
            Item::Single(n) => (n > x).then_some(n),
            Item::Range(n, m) => {
                if x < n {
                    Some(n)
                } else if x < m {
                    Some(x + 1)
                } else {
                    None
                }
            }
            Item::Repeat { start, end, step } => {
                let v = if x < start {
                    start
                } else {
                    start + ((x - start) / step + 1) * step
                };
                end.is_none_or(|e| v <= e).then_some(v)
            }
        }
    }
}

/// A list of items; empty means "any value".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct FieldList(Vec<Item>);

impl FieldList {
    fn contains(&self, x: i64) -> bool {
        self.0.is_empty() || self.0.iter().any(|i| i.contains(x))
    }

    fn next_after(&self, x: i64) -> Option<i64> {
        if self.0.is_empty() {
            return Some(x + 1);
        }
        self.0.iter().filter_map(|i| i.next_after(x)).min()
    }

    fn single(n: i64) -> FieldList {
        FieldList(vec![Item::Single(n)])
    }
}

/// A parsed calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Evaluate in UTC instead of the local zone (`... UTC`).
    pub utc: bool,
    /// Bit 0 = Monday .. bit 6 = Sunday.
    weekdays: u8,
    years: FieldList,
    months: FieldList,
    days: FieldList,
    hours: FieldList,
    minutes: FieldList,
    seconds: FieldList,
}

const ALL_WEEKDAYS: u8 = 0x7f;

#[derive(Clone, Copy)]
enum Field {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

impl Field {
    /// Values must be below this.
    fn limit(self) -> i64 {
        match self {
            Field::Year => 2200,
            Field::Month => 13,
            Field::Day => 32,
            Field::Hour => 24,
            Field::Minute | Field::Second => 60,
        }
    }

    /// Smallest accepted value, and the start of `*/R`.
    fn min(self) -> i64 {
        match self {
            Field::Month | Field::Day => 1,
            _ => 0,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Field::Year => "year",
            Field::Month => "month",
            Field::Day => "day",
            Field::Hour => "hour",
            Field::Minute => "minute",
            Field::Second => "second",
        }
    }
}

const WEEKDAY_NAMES: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

/// A failure at byte offset `at` of the text being parsed.
struct Fail {
    at: usize,
    msg: String,
}

type P<T> = Result<T, Fail>;

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn fail<T>(&self, at: usize, msg: impl Into<String>) -> P<T> {
        Err(Fail {
            at,
            msg: msg.into(),
        })
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn skip_spaces(&mut self) {
        while self.rest().starts_with(' ') {
            self.pos += 1;
        }
    }

    fn number(&mut self) -> P<i64> {
        let start = self.pos;
        let digits = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return self.fail(start, "expected a number");
        }
        self.pos += digits;
        match self.s[start..self.pos].parse::<i64>() {
            Ok(n) => Ok(n),
            Err(_) => self.fail(start, "number too large"),
        }
    }

    fn value(&mut self, field: Field) -> P<i64> {
        let start = self.pos;
        let n = self.number()?;
        if n >= field.limit() {
            return self.fail(
                start,
                format!(
                    "{} value {n} out of range (must be below {})",
                    field.name(),
                    field.limit()
                ),
            );
        }
        if n < field.min() {
            return self.fail(start, format!("{} value {n} out of range", field.name()));
        }
        Ok(n)
    }

    fn step(&mut self, field: Field) -> P<i64> {
        let start = self.pos;
        let r = self.number()?;
        if r == 0 {
            return self.fail(start, "repetition must not be 0");
        }
        if r >= field.limit() {
            return self.fail(
                start,
                format!(
                    "{} repetition {r} out of range (must be below {})",
                    field.name(),
                    field.limit()
                ),
            );
        }
        Ok(r)
    }

    /// `"*" | "*/" R | ITEM ("," ITEM)*`
    fn list(&mut self, field: Field) -> P<FieldList> {
        if self.eat("*") {
            if self.eat("/") {
                let step = self.step(field)?;
                return Ok(FieldList(vec![Item::Repeat {
                    start: field.min(),
                    end: None,
                    step,
                }]));
            }
            return Ok(FieldList::default());
        }
        let mut items = Vec::new();
        loop {
            let n = self.value(field)?;
            let mut end = None;
            if self.eat("..") {
                let m_at = self.pos;
                let m = self.value(field)?;
                if m < n {
                    return self.fail(m_at, format!("range end {m} is before its start {n}"));
                }
                end = Some(m);
            }
            let item = if self.eat("/") {
                let step = self.step(field)?;
                Item::Repeat {
                    start: n,
                    end,
                    step,
                }
            } else if let Some(m) = end {
                Item::Range(n, m)
            } else {
                Item::Single(n)
            };
            items.push(item);
            if !self.eat(",") {
                break;
            }
        }
        Ok(FieldList(items))
    }

    fn weekday(&mut self) -> P<u8> {
        let start = self.pos;
        let len = self
            .rest()
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        let word = self.rest()[..len].to_ascii_lowercase();
        match WEEKDAY_NAMES
            .iter()
            .position(|(short, long)| word == *short || word == *long)
        {
            Some(i) => {
                self.pos += len;
                Ok(i as u8)
            }
            None => self.fail(start, "expected a weekday"),
        }
    }

    /// `WDRANGE ("," WDRANGE)*`
    fn weekdays(&mut self) -> P<u8> {
        let mut mask = 0u8;
        loop {
            let a = self.weekday()?;
            if self.eat("..") {
                let b = self.weekday()?;
                let mut d = a;
                loop {
                    mask |= 1 << d;
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            } else {
                mask |= 1 << a;
            }
            if !self.eat(",") {
                break;
            }
        }
        Ok(mask)
    }

    /// `YLIST "-" MLIST "-" DLIST | MLIST "-" DLIST`, backtracking on failure.
    fn date(&mut self) -> Option<(FieldList, FieldList, FieldList)> {
        let save = self.pos;
        let full = (|| -> P<_> {
            let y = self.list(Field::Year)?;
            if !self.eat("-") {
                return self.fail(self.pos, "expected '-'");
            }
            let m = self.list(Field::Month)?;
            if !self.eat("-") {
                return self.fail(self.pos, "expected '-'");
            }
            let d = self.list(Field::Day)?;
            Ok((y, m, d))
        })();
        if let Ok(v) = full {
            return Some(v);
        }
        self.pos = save;
        let short = (|| -> P<_> {
            let m = self.list(Field::Month)?;
            if !self.eat("-") {
                return self.fail(self.pos, "expected '-'");
            }
            let d = self.list(Field::Day)?;
            Ok((FieldList::default(), m, d))
        })();
        match short {
            Ok(v) => Some(v),
            Err(_) => {
                self.pos = save;
                None
            }
        }
    }

    /// `[HLIST ":"] MINLIST [":" SLIST]`; an hour part that fails makes the
    /// whole text be read as minute[:second].
    fn time(&mut self) -> P<(FieldList, FieldList, FieldList)> {
        let save = self.pos;
        let hour = self.list(Field::Hour);
        if let Ok(h) = hour {
            if self.eat(":") {
                let m = self.list(Field::Minute)?;
                let s = if self.eat(":") {
                    self.list(Field::Second)?
                } else {
                    FieldList::single(0)
                };
                return Ok((h, m, s));
            }
        }
        self.pos = save;
        let m = self.list(Field::Minute)?;
        let s = if self.eat(":") {
            self.list(Field::Second)?
        } else {
            FieldList::single(0)
        };
        Ok((FieldList::default(), m, s))
    }
}

impl CalendarEvent {
    /// Parse a schedule. Errors read
    /// `unable to parse calendar event at '<rest>' - <detail>`.
    pub fn parse(text: &str) -> Result<CalendarEvent, CalendarError> {
        let mut s = text.trim();
        if s.is_empty() {
            return Err(CalendarError(
                "unable to parse calendar event - event is empty".into(),
            ));
        }
        let mut utc = false;
        if let Some(stripped) = s.strip_suffix("UTC") {
            utc = true;
            s = stripped.trim_end();
            if s.is_empty() {
                return Err(CalendarError(
                    "unable to parse calendar event at 'UTC' - event is empty".into(),
                ));
            }
        }
        let zero = FieldList::single(0);
        let one = FieldList::single(1);
        let any = FieldList::default();
        let special = |weekdays, months: FieldList, days: FieldList, hours: FieldList, minutes| {
            CalendarEvent {
                utc,
                weekdays,
                years: FieldList::default(),
                months,
                days,
                hours,
                minutes,
                seconds: FieldList::single(0),
            }
        };
        let ev = match s {
            "minutely" => Some(special(
                ALL_WEEKDAYS,
                any.clone(),
                any.clone(),
                any.clone(),
                any.clone(),
            )),
            "hourly" => Some(special(
                ALL_WEEKDAYS,
                any.clone(),
                any.clone(),
                any.clone(),
                zero.clone(),
            )),
            "daily" => Some(special(
                ALL_WEEKDAYS,
                any.clone(),
                any.clone(),
                zero.clone(),
                zero.clone(),
            )),
            "weekly" => Some(special(
                1,
                any.clone(),
                any.clone(),
                zero.clone(),
                zero.clone(),
            )),
            "monthly" => Some(special(
                ALL_WEEKDAYS,
                any.clone(),
                one.clone(),
                zero.clone(),
                zero.clone(),
            )),
            "yearly" | "annually" => Some(special(
                ALL_WEEKDAYS,
                one.clone(),
                one.clone(),
                zero.clone(),
                zero.clone(),
            )),
            "quarterly" => Some(special(
                ALL_WEEKDAYS,
                FieldList(vec![1, 4, 7, 10].into_iter().map(Item::Single).collect()),
                one.clone(),
                zero.clone(),
                zero.clone(),
            )),
            "semiannually" | "semi-annually" => Some(special(
                ALL_WEEKDAYS,
                FieldList(vec![Item::Single(1), Item::Single(7)]),
                one.clone(),
                zero.clone(),
                zero.clone(),
            )),
            _ => None,
        };
        if let Some(ev) = ev {
            return Ok(ev);
        }
        let mut p = Parser { s, pos: 0 };
        let result = (|| -> P<CalendarEvent> {
            let mut ev = CalendarEvent {
                utc,
                weekdays: ALL_WEEKDAYS,
                years: FieldList::default(),
                months: FieldList::default(),
                days: FieldList::default(),
                hours: FieldList::single(0),
                minutes: FieldList::single(0),
                seconds: FieldList::single(0),
            };
            let mut any_part = false;
            if p.rest().starts_with(|c: char| c.is_ascii_alphabetic()) {
                ev.weekdays = p.weekdays()?;
                any_part = true;
                p.skip_spaces();
            }
            if let Some((y, m, d)) = p.date() {
                ev.years = y;
                ev.months = m;
                ev.days = d;
                any_part = true;
                p.skip_spaces();
            }
            if !p.rest().is_empty() {
                let (h, m, s) = p.time()?;
                ev.hours = h;
                ev.minutes = m;
                ev.seconds = s;
                any_part = true;
                p.skip_spaces();
            }
            if !p.rest().is_empty() {
                return p.fail(p.pos, "unexpected trailing text");
            }
            if !any_part {
                return p.fail(0, "event is empty");
            }
            Ok(ev)
        })();
        result.map_err(|f| {
            CalendarError(format!(
                "unable to parse calendar event at '{}' - {}",
                &s[f.at.min(s.len())..],
                f.msg
            ))
        })
    }

    /// The first event strictly after epoch second `last`, evaluated in
    /// `zone` (or UTC for a `... UTC` schedule). `None`: there is none.
    pub fn next_event(&self, last: i64, zone: &Zone) -> Option<i64> {
        let utc = Zone::utc();
        let zone = if self.utc { &utc } else { zone };
        let mut from = zone.to_local(last + 1);
        // Each round either returns or moves past one local candidate that
        // does not exist or was already passed (clock changes).
        for _ in 0..100_000 {
            let cand = self.next_local(from)?;
            match zone.from_local(&cand) {
                Some(t) if t > last => return Some(t),
                _ => from = Civil::from_utc_seconds(cand.as_utc_seconds() + 1),
            }
        }
        None
    }

    /// The first calendar time at or after `t` that matches (no zone).
    fn next_local(&self, t: Civil) -> Option<Civil> {
        let mut t = t;
        let set_day = |y: i64, m: i64, d: i64| -> Civil {
            let days = days_from_civil(y, m, 1) + d - 1;
            Civil::from_utc_seconds(days * 86400)
        };
        for _ in 0..1000 {
            if !self.years.contains(t.year) {
                let y = self.years.next_after(t.year)?;
                t = set_day(y, 1, 1);
                continue;
            }
            if !self.months.contains(t.month) {
                t = match self.months.next_after(t.month) {
                    Some(m) if m <= 12 => set_day(t.year, m, 1),
                    _ => set_day(t.year + 1, 1, 1),
                };
                continue;
            }
            if !self.days.contains(t.day) {
                t = match self.days.next_after(t.day) {
                    Some(d) if d <= days_in_month(t.year, t.month) => set_day(t.year, t.month, d),
                    _ if t.month == 12 => set_day(t.year + 1, 1, 1),
                    _ => set_day(t.year, t.month + 1, 1),
                };
                continue;
            }
            if self.weekdays != ALL_WEEKDAYS {
                let wd = t.weekday();
                if self.weekdays & (1 << wd) == 0 {
                    let later = (wd + 1..7).find(|d| self.weekdays & (1 << d) != 0);
                    let add = match later {
                        Some(d) => d - wd,
                        None => 7 - wd,
                    };
                    t = set_day(t.year, t.month, t.day + add);
                    continue;
                }
            }
            if !self.hours.contains(t.hour) {
                t = match self.hours.next_after(t.hour) {
                    Some(h) if h < 24 => Civil {
                        hour: h,
                        minute: 0,
                        second: 0,
                        ..t
                    },
                    _ => set_day(t.year, t.month, t.day + 1),
                };
                continue;
            }
            if !self.minutes.contains(t.minute) {
                t = match self.minutes.next_after(t.minute) {
                    Some(m) if m < 60 => Civil {
                        minute: m,
                        second: 0,
                        ..t
                    },
                    _ => Civil::from_utc_seconds(
                        Civil {
                            minute: 0,
                            second: 0,
                            ..t
                        }
                        .as_utc_seconds()
                            + 3600,
                    ),
                };
                continue;
            }
            if !self.seconds.contains(t.second) {
                t = match self.seconds.next_after(t.second) {
                    Some(s) if s < 60 => Civil { second: s, ..t },
                    _ => Civil::from_utc_seconds(Civil { second: 0, ..t }.as_utc_seconds() + 60),
                };
                continue;
            }
            return Some(t);
        }
        None
    }

    /// Whether local time `t` matches every field of the schedule.
    pub fn matches(&self, t: &Civil) -> bool {
        self.years.contains(t.year)
            && self.months.contains(t.month)
            && self.days.contains(t.day)
            && self.weekdays & (1 << t.weekday()) != 0
            && self.hours.contains(t.hour)
            && self.minutes.contains(t.minute)
            && self.seconds.contains(t.second)
    }
}

/// Number of days of a month.
fn days_in_month(y: i64, m: i64) -> i64 {
    let next = if m == 12 {
        days_from_civil(y + 1, 1, 1)
    } else {
        days_from_civil(y, m + 1, 1)
    };
    next - days_from_civil(y, m, 1)
}

/// Validate a schedule as the `schedule` option does; the error is the full
/// `invalid calendar event '<value>' - <detail>` text.
pub fn verify_schedule(value: &str) -> Result<CalendarEvent, String> {
    CalendarEvent::parse(value).map_err(|e| format!("invalid calendar event '{value}' - {e}"))
}
