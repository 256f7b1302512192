//! What the repository holds of the WAL: which segments `wal push` (or the guide's `cp %p`)
//! stored, and which are missing between the first one and the last the server archived. A
//! gap is where any restore across it stops.

use serde::Serialize;

use crate::backup::wal_archive;
use crate::diag::{Finding, Severity};
use crate::repo::{Repository, layout};

/// Missing segment names listed at most.
const LISTED: usize = 20;

/// The archive as the repository holds it.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveContents {
    /// Where it was read (the repository, then an adopted archive directory).
    pub repositories: Vec<String>,
    /// Whole segments stored.
    pub segments: u64,
    /// The oldest segment stored.
    pub first_segment: Option<String>,
    /// The newest segment stored.
    pub last_segment: Option<String>,
    /// Segments missing between the first stored and the newer of the last stored and the
    /// server's last archived one.
    pub missing_count: u64,
    /// The first of them.
    pub missing: Vec<String>,
}

/// Reads the archive. `last_archived`: `pg_stat_archiver.last_archived_wal`, so that segments
/// the server believes archived but that are not there count as missing.
pub fn inspect(
    sources: &[&dyn Repository],
    segment_size: u64,
    last_archived: Option<&str>,
) -> Result<ArchiveContents, wal_archive::WalError> {
    let mut positions: Vec<(u64, u32)> = Vec::new();
    for repo in sources {
        for archived in wal_archive::list(*repo)? {
            // whole segments only: a .partial does not hold the whole segment
            if archived.name.len() != 24 {
                continue;
            }
            if let (Some(no), Some(tli)) = (
                super::segment_number(&archived.name, segment_size),
                layout::wal_timeline(&archived.name),
            ) {
                positions.push((no, tli));
            }
        }
    }
    positions.sort_unstable();
    positions.dedup_by_key(|p| p.0);
    let name = |(no, tli): (u64, u32)| segment_name(tli, no, segment_size);
    let first = positions.first().copied();
    let last = positions.last().copied();
    let mut end = last.map(|l| l.0);
    if let (Some(e), Some(server)) = (
        end,
        last_archived
            .filter(|n| n.len() == 24)
            .and_then(|n| super::segment_number(n, segment_size)),
    ) {
        end = Some(e.max(server));
    }
    let mut missing = Vec::new();
    let mut missing_count = 0;
    if let (Some(first), Some(end)) = (first, end) {
        missing_count = (end - first.0 + 1) - positions.len() as u64;
        let mut expected = first.0;
        let mut tli = first.1;
        for &(no, t) in positions.iter().chain(std::iter::once(&(end + 1, 0))) {
            while expected < no && missing.len() < LISTED {
                missing.push(name((expected, tli)));
                expected += 1;
            }
            if missing.len() >= LISTED {
                break;
            }
            expected = no + 1;
            tli = t.max(tli);
        }
    }
    Ok(ArchiveContents {
        repositories: sources.iter().map(|r| r.describe()).collect(),
        segments: positions.len() as u64,
        first_segment: first.map(name),
        last_segment: last.map(name),
        missing_count,
        missing,
    })
}

/// A gap is critical: recovery cannot pass it.
pub fn findings(contents: &ArchiveContents) -> Vec<Finding> {
    if contents.missing_count == 0 {
        return Vec::new();
    }
    let mut finding = Finding::new(
        "wal",
        Severity::Critical,
        format!(
            "the archive ({}) lacks {} WAL segment(s) between {} and the last archived one, first {}: a point-in-time restore cannot replay past it",
            contents.repositories.join(", "),
            contents.missing_count,
            contents.first_segment.as_deref().unwrap_or("?"),
            contents.missing.first().map_or("?", String::as_str)
        ),
    );
    finding.fix = Some(
        "take a base backup now (wfctl db basebackup) so that recovery no longer needs the missing segments".into(),
    );
    vec![finding]
}

fn segment_name(timeline: u32, segno: u64, segment_size: u64) -> String {
    let per_id = 0x1_0000_0000 / segment_size.max(1);
    format!("{timeline:08X}{:08X}{:08X}", segno / per_id, segno % per_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::file::FileRepository;

    #[test]
    fn reports_the_gaps() {
        let dir = tempfile::tempdir().unwrap();
        let repo = FileRepository::open(dir.path(), false).unwrap();
        for name in [
            "wal/000000010000000000000001.gz",
            "wal/000000010000000000000002.gz",
            "wal/000000010000000000000005.gz",
            "wal/000000010000000000000006.partial.gz",
            "000000020000000000000006",
        ] {
            repo.put(name, &mut &b"x"[..], false).unwrap();
        }
        let mb16 = 16 << 20;
        let c = inspect(&[&repo], mb16, Some("000000020000000000000008")).unwrap();
        assert_eq!(c.segments, 4);
        assert_eq!(c.first_segment.as_deref(), Some("000000010000000000000001"));
        assert_eq!(c.last_segment.as_deref(), Some("000000020000000000000006"));
        assert_eq!(c.missing_count, 4);
        assert_eq!(
            c.missing,
            [
                "000000010000000000000003",
                "000000010000000000000004",
                "000000020000000000000007",
                "000000020000000000000008"
            ]
        );
        assert_eq!(findings(&c).len(), 1);
        let whole = inspect(&[&repo], mb16, Some("000000010000000000000002")).unwrap();
        assert_eq!(whole.missing_count, 2);
    }
}
