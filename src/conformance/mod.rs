//! conformance: runs the scenarios of a conformance directory (`tests/conformance`, README
//! there) through the engine on a chosen store and compares the records with the expected ones
//! under the scenario's ordering rule. Used by `examples/conformance.rs` and by the test suite.
//!
//! Layout of a directory: `journeys/<name>.json` and scenario files `scenarios*/*.json`.

mod compare;
mod harness;
mod scenario;
mod stores;

use std::fmt;
use std::path::{Path, PathBuf};

pub use compare::compare;
pub use harness::{Inputs, drive};
pub use scenario::{Action, Scenario};
pub use stores::StoreSource;

use crate::model::{JourneyRecord, Sla};
use crate::store::Store;

/// A store implementation the runner can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// [`MemoryStore`](crate::store::MemoryStore).
    Memory,
    /// The file store.
    File,
    /// The PostgreSQL store.
    Pg,
}

impl StoreKind {
    /// Every kind, in the order `--store all` runs them.
    pub const ALL: [StoreKind; 3] = [Self::Memory, Self::File, Self::Pg];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Memory => "memory",
            Self::File => "file",
            Self::Pg => "pg",
        }
    }

    /// Parses a command-line name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the runner cannot do its job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store kind is not part of this build.
    #[error("store `{0}` is not available in this build")]
    StoreUnavailable(StoreKind),
    /// A store of this kind cannot be opened here (no `DATABASE_URL`, server down, ...).
    #[error("cannot open a `{kind}` store: {reason}")]
    StoreOpen {
        /// The kind.
        kind: StoreKind,
        /// Why.
        reason: String,
    },
    /// A file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A scenario, journey or SLA file is not valid.
    #[error("{}: {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// A fresh, empty store of `kind` for one scenario, from the environment ([`StoreSource`]).
pub fn open_store(kind: StoreKind) -> Result<Box<dyn Store>, Error> {
    StoreSource::from_env()?.open(kind)
}

/// A scenario with its inputs, loaded from a conformance directory.
#[derive(Debug)]
pub struct Loaded {
    /// The scenario file.
    pub path: PathBuf,
    /// The scenario.
    pub scenario: Scenario,
    /// Its journey and SLA.
    pub inputs: Inputs,
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

/// A scenario file that could not be loaded (bad JSON, or a journey our validator refuses):
/// reported as a failure of that scenario, the others still run.
#[derive(Debug)]
pub struct Unloadable {
    /// The scenario file's stem.
    pub name: String,
    /// Why.
    pub error: Error,
}

/// Loads every scenario under `dir/scenarios*/`, sorted by file path. `Err` only when the
/// directory itself cannot be read.
pub fn load_dir(dir: &Path) -> Result<Vec<Result<Loaded, Unloadable>>, Error> {
    let read_dir = |path: &Path| {
        std::fs::read_dir(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })
    };
    let mut files = Vec::new();
    for entry in read_dir(dir)? {
        let entry = entry.map_err(|source| Error::Read {
            path: dir.to_owned(),
            source,
        })?;
        let is_scenario_dir =
            entry.file_name().to_string_lossy().starts_with("scenarios") && entry.path().is_dir();
        if !is_scenario_dir {
            continue;
        }
        for file in read_dir(&entry.path())? {
            let file = file
                .map_err(|source| Error::Read {
                    path: entry.path(),
                    source,
                })?
                .path();
            if file.extension().is_some_and(|e| e == "json") {
                files.push(file);
            }
        }
    }
    files.sort();
    Ok(files
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            load_scenario(dir, path).map_err(|error| Unloadable { name, error })
        })
        .collect())
}

fn load_scenario(dir: &Path, path: PathBuf) -> Result<Loaded, Error> {
    let invalid = |path: &Path, reason: String| Error::Invalid {
        path: path.to_owned(),
        reason,
    };
    let scenario: Scenario =
        serde_json::from_str(&read(&path)?).map_err(|e| invalid(&path, e.to_string()))?;
    let journey_path = dir
        .join("journeys")
        .join(format!("{}.json", scenario.journey));
    let journey = JourneyRecord::parse(read(&journey_path)?)
        .map_err(|e| invalid(&journey_path, e.to_string()))?;
    let sla = match &scenario.sla {
        None => None,
        Some(name) => {
            let sla_path = dir.join("journeys").join(format!("{name}.json"));
            Some(Sla::parse(&read(&sla_path)?).map_err(|e| invalid(&sla_path, e.to_string()))?)
        }
    };
    Ok(Loaded {
        path,
        scenario,
        inputs: Inputs { journey, sla },
    })
}

/// The verdict on one scenario run.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Scenario name.
    pub name: String,
    /// The records produced.
    pub actual: Vec<serde_json::Value>,
    /// Problems found (empty = pass); the first is the one to show.
    pub problems: Vec<String>,
}

impl Verdict {
    /// Whether the run conforms.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Runs one loaded scenario on a fresh store of `kind` from the environment.
pub fn run(loaded: &Loaded, kind: StoreKind, max_threads: Option<usize>) -> Result<Verdict, Error> {
    let store = open_store(kind)?;
    Ok(run_on(loaded, store.as_ref(), max_threads))
}

/// Runs one loaded scenario on `store`, which must not hold the scenario's case yet.
pub fn run_on(loaded: &Loaded, store: &dyn Store, max_threads: Option<usize>) -> Verdict {
    let scenario = &loaded.scenario;
    let (actual, problems) = match drive(scenario, &loaded.inputs, store, max_threads) {
        Ok(actual) => {
            let problems = compare(&scenario.expected, &actual, &scenario.ordering);
            (actual, problems)
        }
        Err(reason) => (Vec::new(), vec![reason]),
    };
    Verdict {
        name: scenario.name.clone(),
        actual,
        problems,
    }
}
