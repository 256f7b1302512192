//! COPY FROM STDIN in PostgreSQL's text format: a buffer per table that rows are encoded into,
//! and one tagged `COPY` statement per table and batch through diesel's `copy_from`.

use std::io::Write;
use std::marker::PhantomData;

use diesel::ExecuteCopyFromDsl;
use diesel::pg::{CopyTarget, Pg};
use diesel::prelude::*;
use diesel::query_builder::AstPass;

/// Rows of one table in COPY text format.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CopyBuffer {
    buf: Vec<u8>,
    rows: usize,
    first_in_row: bool,
}

impl CopyBuffer {
    /// Number of complete rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Bytes encoded.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends the rows of another buffer.
    pub fn append(&mut self, other: &CopyBuffer) {
        self.buf.extend_from_slice(&other.buf);
        self.rows += other.rows;
    }

    /// Forgets every row.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.rows = 0;
        self.first_in_row = true;
    }

    fn sep(&mut self) {
        if self.first_in_row {
            self.first_in_row = false;
        } else {
            self.buf.push(b'\t');
        }
    }

    /// Starts a row.
    pub fn row(&mut self) -> &mut Self {
        self.first_in_row = true;
        self
    }

    /// Ends the row.
    pub fn end(&mut self) {
        self.buf.push(b'\n');
        self.rows += 1;
    }

    /// NULL.
    pub fn null(&mut self) -> &mut Self {
        self.sep();
        self.buf.extend_from_slice(b"\\N");
        self
    }

    /// A text value.
    pub fn text(&mut self, value: &str) -> &mut Self {
        self.sep();
        escape_into(&mut self.buf, value.as_bytes());
        self
    }

    /// A text value or NULL.
    pub fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    /// An integer.
    pub fn int(&mut self, value: i64) -> &mut Self {
        self.sep();
        let _ = write!(self.buf, "{value}");
        self
    }

    /// An integer or NULL.
    pub fn opt_int(&mut self, value: Option<i64>) -> &mut Self {
        match value {
            Some(v) => self.int(v),
            None => self.null(),
        }
    }

    /// A boolean.
    pub fn bool(&mut self, value: bool) -> &mut Self {
        self.sep();
        self.buf.push(if value { b't' } else { b'f' });
        self
    }

    /// A boolean or NULL.
    pub fn opt_bool(&mut self, value: Option<bool>) -> &mut Self {
        match value {
            Some(v) => self.bool(v),
            None => self.null(),
        }
    }

    /// A double (shortest text that reads back to the same value).
    pub fn float(&mut self, value: f64) -> &mut Self {
        self.sep();
        if value.is_nan() {
            self.buf.extend_from_slice(b"NaN");
        } else if value.is_infinite() {
            self.buf.extend_from_slice(if value > 0.0 {
                b"Infinity"
            } else {
                b"-Infinity"
            });
        } else {
            let _ = write!(self.buf, "{value:?}");
        }
        self
    }

    /// A double or NULL.
    pub fn opt_float(&mut self, value: Option<f64>) -> &mut Self {
        match value {
            Some(v) => self.float(v),
            None => self.null(),
        }
    }

    /// A JSON value (for `jsonb` and JSON `text` columns).
    pub fn json(&mut self, value: &serde_json::Value) -> &mut Self {
        self.sep();
        let text = serde_json::to_vec(value).expect("a JSON value always serialises");
        escape_into(&mut self.buf, &text);
        self
    }

    /// A JSON value or NULL.
    pub fn opt_json(&mut self, value: Option<&serde_json::Value>) -> &mut Self {
        match value {
            Some(v) => self.json(v),
            None => self.null(),
        }
    }

    /// The encoded rows.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }
}

/// Text-format escaping: backslash, and the characters that delimit fields and rows.
fn escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'\\' => b"\\\\",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escaped);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// A COPY target whose statement carries the `/* wfctl:import_copy */` tag, so
/// `diag slow-queries` can attribute it (diesel writes `COPY ` before the target, so the tag
/// follows the keyword).
pub struct Tagged<C>(PhantomData<C>);

impl<C: CopyTarget> CopyTarget for Tagged<C> {
    type Table = C::Table;
    type SqlType = C::SqlType;

    fn walk_target(mut pass: AstPass<'_, '_, Pg>) -> QueryResult<()> {
        pass.push_sql("/* wfctl:import_copy */ ");
        C::walk_target(pass)
    }
}

/// Sends `rows` with `COPY target FROM STDIN` (text format). `C` is a tuple of the columns
/// the rows hold, in order.
pub(crate) fn copy_rows<C: CopyTarget>(
    conn: &mut PgConnection,
    table: C::Table,
    rows: &CopyBuffer,
) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::copy_from(table)
        .from_raw_data(Tagged::<C>(PhantomData), |out: &mut dyn Write| {
            out.write_all(rows.as_bytes())
                .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
        })
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_format_escapes_delimiters() {
        let mut b = CopyBuffer::default();
        b.row().text("a\tb\\c\nd\re").null().int(-3).bool(true);
        b.end();
        assert_eq!(b.as_bytes(), b"a\\tb\\\\c\\nd\\re\t\\N\t-3\tt\n");
        assert_eq!(b.rows(), 1);
    }

    #[test]
    fn floats_round_trip_in_text() {
        let mut b = CopyBuffer::default();
        b.row().float(0.1).float(1e300).float(f64::NEG_INFINITY);
        b.end();
        assert_eq!(b.as_bytes(), b"0.1\t1e300\t-Infinity\n");
    }
}
