//! Setting values with units, as `pg_settings` reports them (`setting` + `unit`), in base units
//! (bytes, milliseconds), and back to the text `ALTER SYSTEM` takes.

use serde::Serialize;

/// What a number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Bytes.
    Memory,
    /// Milliseconds.
    Time,
    /// A plain number.
    Plain,
}

/// A numeric setting in base units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// Bytes, milliseconds or the plain number.
    pub value: f64,
    /// Which of those.
    pub kind: Kind,
}

const KB: f64 = 1024.0;
const MB: f64 = 1024.0 * KB;
const GB: f64 = 1024.0 * MB;
const TB: f64 = 1024.0 * GB;

impl Quantity {
    /// Bytes.
    pub fn bytes(value: f64) -> Self {
        Self {
            value,
            kind: Kind::Memory,
        }
    }

    /// Milliseconds.
    pub fn millis(value: f64) -> Self {
        Self {
            value,
            kind: Kind::Time,
        }
    }

    /// A unitless number.
    pub fn plain(value: f64) -> Self {
        Self {
            value,
            kind: Kind::Plain,
        }
    }

    /// `pg_settings.setting` with `pg_settings.unit` (`8kB`, `kB`, `MB`, `B`, `ms`, `s`, `min`,
    /// `16MB` on old servers); `None` when the setting is not a number.
    pub fn from_pg(setting: &str, unit: Option<&str>) -> Option<Self> {
        let number: f64 = setting.trim().parse().ok()?;
        let Some(unit) = unit.filter(|u| !u.is_empty()) else {
            return Some(Self::plain(number));
        };
        let split = unit
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(unit.len());
        let (multiple, suffix) = unit.split_at(split);
        let multiple: f64 = if multiple.is_empty() {
            1.0
        } else {
            multiple.parse().ok()?
        };
        let (scale, kind) = match suffix {
            "B" => (1.0, Kind::Memory),
            "kB" => (KB, Kind::Memory),
            "MB" => (MB, Kind::Memory),
            "GB" => (GB, Kind::Memory),
            "TB" => (TB, Kind::Memory),
            "us" => (0.001, Kind::Time),
            "ms" => (1.0, Kind::Time),
            "s" => (1000.0, Kind::Time),
            "min" => (60_000.0, Kind::Time),
            "h" => (3_600_000.0, Kind::Time),
            "d" => (86_400_000.0, Kind::Time),
            _ => return None,
        };
        Some(Self {
            value: number * multiple * scale,
            kind,
        })
    }

    /// How many times apart two quantities are (always >= 1; infinite when one is zero and
    /// the other is not).
    pub fn factor(self, other: Self) -> f64 {
        let (a, b) = (self.value.abs(), other.value.abs());
        if a == b {
            1.0
        } else if a == 0.0 || b == 0.0 {
            f64::INFINITY
        } else {
            (a / b).max(b / a)
        }
    }

    /// PostgreSQL's own notation, the largest unit that divides the value: `128MB`, `1GB`,
    /// `1s`, `1min`, `0.9`.
    pub fn pg_text(self) -> String {
        match self.kind {
            Kind::Memory => largest_unit(
                self.value,
                &[(TB, "TB"), (GB, "GB"), (MB, "MB"), (KB, "kB"), (1.0, "B")],
            ),
            Kind::Time => largest_unit(
                self.value,
                &[
                    (86_400_000.0, "d"),
                    (3_600_000.0, "h"),
                    (60_000.0, "min"),
                    (1000.0, "s"),
                    (1.0, "ms"),
                ],
            ),
            Kind::Plain => plain_number(self.value),
        }
    }

    /// The right-hand side of `ALTER SYSTEM SET name = ...`.
    pub fn sql_literal(self) -> String {
        match self.kind {
            Kind::Plain => plain_number(self.value),
            _ => format!("'{}'", self.pg_text()),
        }
    }
}

