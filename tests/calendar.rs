//! Calendar-event schedules: every worked example of pvesr.md §23.3, more
//! cases of our own (grammar corners, invalid values, time zones), and
//! property tests (the next event is after the start and matches).

use proptest::prelude::*;
use pvesim::replication::calendar::{verify_schedule, CalendarEvent};
use pvesim::replication::localtime::{Civil, Zone};

/// `YYYY-MM-DD HH:MM:SS` (UTC) to epoch seconds.
fn at(s: &str) -> i64 {
    let n: Vec<i64> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().unwrap())
        .collect();
    Civil {
        year: n[0],
        month: n[1],
        day: n[2],
        hour: n[3],
        minute: n[4],
        second: n[5],
    }
    .as_utc_seconds()
}

fn next(schedule: &str, last: i64) -> Option<i64> {
    CalendarEvent::parse(schedule)
        .unwrap_or_else(|e| panic!("{schedule}: {e}"))
        .next_event(last, &Zone::utc())
}

/// (schedule, last, expected next) in UTC; `None` = no next event.
const SPEC_EXAMPLES: &[(&str, &str, Option<&str>)] = &[
    ("*/15", "1970-01-01 00:00:00", Some("1970-01-01 00:15:00")),
    ("*/15", "2024-05-13 10:07:30", Some("2024-05-13 10:15:00")),
    ("*/15", "2024-05-13 10:15:00", Some("2024-05-13 10:30:00")),
    ("*/15", "2024-05-13 10:59:59", Some("2024-05-13 11:00:00")),
    ("*", "2024-05-13 10:07:30", Some("2024-05-13 10:08:00")),
    ("*/5", "2024-05-13 23:58:00", Some("2024-05-14 00:00:00")),
    ("0", "2024-05-13 10:00:00", Some("2024-05-13 11:00:00")),
    ("hourly", "2024-05-13 10:00:00", Some("2024-05-13 11:00:00")),
    ("daily", "2024-05-13 10:00:00", Some("2024-05-14 00:00:00")),
    ("weekly", "2024-05-13 00:00:00", Some("2024-05-20 00:00:00")),
    (
        "mon..fri 22:00",
        "2024-05-17 22:00:00",
        Some("2024-05-20 22:00:00"),
    ),
    (
        "sat,sun 3:30",
        "2024-05-13 12:00:00",
        Some("2024-05-18 03:30:00"),
    ),
    (
        "8..17:0/30",
        "2024-05-13 17:30:00",
        Some("2024-05-14 08:00:00"),
    ),
    (
        "fri 12..13:5/20",
        "2024-05-17 12:45:00",
        Some("2024-05-17 13:05:00"),
    ),
    (
        "12,14,16,18,20,22:5",
        "2024-05-13 22:05:00",
        Some("2024-05-14 12:05:00"),
    ),
    ("12/2:5", "2024-05-13 13:00:00", Some("2024-05-13 14:05:00")),
    (
        "mon..wed 30/10",
        "2024-05-15 23:50:00",
        Some("2024-05-20 00:30:00"),
    ),
    ("*-05", "2024-05-13 10:00:00", Some("2024-06-05 00:00:00")),
    (
        "Sat *-1..7 15:00",
        "2024-05-13 10:00:00",
        Some("2024-06-01 15:00:00"),
    ),
    (
        "2015-10-21",
        "1970-01-01 00:00:00",
        Some("2015-10-21 00:00:00"),
    ),
    ("2015-10-21", "2015-10-21 00:00:00", None),
    (
        "monthly",
        "2024-05-13 10:00:00",
        Some("2024-06-01 00:00:00"),
    ),
    (
        "quarterly",
        "2024-05-13 10:00:00",
        Some("2024-07-01 00:00:00"),
    ),
    ("yearly", "2024-05-13 10:00:00", Some("2025-01-01 00:00:00")),
    ("2:30", "2024-05-13 02:30:00", Some("2024-05-14 02:30:00")),
    (
        "mon..fri 22",
        "2024-05-17 23:22:00",
        Some("2024-05-20 00:22:00"),
    ),
    (
        "fri..mon 6:00",
        "2024-05-14 08:00:00",
        Some("2024-05-17 06:00:00"),
    ),
    ("*/30:0", "2024-05-13 10:07:30", Some("2024-05-13 10:30:00")),
    (
        "mon..fri 8..17,22:0/15",
        "2024-05-17 17:45:00",
        Some("2024-05-17 22:00:00"),
    ),
    ("02-29", "2024-05-13 10:00:00", Some("2028-02-29 00:00:00")),
    ("7/20", "2024-05-13 10:47:00", Some("2024-05-13 11:07:00")),
    ("1..3:0", "2024-05-13 03:00:00", Some("2024-05-14 01:00:00")),
    ("*/12:0", "1970-01-01 00:00:10", Some("1970-01-01 12:00:00")),
    (
        "1/12:0/15",
        "1970-01-01 01:45:00",
        Some("1970-01-01 13:00:00"),
    ),
    ("Mon", "1970-01-01 00:00:00", Some("1970-01-05 00:00:00")),
    (
        "20..22:*/30",
        "1970-01-01 22:30:00",
        Some("1970-01-02 20:00:00"),
    ),
];

