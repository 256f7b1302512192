//! The header of a pg_dump custom-format archive: since archive version 1.10 it names the
//! pg_dump that wrote it, so the pg_restore that can read it is chosen from the archive itself,
//! with or without wfctl's manifest (see pg_backup_archiver.c, `ReadHead`).

use std::io::Read;
use std::path::Path;

use super::PgVersion;

/// The version of the pg_dump that wrote the custom archive at `path`; None when the file is
/// not one, is too old to say (before 1.10) or its header is cut short.
pub(crate) fn pg_dump_version(path: &Path) -> Option<PgVersion> {
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    parse(&head)
}

fn parse(head: &[u8]) -> Option<PgVersion> {
    let mut r = Reader {
        head,
        at: 0,
        int_size: 4,
    };
    if r.bytes(5)? != b"PGDMP" {
        return None;
    }
    let (major, minor) = (r.byte()?, r.byte()?);
    let _revision = r.byte()?;
    let version = (major, minor);
    if version < (1, 10) {
        return None;
    }
    r.int_size = usize::from(r.byte()?);
    if !(1..=8).contains(&r.int_size) {
        return None;
    }
    let _offset_size = r.byte()?;
    let _format = r.byte()?;
    if version >= (1, 15) {
        let _compression_algorithm = r.byte()?;
    } else {
        let _compression_level = r.int()?;
    }
    for _time_field in 0..7 {
        r.int()?;
    }
    let _database = r.string()?;
    let _server_version = r.string()?;
    let pg_dump = r.string()?;
    PgVersion::parse_tool_output(&format!("x {pg_dump}"))
}

struct Reader<'a> {
    head: &'a [u8],
    at: usize,
    int_size: usize,
}

impl Reader<'_> {
    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        let out = self.head.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }

    /// pg_dump's `WriteInt`: a sign byte, then `int_size` bytes, least significant first.
    fn int(&mut self) -> Option<i64> {
        let negative = self.byte()? != 0;
        let size = self.int_size;
        let value = self
            .bytes(size)?
            .iter()
            .rev()
            .fold(0i64, |acc, b| (acc << 8) | i64::from(*b));
        Some(if negative { -value } else { value })
    }

    /// pg_dump's `WriteStr`: a length (negative for none), then the bytes.
    fn string(&mut self) -> Option<String> {
        let len = self.int()?;
        if len < 0 {
            return Some(String::new());
        }
        let bytes = self.bytes(usize::try_from(len).ok()?)?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The start of a custom archive as pg_dump writes it at archive `version`.
    pub(crate) fn header(version: (u8, u8), pg_dump: &str) -> Vec<u8> {
        let int = |v: i64, out: &mut Vec<u8>| {
            out.push(u8::from(v < 0));
            out.extend_from_slice(&(v.unsigned_abs() as u32).to_le_bytes());
        };
        let string = |s: &str, out: &mut Vec<u8>| {
            int(s.len() as i64, out);
            out.extend_from_slice(s.as_bytes());
        };
        let mut out = b"PGDMP".to_vec();
        out.extend_from_slice(&[version.0, version.1, 0, 4, 8, 1]);
        if version >= (1, 15) {
            out.push(0);
        } else {
            int(-1, &mut out);
        }
        for field in [5, 4, 3, 7, 11, 126, 0] {
            int(field, &mut out);
        }
        string("wf", &mut out);
        string("12.22", &mut out);
        string(pg_dump, &mut out);
        out.extend_from_slice(&[0; 64]);
        out
    }

    #[test]
    fn the_pg_dump_version_is_read_from_the_archive_header() {
        let v = parse(&header((1, 16), "18.6")).unwrap();
        assert_eq!((v.major, v.text.as_str()), (18, "18.6"));
        let v = parse(&header((1, 14), "15.18 (Debian 15.18-0+deb12u1)")).unwrap();
        assert_eq!(v.major, 15);
        assert!(parse(b"PGDMP\x01\x09\x00").is_none());
        assert!(parse(&header((1, 16), "18.6")[..40]).is_none());
        assert!(parse(b"\x1f\x8b gzip").is_none());
    }
}
