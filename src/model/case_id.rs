//! The one rule for case ids, the same on every store: an id must be usable as a file name
//! component of the file store, must not make two cases' audit record names equal, and must
//! print as itself (no control characters that could forge table rows or colour a terminal).

/// Longest case id in bytes: `workflow_process_info-{id}.json`, the longest per-case name of
/// the file store, must fit the 255 bytes most file systems allow for a name.
pub const MAX_CASE_ID_BYTES: usize = 255 - "workflow_process_info-".len() - ".json".len();

/// Digits in the shortest audit sequence of a record name (`{case}_{seq:05}_{unit}`).
pub const AUDIT_SEQ_MIN_DIGITS: usize = 5;

/// Why a case id is refused, `None` when it is acceptable.
pub fn case_id_problem(case_id: &str) -> Option<String> {
    if let Some(reason) = name_component_problem(case_id) {
        return Some(reason.to_owned());
    }
    if case_id.len() > MAX_CASE_ID_BYTES {
        return Some(format!(
            "longer than {MAX_CASE_ID_BYTES} bytes ({} bytes)",
            case_id.len()
        ));
    }
    if let Some(part) = audit_seq_lookalike(case_id) {
        // `c_00002` with unit `00003_a` and `c` with seq 2, unit `00003_a`... would share
        // `audit_log-c_00002_00003_a.json`: an audit name must have one reading only
        return Some(format!(
            "contains \"{part}\", which reads as an audit sequence in audit record names \
             (use '-' or fewer than {AUDIT_SEQ_MIN_DIGITS} digits)"
        ));
    }
    None
}

/// Why a text cannot be one file name component (case id, unit name in an audit name), `None`
/// when it can.
pub fn name_component_problem(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        Some("empty")
    } else if text.starts_with('.') {
        Some("starts with '.'")
    } else if text.contains(['/', '\\']) {
        Some("contains a path separator")
    } else {
        unprintable_problem(text)
    }
}

/// Why `text` does not print as itself, `None` when it does: the one rule for every id and
/// name a table or a message shows (case ids, work baskets, journey, unit and ticket names).
pub fn unprintable_problem(text: &str) -> Option<&'static str> {
    if text.chars().any(char::is_control) {
        Some("contains a control character")
    } else if text.chars().any(is_unprintable) {
        Some(
            "contains an invisible control character (a line or paragraph separator, a \
             bidirectional mark, a zero-width, format or variation character)",
        )
    } else {
        None
    }
}

/// Characters that change how the text around them is shown, or are not shown at all: C0/C1
/// controls (newline, ESC), the line and paragraph separators, every format character of
/// Unicode (category Cf: bidirectional marks and overrides, zero-width space and joiners,
/// word joiner, byte-order mark, soft hyphen, invisible operators, tags, interlinear
/// annotations), the variation selectors, and the fillers and blanks that show as nothing
/// (so that two different texts cannot look alike).
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Zl, Zp
            '\u{2028}' | '\u{2029}'
            // Cf
            | '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
            // variation selectors (Mongolian, standard, supplement)
            | '\u{180B}'..='\u{180F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}'
            // invisible: combining grapheme joiner, Hangul and Khmer fillers, braille blank
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FFA0}'
        )
}

/// A `_` + at least [`AUDIT_SEQ_MIN_DIGITS`] digits ending at `_` or at the end of the id.
fn audit_seq_lookalike(case_id: &str) -> Option<&str> {
    let bytes = case_id.as_bytes();
    for (i, _) in case_id.match_indices('_') {
        let digits = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = i + 1 + digits;
        if digits >= AUDIT_SEQ_MIN_DIGITS && matches!(bytes.get(end), None | Some(b'_')) {
            return Some(&case_id[i..end]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_are_not_one_printable_name_are_refused() {
        for bad in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "a\\b",
            "a\nb",
            "a\x1b[31mb",
            "a\u{202E}b",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{FE0F}b",
            "a\u{E0101}b",
            "a\u{0600}b",
            "a\u{2066}b",
            "a\u{180B}b",
            "a\u{3164}b",
        ] {
            assert!(case_id_problem(bad).is_some(), "{bad:?}");
        }
        assert!(case_id_problem(&"x".repeat(MAX_CASE_ID_BYTES + 1)).is_some());
        assert!(case_id_problem(&"x".repeat(MAX_CASE_ID_BYTES)).is_none());
        for good in [
            "order-42_a b",
            "42",
            "a..b",
            "ünïcode",
            "c_1234",
            "c_00002x",
            "x_",
        ] {
            assert_eq!(case_id_problem(good), None, "{good:?}");
        }
    }

    #[test]
    fn ids_that_read_as_an_audit_sequence_are_refused() {
        for bad in ["c_00002_a", "c_00002", "c_123456", "a_b_99999_c"] {
            let reason = case_id_problem(bad).unwrap_or_default();
            assert!(reason.contains("audit sequence"), "{bad:?}: {reason}");
        }
    }
}