/// Our own cases.
const MORE_EXAMPLES: &[(&str, &str, Option<&str>)] = &[
    (
        "minutely",
        "2024-05-13 10:07:30",
        Some("2024-05-13 10:08:00"),
    ),
    (
        "annually",
        "2024-05-13 10:00:00",
        Some("2025-01-01 00:00:00"),
    ),
    (
        "semiannually",
        "2024-05-13 10:00:00",
        Some("2024-07-01 00:00:00"),
    ),
    (
        "semi-annually",
        "2024-07-01 00:00:00",
        Some("2025-01-01 00:00:00"),
    ),
    (
        "quarterly",
        "2024-12-31 23:59:59",
        Some("2025-01-01 00:00:00"),
    ),
    (
        "*/15 UTC",
        "2024-05-13 10:07:30",
        Some("2024-05-13 10:15:00"),
    ),
    (
        "daily UTC",
        "2024-05-13 10:00:00",
        Some("2024-05-14 00:00:00"),
    ),
    // Seconds.
    (
        "*:*:*/20",
        "2024-05-13 10:07:30",
        Some("2024-05-13 10:07:40"),
    ),
    (
        "*:*:*/20",
        "2024-05-13 10:07:40",
        Some("2024-05-13 10:08:00"),
    ),
    (
        "10:07:31",
        "2024-05-13 10:07:30",
        Some("2024-05-13 10:07:31"),
    ),
    // "24:00" and "30:15" read by the hour-fallback rule: minute[:second].
    ("24:00", "2024-05-13 10:07:30", Some("2024-05-13 10:24:00")),
    ("30:15", "2024-05-13 10:30:15", Some("2024-05-13 11:30:15")),
    // Weekday spelled out, mixed case, wrap-around range.
    (
        "Sunday 0:0",
        "2024-05-13 00:00:00",
        Some("2024-05-19 00:00:00"),
    ),
    (
        "SAT..mon 1:00",
        "2024-05-19 01:00:00",
        Some("2024-05-20 01:00:00"),
    ),
    (
        "sun..mon 1:00",
        "2024-05-20 01:00:00",
        Some("2024-05-26 01:00:00"),
    ),
    // Full date with ranges and steps.
    ("2024..2026-*-1 12:00", "2026-12-01 12:00:00", None),
    (
        "*-*/2-1",
        "2024-05-13 00:00:00",
        Some("2024-07-01 00:00:00"),
    ),
    (
        "*-1..12/3-15",
        "2024-05-13 00:00:00",
        Some("2024-07-15 00:00:00"),
    ),
    // Day 31 skips short months.
    ("*-31", "2024-04-01 00:00:00", Some("2024-05-31 00:00:00")),
    ("*-31", "2024-05-31 00:00:00", Some("2024-07-31 00:00:00")),
    // Leap day and a weekday together: the next Monday 29 February.
    (
        "mon *-02-29",
        "2024-05-13 00:00:00",
        Some("2044-02-29 00:00:00"),
    ),
    // No separating space needed between the parts.
    (
        "mon10:00",
        "2024-05-13 00:00:00",
        Some("2024-05-13 10:00:00"),
    ),
    (
        "  */15  ",
        "2024-05-13 10:00:00",
        Some("2024-05-13 10:15:00"),
    ),
    // Ranges and lists in one hour list; steps in minutes.
    (
        "8..10,22:*/20",
        "2024-05-13 10:40:00",
        Some("2024-05-13 22:00:00"),
    ),
    ("0..5/2", "2024-05-13 10:04:00", Some("2024-05-13 11:00:00")),
    // The year limit: nothing after 2199.
    ("2199-12-31 23:59:59", "2199-12-31 23:59:59", None),
    (
        "2199-12-31 23:59:59",
        "2199-01-01 00:00:00",
        Some("2199-12-31 23:59:59"),
    ),
    // A listed day beyond the month's end goes to day 1 of the next month,
    // which may itself match (found by the property test).
    (
        "*-*/5 *:*",
        "2010-02-28 22:00:01",
        Some("2010-03-01 00:00:00"),
    ),
    (
        "*-*/7 0..0:*",
        "2070-05-31 22:00:01",
        Some("2070-06-01 00:00:00"),
    ),
    (
        "*-*/7 0..0:*",
        "2070-06-01 00:00:00",
        Some("2070-06-01 00:01:00"),
    ),
    ("*-*/15", "2024-04-16 00:00:00", Some("2024-05-01 00:00:00")),
    ("*-31", "2024-02-01 00:00:00", Some("2024-03-31 00:00:00")),
    // A date that never exists.
    ("02-30", "2024-05-13 00:00:00", None),
];

