//! Fuzz the section-config parser: any bytes, never a panic, and what it
//! parses writes back to text that parses to the same sections.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pvesim::format::section_config::{parse, write};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let parsed = parse("fuzz.cfg", text);
        let again = parse("fuzz.cfg", &write(&parsed.sections));
        assert_eq!(again.sections.len(), parsed.sections.len());
    }
});
