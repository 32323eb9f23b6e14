//! Properties of the built `granted` binary itself.

/// The binary is a position-independent executable (ELF type `ET_DYN`), so its own code
/// and data are randomised too: a credential tool keeps full ASLR unless a build opts
/// out with `GRANTED_NO_PIE=1`.
#[test]
#[cfg(target_os = "linux")]
fn binary_is_position_independent() {
    if std::env::var_os("GRANTED_NO_PIE").is_some_and(|v| v == "1") {
        eprintln!("skipped: this build opted out of PIE (GRANTED_NO_PIE=1)");
        return;
    }
    let bytes = std::fs::read(crate::util::bin()).expect("read the granted binary");
    assert_eq!(&bytes[..4], b"\x7fELF", "an ELF file");
    // e_type: a little- or big-endian u16 at offset 16, by EI_DATA (offset 5).
    let e_type = match bytes[5] {
        1 => u16::from_le_bytes([bytes[16], bytes[17]]),
        _ => u16::from_be_bytes([bytes[16], bytes[17]]),
    };
    const ET_EXEC: u16 = 2;
    const ET_DYN: u16 = 3;
    assert_ne!(e_type, ET_EXEC, "linked position-dependent (-no-pie)");
    assert_eq!(e_type, ET_DYN, "a PIE is ET_DYN");
}