fn check_table(table: &[(&str, &str, Option<&str>)]) {
    let mut failures = Vec::new();
    for (schedule, last, want) in table {
        let got = next(schedule, at(last));
        let want = want.map(at);
        if got != want {
            failures.push(format!(
                "{schedule:?} after {last}: got {:?}, want {:?}",
                got.map(|t| Zone::utc().format(t)),
                want.map(|t| Zone::utc().format(t))
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spec_worked_examples() {
    check_table(SPEC_EXAMPLES);
}

#[test]
fn spec_epoch_values() {
    assert_eq!(next("*/15", 0), Some(900));
    assert_eq!(next("*/15", 1_715_594_850), Some(1_715_595_300));
    assert_eq!(next("*/15", 1_715_595_300), Some(1_715_596_200));
    assert_eq!(next("2015-10-21", 0), Some(1_445_385_600));
    assert_eq!(next("*/12:0", 10), Some(43_200));
    assert_eq!(next("1/12:0/15", 6_300), Some(46_800));
    assert_eq!(next("Mon", 0), Some(345_600));
    assert_eq!(next("20..22:*/30", 81_000), Some(158_400));
    // The corpus README's values.
    assert_eq!(next("*/15", 1000), Some(1800));
    assert_eq!(next("*/15", 1840), Some(2700));
}

#[test]
fn more_examples() {
    check_table(MORE_EXAMPLES);
}

#[test]
fn invalid_schedules() {
    for bad in [
        "",
        "   ",
        "*/0",
        "*/00",
        "61",
        "*/61",
        "0..80",
        "mon 0 0",
        "UTC",
        "foo",
        "Hourly",
        "5..3",
        "0-1",
        "*-0",
        "13-01",
        "*-32",
        "25:00:00",
        "10:60",
        "10:00:60",
        "mon..",
        "mon,",
        "1,",
        "*/",
        "1/0",
        "10:*/0",
        "2200-01-01",
        "mon..fri 22:00 x",
        "fri..",
        "12/",
        ":",
        "1::2",
        "1..2..3",
    ] {
        assert!(
            CalendarEvent::parse(bad).is_err(),
            "{bad:?} should not parse: {:?}",
            CalendarEvent::parse(bad)
        );
    }
}

#[test]
fn error_texts() {
    assert_eq!(
        CalendarEvent::parse("").unwrap_err().to_string(),
        "unable to parse calendar event - event is empty"
    );
    let e = verify_schedule("mon 0 0").unwrap_err();
    assert!(
        e.starts_with(
            "invalid calendar event 'mon 0 0' - unable to parse calendar event at '0' - "
        ),
        "{e}"
    );
    let e = verify_schedule("foo").unwrap_err();
    assert!(
        e.starts_with("invalid calendar event 'foo' - unable to parse calendar event at 'foo' - "),
        "{e}"
    );
    let e = verify_schedule("0..80").unwrap_err();
    assert!(e.contains("at '80'"), "{e}");
}

#[test]
fn local_time_zone() {
    // Vienna in May is UTC+2: "*/15" events fall on the same instants, but
    // "daily" is local midnight.
    let z = Zone::from_tz(Some("CET-1CEST,M3.5.0,M10.5.0/3"));
    let daily = CalendarEvent::parse("daily").unwrap();
    assert_eq!(
        daily.next_event(at("2024-05-13 10:00:00"), &z),
        Some(at("2024-05-13 22:00:00"))
    );
    // With UTC the zone is ignored.
    let daily_utc = CalendarEvent::parse("daily UTC").unwrap();
    assert_eq!(
        daily_utc.next_event(at("2024-05-13 10:00:00"), &z),
        Some(at("2024-05-14 00:00:00"))
    );
    // 02:30 does not exist on 2024-03-31: the next existing match is the
    // following day.
    let t230 = CalendarEvent::parse("2:30").unwrap();
    assert_eq!(
        t230.next_event(at("2024-03-30 01:30:00"), &z),
        Some(at("2024-04-01 00:30:00"))
    );
    // 02:30 occurs twice on 2024-10-27: matches only the first time
    // (00:30 UTC, CEST), not at 01:30 UTC (CET).
    assert_eq!(
        t230.next_event(at("2024-10-26 12:00:00"), &z),
        Some(at("2024-10-27 00:30:00"))
    );
    assert_eq!(
        t230.next_event(at("2024-10-27 00:30:00"), &z),
        Some(at("2024-10-28 01:30:00"))
    );
    // A fixed offset zone.
    let plus5 = Zone::fixed(5 * 3600);
    assert_eq!(
        daily.next_event(at("2024-05-13 10:00:00"), &plus5),
        Some(at("2024-05-13 19:00:00"))
    );
}

fn schedule_strategy() -> impl Strategy<Value = String> {
    let field = |max: i64| {
        prop_oneof![
            Just("*".to_string()),
            (1..max).prop_map(|r| format!("*/{r}")),
            (0..max).prop_map(|n| n.to_string()),
            (0..max, 0..max).prop_map(|(a, b)| format!("{}..{}", a.min(b), a.max(b))),
            (0..max, 1..max).prop_map(|(n, r)| format!("{n}/{r}")),
            (0..max, 0..max).prop_map(|(a, b)| format!("{a},{b}")),
        ]
    };
    let day_field = prop_oneof![
        Just("*".to_string()),
        (1..32i64).prop_map(|n| n.to_string()),
        (1..32i64, 1..32i64).prop_map(|(a, b)| format!("{}..{}", a.min(b), a.max(b))),
        (1..10i64).prop_map(|r| format!("*/{r}")),
    ];
    let weekdays = prop_oneof![
        Just(String::new()),
        Just("mon ".to_string()),
        Just("sat,sun ".to_string()),
        Just("fri..mon ".to_string()),
        Just("tue..thu ".to_string()),
    ];
    let date = prop_oneof![
        Just(String::new()),
        day_field.prop_map(|d| format!("*-{d} ")),
    ];
    (
        weekdays,
        date,
        field(24),
        field(60),
        prop::option::of(field(60)),
    )
        .prop_map(|(w, d, h, m, s)| match s {
            Some(s) => format!("{w}{d}{h}:{m}:{s}"),
            None => format!("{w}{d}{h}:{m}"),
        })
}

proptest! {
    // 256 cases by default; raise with PROPTEST_CASES for a longer search.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    })]

    /// The next event is strictly after the start, matches the schedule, and
    /// no matching second lies between the start and it (checked minute by
    /// minute for the first day, where the schedule has second lists).
    #[test]
    fn next_event_is_after_start_and_matches(
        schedule in schedule_strategy(),
        last in 0i64..4_102_444_800,
    ) {
        let ev = CalendarEvent::parse(&schedule).unwrap();
        let z = Zone::utc();
        if let Some(t) = ev.next_event(last, &z) {
            prop_assert!(t > last, "{} after {}: {}", schedule, last, t);
            prop_assert!(ev.matches(&z.to_local(t)), "{} after {}: {} does not match", schedule, last, t);
            // No earlier match within the next 2 hours (second resolution).
            let end = t.min(last + 7200);
            for x in last + 1..end {
                prop_assert!(!ev.matches(&z.to_local(x)), "{} after {}: {} matches earlier than {}", schedule, last, x, t);
            }
        }
    }

    /// Iterating next_event yields strictly increasing matching times.
    #[test]
    fn iteration_is_monotonic(schedule in schedule_strategy(), last in 0i64..2_000_000_000) {
        let ev = CalendarEvent::parse(&schedule).unwrap();
        let z = Zone::from_tz(Some("CET-1CEST,M3.5.0,M10.5.0/3"));
        let mut t = last;
        for _ in 0..5 {
            match ev.next_event(t, &z) {
                Some(n) => {
                    prop_assert!(n > t);
                    prop_assert!(ev.matches(&z.to_local(n)));
                    t = n;
                }
                None => break,
            }
        }
    }

    /// Parsing never panics, whatever the text.
    #[test]
    fn parse_never_panics(s in "[ -~]{0,24}") {
        let _ = CalendarEvent::parse(&s);
    }
}
