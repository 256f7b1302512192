//! The guide's "Pool Size Calculation" (`connections = core_count * 2 + effective_spindle_count`)
//! against wfctl's configured pool and what the server allows.

use serde::Serialize;

use super::{Machine, SettingsOptions};
use crate::diag::Severity;

/// The guide's "Pool Size Calculation" for this server.
#[derive(Debug, Clone, Serialize)]
pub struct PoolAdvice {
    /// CPUs used in the formula.
    pub cores: u32,
    /// `effective_spindle_count`.
    pub spindles: u32,
    /// `cores * 2 + spindles`.
    pub formula: u32,
    /// wfctl's `[database] pool_size`.
    pub wfctl_pool: u32,
    /// The server's `max_connections`.
    pub max_connections: Option<u32>,
    /// Connections only superusers (and `pg_use_reserved_connections`) may use.
    pub reserved_connections: u32,
    /// `max_connections - reserved_connections`.
    pub usable_connections: Option<u32>,
    /// How wfctl's pool compares.
    pub severity: Severity,
    /// One line for a person.
    pub message: String,
}

/// Compares wfctl's pool with the formula and `max_connections - reserved`.
pub(super) fn advice(
    machine: &Machine,
    options: &SettingsOptions,
    max_connections: Option<u32>,
    reserved: u32,
) -> PoolAdvice {
    let formula = machine.cores * 2 + options.spindles;
    let usable = max_connections.map(|m| m.saturating_sub(reserved));
    let pool = options.pool_size;
    let (severity, message) = match usable {
        Some(usable) if pool > usable => (
            Severity::Critical,
            format!(
                "wfctl's pool of {pool} is larger than the {usable} connections the server \
                 allows (max_connections {} - {reserved} reserved)",
                max_connections.unwrap_or_default()
            ),
        ),
        _ if pool > formula * 2 => (
            Severity::Warning,
            format!(
                "wfctl's pool of {pool} is more than twice cores*2+spindles = {formula}: \
                 the extra connections only queue inside PostgreSQL"
            ),
        ),
        _ => (
            Severity::Ok,
            format!(
                "wfctl's pool of {pool} is at most twice cores*2+spindles = {formula} \
                 (the guide rounds its 4-core example's 9 up to 10-20 for parallel branches)"
            ),
        ),
    };
    PoolAdvice {
        cores: machine.cores,
        spindles: options.spindles,
        formula,
        wfctl_pool: pool,
        max_connections,
        reserved_connections: reserved,
        usable_connections: usable,
        severity,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::settings::{FAR_OFF, Origin, Storage};

    fn machine(gib: u64, cores: u32) -> Machine {
        Machine {
            ram_bytes: gib << 30,
            ram_source: Origin::Given,
            cores,
            cores_source: Origin::Given,
        }
    }

    #[test]
    fn pool_against_formula_and_max_connections() {
        let options = SettingsOptions {
            ram_bytes: None,
            cores: None,
            spindles: 1,
            storage: Storage::Ssd,
            pool_size: 8,
            far_off: FAR_OFF,
        };
        let ok = advice(&machine(4, 4), &options, Some(100), 3);
        assert_eq!((ok.formula, ok.severity), (9, Severity::Ok));
        assert_eq!(ok.usable_connections, Some(97));
        let big = SettingsOptions {
            pool_size: 50,
            ..options.clone()
        };
        assert_eq!(
            advice(&machine(4, 4), &big, Some(100), 3).severity,
            Severity::Warning
        );
        assert_eq!(
            advice(&machine(4, 4), &big, Some(40), 3).severity,
            Severity::Critical
        );
    }
}
