//! Fuzz the replication.cfg parser and the calendar-event parser: any bytes,
//! never a panic; what replication.cfg parses writes back to text that reads
//! to the same jobs; a schedule that parses has a next event after 0 or none.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pvesim::replication::calendar::CalendarEvent;
use pvesim::replication::config::ReplicationConfig;
use pvesim::replication::localtime::Zone;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let cfg = ReplicationConfig::parse(text);
        if let Ok(out) = cfg.write() {
            assert_eq!(ReplicationConfig::parse(&out).jobs, cfg.jobs);
        }
        if let Ok(ev) = CalendarEvent::parse(text) {
            if let Some(t) = ev.next_event(0, &Zone::utc()) {
                assert!(t > 0);
            }
        }
    }
});
