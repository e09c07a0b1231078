//! Fuzz every other parser of pvesim from one target: the first byte picks
//! the parser, the rest is its input. Any panic is a bug; errors are fine.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    match which % 10 {
        0 => {
            if let Ok(c) = pvesim::format::corosync::parse(text) {
                let _ = pvesim::format::corosync::parse(&pvesim::format::corosync::write(&c));
            }
        }
        1 => {
            let p = pvesim::format::datacenter::parse(text);
            let _ = pvesim::format::datacenter::write(&p.config);
        }
        2 => {
            let (c, _) = pvesim::guest::config::VmConfig::parse(text, 100);
            let _ = c.write();
        }
        3 => {
            let _ = pvesim::storage::config::StorageConfig::parse(text).write();
        }
        4 => {
            let (g, _) = pvesim::ha::groups::GroupsConfig::parse(text);
            let _ = g.write();
        }
        5 => {
            let (r, _) = pvesim::ha::rules::RulesConfig::parse(text);
            let _ = r.write();
        }
        6 => {
            let _ = pvesim::ha::config::ResourcesConfig::parse("f", text).write();
        }
        7 => {
            let _ = pvesim::ha::types::ManagerStatus::parse(text);
        }
        8 => {
            let _ = pvesim::ha::types::LrmStatus::parse(text);
        }
        _ => {
            let _ = pvesim::replication::calendar::CalendarEvent::parse(text);
        }
    }
});
