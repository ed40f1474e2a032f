//! The journal reader on arbitrary segment bytes, as recovery reads a segment after a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scamguard_store::fuzzing::read_journal_segment;

fuzz_target!(|bytes: &[u8]| {
    let (writes, end) = read_journal_segment(bytes);
    assert!(end <= bytes.len());
    // The readable part reads the same on its own: what follows it cannot change it.
    let (again, end_again) = read_journal_segment(&bytes[..end]);
    assert_eq!((again.len(), end_again), (writes.len(), end));
});
