//! Any text: `parse_mrz` answers (a reading or `NotAnMrz`) without panicking, and whatever it reads
//! can be written back and read again, also without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let today = time::macros::date!(2026 - 06 - 15);
    if let Ok((mrz, _issues)) = limes_formats::parse_mrz(&text, today)
        && let Ok(zone) = mrz.emit()
    {
        let _ = limes_formats::parse_mrz(&zone, today);
    }
});
