//! Fuzz the property-string parser: never a panic; canonical output reparses.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pvesim::format::property_string::PropertyString;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(p) = PropertyString::parse(text, Some("file")) {
            let _ = PropertyString::parse(&p.to_canonical(Some("file")), Some("file"));
        }
    }
});
