//! Where things live inside a repository: archived WAL under `wal/` (`wal/NAME.gz`), and
//! the names PostgreSQL gives WAL files.
//!
//! A directory filled by the guide's `cp %p DIR/%f` holds plain files at its top level; they
//! are read as they are (see [`wal_candidates`]).

/// Prefix of archived WAL.
pub(crate) const WAL_PREFIX: &str = "wal/";

/// Prefix of dump backups and their manifests (`backups/NAME`, `backups/NAME.manifest.json`).
pub(crate) const BACKUPS_PREFIX: &str = "backups/";

/// Prefix of the records of kept base backups (`bases/SYSTEM_ID/ID`), one per base backup
/// whatever directory it is in: WAL retention keeps what any of them needs.
pub(crate) const BASES_PREFIX: &str = "bases/";

/// The key `wal push` writes a WAL file to.
pub(crate) fn wal_key(name: &str) -> String {
    format!("{WAL_PREFIX}{name}.gz")
}

/// Keys a WAL file may be stored under, in the order `wal fetch` tries them: compressed by
/// `wal push`, plain under `wal/`, plain at the top (the guide's archive directory).
pub(crate) fn wal_candidates(name: &str) -> [String; 3] {
    [
        wal_key(name),
        format!("{WAL_PREFIX}{name}"),
        name.to_owned(),
    ]
}

/// The WAL file name a key holds, if it holds one (under any of [`wal_candidates`]).
pub(crate) fn wal_name_of(key: &str) -> Option<&str> {
    let name = key.strip_prefix(WAL_PREFIX).unwrap_or(key);
    let name = name.strip_suffix(".gz").unwrap_or(name);
    is_wal_name(name).then_some(name)
}

/// Whether `name` is a file PostgreSQL archives: a segment (`000000010000000000000001`), a
/// partial segment (`....partial`), a backup label (`....00000028.backup`) or a timeline
/// history (`00000002.history`).
pub(crate) fn is_wal_name(name: &str) -> bool {
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(tli) = name.strip_suffix(".history") {
        return hex(tli, 8);
    }
    if name.len() < 24 || !hex(&name[..24], 24) {
        return false;
    }
    match &name[24..] {
        "" | ".partial" => true,
        rest => rest
            .strip_prefix('.')
            .and_then(|r| r.strip_suffix(".backup"))
            .is_some_and(|offset| hex(offset, 8)),
    }
}

/// The position of a WAL file in the WAL regardless of timeline (the last 16 hex digits of
/// a segment, partial segment or backup label), as `pg_archivecleanup` compares them; `None`
/// for a history file, which is always kept.
pub fn wal_position(name: &str) -> Option<&str> {
    (is_wal_name(name) && !name.ends_with(".history")).then(|| &name[8..24])
}

/// The timeline of a segment name.
pub(crate) fn wal_timeline(name: &str) -> Option<u32> {
    is_wal_name(name)
        .then(|| u32::from_str_radix(&name[..8], 16).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wal_names() {
        for good in [
            "000000010000000000000001",
            "00000001000000000000000A.partial",
            "000000010000000000000002.00000028.backup",
            "00000002.history",
        ] {
            assert!(is_wal_name(good), "{good}");
        }
        for bad in [
            "",
            "RECOVERYXLOG",
            "00000001000000000000001",
            "000000010000000000000001.gz",
            "../000000010000000000000001",
            "0000000X.history",
            "000000010000000000000002.0028.backup",
        ] {
            assert!(!is_wal_name(bad), "{bad}");
        }
        assert_eq!(
            wal_name_of("wal/000000010000000000000001.gz"),
            Some("000000010000000000000001")
        );
        assert_eq!(
            wal_name_of("000000010000000000000001"),
            Some("000000010000000000000001")
        );
        assert_eq!(wal_name_of("backups/x.gz"), None);
        assert_eq!(
            wal_position("000000020000000100000003"),
            Some("0000000100000003")
        );
        assert_eq!(wal_position("00000002.history"), None);
        assert_eq!(wal_timeline("000000020000000100000003"), Some(2));
    }
}