fn largest_unit(value: f64, units: &[(f64, &str)]) -> String {
    let rounded = value.round();
    for (scale, name) in units {
        if rounded != 0.0 && rounded % scale == 0.0 {
            return format!("{}{name}", rounded / scale);
        }
    }
    let (scale, name) = units[units.len() - 1];
    format!("{}{name}", plain_number(value / scale))
}

fn plain_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Rounds a memory recommendation to a figure people write: whole GB from 8GB up, 256MB steps
/// from 1GB, 16MB steps from 64MB, whole MB below.
pub fn round_memory(bytes: f64) -> f64 {
    let step = if bytes >= 8.0 * GB {
        GB
    } else if bytes >= GB {
        256.0 * MB
    } else if bytes >= 64.0 * MB {
        16.0 * MB
    } else {
        MB
    };
    ((bytes / step).round() * step).max(step)
}

/// Parses a size as PostgreSQL writes it (`4GB`, `512MB`, `16GiB`, `1TB`; 1kB = 1024 bytes;
/// a bare number is bytes).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| {
        format!(
            "{} is not a size like 16GB or 512MB",
            crate::conventions::quoted_for_message(text)
        )
    })?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" | "kib" => KB,
        "m" | "mb" | "mib" => MB,
        "g" | "gb" | "gib" => GB,
        "t" | "tb" | "tib" => TB,
        other => {
            return Err(format!(
                "unknown size unit {} in {} (use MB, GB, TB)",
                crate::conventions::quoted_for_message(other),
                crate::conventions::quoted_for_message(text)
            ));
        }
    };
    let bytes = number * scale;
    if bytes < MB {
        return Err(format!(
            "{} is less than 1MB",
            crate::conventions::quoted_for_message(text)
        ));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pg_settings_units_become_base_units() {
        let sb = Quantity::from_pg("16384", Some("8kB")).unwrap();
        assert_eq!(sb.value, 128.0 * MB);
        assert_eq!(sb.pg_text(), "128MB");
        assert_eq!(
            Quantity::from_pg("1024", Some("MB")).unwrap().pg_text(),
            "1GB"
        );
        assert_eq!(
            Quantity::from_pg("60", Some("s")).unwrap().pg_text(),
            "1min"
        );
        assert_eq!(
            Quantity::from_pg("-1", Some("ms")).unwrap().pg_text(),
            "-1ms"
        );
        assert_eq!(
            Quantity::from_pg("5", Some("16MB")).unwrap().value,
            80.0 * MB
        );
        assert_eq!(Quantity::from_pg("0.9", None).unwrap().sql_literal(), "0.9");
        assert_eq!(Quantity::from_pg("on", None), None);
        assert_eq!(Quantity::bytes(GB).sql_literal(), "'1GB'");
    }

    #[test]
    fn factor_is_symmetric_and_handles_zero() {
        let (a, b) = (Quantity::bytes(128.0 * MB), Quantity::bytes(GB));
        assert_eq!(a.factor(b), 8.0);
        assert_eq!(b.factor(a), 8.0);
        assert!(
            Quantity::plain(0.0)
                .factor(Quantity::plain(200.0))
                .is_infinite()
        );
        assert_eq!(Quantity::plain(0.0).factor(Quantity::plain(0.0)), 1.0);
    }

    #[test]
    fn sizes_parse_like_postgres_writes_them() {
        assert_eq!(parse_size("4GB").unwrap(), 4 << 30);
        assert_eq!(parse_size("16GiB").unwrap(), 16 << 30);
        assert_eq!(parse_size("1.5g").unwrap(), 3 << 29);
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("100").is_err());
    }

    #[test]
    fn memory_rounds_to_readable_steps() {
        assert_eq!(round_memory(0.25 * 15.6 * GB), 4.0 * GB);
        assert_eq!(round_memory(0.75 * 23.5 * GB), 18.0 * GB);
        assert_eq!(round_memory(100.0 * MB), 96.0 * MB);
        assert_eq!(round_memory(5.3 * MB), 5.0 * MB);
    }
}
