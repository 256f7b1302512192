//! One case's files: read, checksum, compare with the ledger, parse and validate. Runs on the
//! `--jobs` threads; pure apart from reading the source files (never writes them).

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::encode::EncodedCase;
use super::ledger::{LedgerEntry, LedgerStatus};
use super::reject::{ErrorClass, Rejection, classify_json_error};
use super::scan::{self, CaseFiles, hex};
use crate::model::{AuditRecord, DocumentError, END, JourneyRecord, ProcessInfo, Sla};
use crate::store::pg::rows;
use crate::store::{Cancellation, QueuedMilestone};

/// A source file as read now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    /// File name, relative to the directory.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lower-case hex (empty when unreadable).
    pub sha256: String,
}

/// A case whose files all parsed and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCase {
    /// Case id.
    pub case_id: String,
    /// Its files as read.
    pub files: Vec<FileState>,
    /// Whether the ledger says an earlier run imported it (its rows are replaced).
    pub previously_imported: bool,
    /// Whether the ledger has any row of the case.
    pub ledger_seen: bool,
    /// The transaction that wrote the case's rows at its last import (`None`: never imported,
    /// so rows of this id in the database are not ours).
    pub imported_xid: Option<i64>,
    /// How many rows that import wrote for it (`None`: not recorded).
    pub imported_rows: Option<i64>,
    /// Its rows, as the PostgreSQL store writes them (`store::pg::rows`), already in COPY
    /// format where no serial id is needed (so the loader's memory per case is about the
    /// source's size, and the encoding runs on the parse threads).
    pub rows: EncodedCase,
}

/// The rows of one case; a case without a journey file has no definition rows.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRows {
    /// Journey and SLA rows.
    pub definition: Option<rows::DefinitionRows>,
    /// Process-info rows (`None` for a case that was created but never ran).
    pub info: Option<rows::InfoRows>,
    /// Audit rows.
    pub audits: Vec<rows::AuditRow>,
    /// Queued milestones.
    pub milestones: Vec<rows::MilestoneRow>,
    /// What `sla run` recorded for each of `milestones` (same order), from the file store's
    /// `.sla` sidecar.
    pub milestone_fires: Vec<crate::sla::FireState>,
    /// The audit counter.
    pub counter: Option<rows::CounterRow>,
    /// wfctl's cancel record (written on the process-info row).
    pub cancel: Option<Cancellation>,
}

impl CaseRows {
    /// `(status, work basket)` of the case, for the report.
    pub fn status(&self) -> (&'static str, String) {
        let Some(info) = &self.info else {
            return ("not_started", String::new());
        };
        let pend = info.info.pend_exec_path.as_deref().unwrap_or("");
        if info.info.is_complete.unwrap_or(false) {
            ("completed", String::new())
        } else if pend.is_empty() {
            ("running", String::new())
        } else {
            let basket = info
                .exec_paths
                .iter()
                .find(|p| p.name == pend)
                .and_then(|p| p.pend_workbasket.clone())
                .unwrap_or_default();
            ("pended", basket)
        }
    }
}

impl ParsedCase {
    /// Bytes read from the source files.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// A file of a case that was not loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReject {
    /// File name.
    pub name: String,
    /// Why.
    pub rejection: Rejection,
}

/// What became of one case in the parse stage.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseOutcome {
    /// Every file is as the ledger recorded it at import: nothing to do.
    Unchanged {
        /// Case id.
        case_id: String,
        /// Number of files.
        files: usize,
        /// Bytes read.
        bytes: u64,
    },
    /// Ready to load.
    Parsed(Box<ParsedCase>),
    /// Not loaded: a file is bad, or the case changed under `--no-update`. `rejects` has an
    /// entry for every file of the case.
    Rejected {
        /// Case id.
        case_id: String,
        /// Its files as read (for the ledger).
        files: Vec<FileState>,
        /// One per file.
        rejects: Vec<FileReject>,
        /// Whether to record the rejection in the ledger (not for `--no-update` refusals,
        /// which leave the earlier import as it was).
        record: bool,
        /// Whether the ledger has any row of the case.
        seen: bool,
    },
}

impl CaseOutcome {
    /// The case id.
    pub fn case_id(&self) -> &str {
        match self {
            Self::Unchanged { case_id, .. } | Self::Rejected { case_id, .. } => case_id,
            Self::Parsed(case) => &case.case_id,
        }
    }
}

/// Settings of the parse stage.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Refuse cases changed since their import instead of re-importing them.
    pub no_update: bool,
    /// Largest file accepted, in bytes.
    pub max_file_size: u64,
    /// Read symbolic links that point outside the directory (`--follow-symlinks`).
    pub follow_symlinks: bool,
    /// Which variables are sensitive, with the key that seals them: their values are sealed
    /// as they are imported (values already sealed under that key are kept).
    pub sensitive: Option<crate::crypto::Sensitive>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            no_update: false,
            max_file_size: crate::store::file::read::MAX_RECORD_BYTES,
            follow_symlinks: false,
            sensitive: None,
        }
    }
}

/// The whole case refused for `rejection`: its first file carries the reason, the others
/// are `case_rejected` with the same message.
fn reject_case(files: &CaseFiles, states: Vec<FileState>, rejection: Rejection) -> CaseOutcome {
    CaseOutcome::Rejected {
        case_id: files.case_id.clone(),
        rejects: states
            .iter()
            .enumerate()
            .map(|(i, s)| FileReject {
                name: s.name.clone(),
                rejection: if i == 0 {
                    rejection.clone()
                } else {
                    Rejection::new(ErrorClass::CaseRejected, rejection.message.clone(), None)
                },
            })
            .collect(),
        files: states,
        record: false,
        seen: true,
    }
}

/// What to do with a case the ledger says was imported but the database no longer has
/// (deleted there on purpose, so unchanged files are no reason to skip it silently).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    /// The case is in the database (or was never imported).
    No,
    /// Refuse it as a conflict.
    Refuse,
    /// Import it again (`--force`).
    Reimport,
}

/// Reads, checks and parses one case.
pub(crate) fn parse_case(
    dir: &Path,
    files: &CaseFiles,
    previous: &[LedgerEntry],
    deleted: Deleted,
    options: &ParseOptions,
) -> CaseOutcome {
    let mut states = Vec::new();
    let mut texts: HashMap<&str, Result<String, Rejection>> = HashMap::new();
    for name in files.names() {
        let (state, text) = read_file(dir, name, options);
        states.push(state);
        texts.insert(name, text);
    }
    let before: HashMap<&str, &LedgerEntry> =
        previous.iter().map(|e| (e.path.as_str(), e)).collect();
    let was_imported = previous.iter().any(|e| e.status == LedgerStatus::Imported);
    let same = |s: &FileState| {
        before.get(s.name.as_str()).is_some_and(|e| {
            e.status == LedgerStatus::Imported && e.size == s.size && e.sha256 == s.sha256
        })
    };
    let current: HashSet<&str> = states.iter().map(|s| s.name.as_str()).collect();
    let removed: Vec<&str> = previous
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !current.contains(p))
        .collect();
    let unchanged = was_imported && removed.is_empty() && states.iter().all(same);
    if unchanged && deleted == Deleted::Refuse {
        let rejection = super::load::conflict(&files.case_id, super::load::DELETED);
        return reject_case(files, states, rejection);
    }
    if unchanged && deleted == Deleted::No {
        return CaseOutcome::Unchanged {
            case_id: files.case_id.clone(),
            files: states.len(),
            bytes: states.iter().map(|s| s.size).sum(),
        };
    }
    // an id no store accepts, or a record name two cases could own: never imported
    let refusal = if let Some(rule) = crate::model::case_id_problem(&files.case_id) {
        Some(Rejection::new(
            ErrorClass::BadCaseId,
            format!("case id {:?}: {rule}", files.case_id),
            None,
        ))
    } else {
        files.audits.iter().find(|a| !a.rivals.is_empty()).map(|a| {
            Rejection::new(
                ErrorClass::Conflict,
                format!(
                    "audit record {} could belong to case {:?} or to case {:?}; neither case \
                     is imported until one of them is renamed or removed",
                    a.name,
                    files.case_id,
                    a.rivals.join("\", \"")
                ),
                None,
            )
        })
    };
    if let Some(rejection) = refusal {
        return reject_case(files, states, rejection);
    }
    if files.journal_pending {
        let rejection = Rejection::new(
            ErrorClass::Locked,
            format!(
                "case {} has an unfinished write (.journal/{}.json): open it once with wfctl \
                 (which completes the write), then re-run",
                files.case_id, files.case_id
            ),
            None,
        );
        return reject_case(files, states, rejection);
    }
    if was_imported && options.no_update {
        let mut rejects: Vec<FileReject> = states
            .iter()
            .filter(|s| !same(s))
            .map(|s| FileReject {
                name: s.name.clone(),
                rejection: Rejection::new(
                    ErrorClass::Changed,
                    if before.contains_key(s.name.as_str()) {
                        "changed since it was imported (--no-update)"
                    } else {
                        "new file of an imported case (--no-update)"
                    },
                    None,
                ),
            })
            .collect();
        rejects.extend(removed.iter().map(|name| FileReject {
            name: (*name).to_owned(),
            rejection: Rejection::new(
                ErrorClass::Changed,
                "removed since it was imported (--no-update)",
                None,
            ),
        }));
        return CaseOutcome::Rejected {
            case_id: files.case_id.clone(),
            files: states,
            rejects,
            record: false,
            seen: true,
        };
    }
    let parsed = parse_documents(files, &mut texts).and_then(|docs| {
        let fires = sla_states(dir, files, &docs)?;
        with_rows(files, &docs, fires, options)
    });
    match parsed {
        Ok(mut case) => {
            case.files = states;
            case.previously_imported = was_imported;
            case.ledger_seen = !previous.is_empty();
            case.imported_xid = imported_xid(previous);
            case.imported_rows = imported_rows(previous);
            CaseOutcome::Parsed(Box::new(case))
        }
        Err(bad) => {
            let first_bad = bad[0].name.clone();
            let mut rejects = bad;
            for state in &states {
                if !rejects.iter().any(|r| r.name == state.name) {
                    rejects.push(FileReject {
                        name: state.name.clone(),
                        rejection: Rejection::new(
                            ErrorClass::CaseRejected,
                            format!(
                                "not loaded: {first_bad} of case {} was rejected",
                                files.case_id
                            ),
                            None,
                        ),
                    });
                }
            }
            CaseOutcome::Rejected {
                case_id: files.case_id.clone(),
                files: states,
                rejects,
                record: true,
                seen: !previous.is_empty(),
            }
        }
    }
}

/// The transaction of the case's last import, when its ledger rows agree on one.
fn imported_xid(previous: &[LedgerEntry]) -> Option<i64> {
    let mut xids = previous.iter().filter_map(|e| e.imported_xid);
    let first = xids.next()?;
    xids.all(|x| x == first).then_some(first)
}

/// How many rows the case's last import wrote, when its ledger rows agree on it.
fn imported_rows(previous: &[LedgerEntry]) -> Option<i64> {
    let mut counts = previous.iter().map(|e| e.imported_rows);
    let first = counts.next()??;
    counts.all(|n| n == Some(first)).then_some(first)
}

fn read_file(
    dir: &Path,
    name: &str,
    options: &ParseOptions,
) -> (FileState, Result<String, Rejection>) {
    let max = options.max_file_size;
    let mut state = FileState {
        name: name.to_owned(),
        size: 0,
        sha256: String::new(),
    };
    let unreadable = |e: std::io::Error| {
        Rejection::new(ErrorClass::Unreadable, format!("cannot read: {e}"), None)
    };
    let file = match scan::open_source_file(dir, name, options.follow_symlinks) {
        Ok(file) => file,
        Err(rejection) => return (state, Err(rejection)),
    };
    let size_on_disk = file.metadata().map(|m| m.len());
    let mut buf = Vec::new();
    // one byte more than allowed tells "too large" without reading a huge file whole
    let bytes = match file.take(max + 1).read_to_end(&mut buf) {
        Ok(_) => buf,
        Err(e) => return (state, Err(unreadable(e))),
    };
    state.size = bytes.len() as u64;
    state.sha256 = hex(&Sha256::digest(&bytes));
    if state.size > max {
        let size = size_on_disk.unwrap_or(state.size);
        state.size = size;
        return (
            state,
            Err(Rejection::new(
                ErrorClass::TooLarge,
                format!(
                    "{}; the largest document accepted is {}",
                    crate::conventions::size_text(size),
                    crate::conventions::size_text(max)
                ),
                None,
            )),
        );
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return (
            state,
            Err(Rejection::new(ErrorClass::Empty, "the file is empty", None)),
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => (state, Ok(text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (
                state,
                Err(Rejection::new(
                    ErrorClass::NotUtf8,
                    format!("not UTF-8 text: invalid byte at offset {at}"),
                    None,
                )),
            )
        }
    }
}

#[derive(Deserialize)]
struct ProcessInfoDoc {
    process_info: ProcessInfo,
}

/// Parses a process-info document (`{"process_info": {...}}`) in one pass.
pub(crate) fn parse_process_info(text: &str) -> Result<ProcessInfo, serde_json::Error> {
    let mut info = serde_json::from_str::<ProcessInfoDoc>(text)?.process_info;
    info.exec_paths.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(info)
}

/// The variable names of a process-info document, in file order (the parsed document keeps
/// one variable per name, so a duplicate is seen only here).
#[derive(Deserialize)]
struct VariableNamesDoc {
    process_info: VariableNamesInfo,
}

#[derive(Deserialize)]
struct VariableNamesInfo {
    #[serde(default)]
    process_variables: Vec<VariableName>,
}

#[derive(Deserialize)]
struct VariableName {
    name: String,
}

/// The first variable name of a process-info document that no store could take as it is
/// (empty, a control character, longer than the column, twice in the case): the case is
/// refused rather than imported with one of the two values dropped or a name that forges
/// table rows. The name is shown escaped.
fn bad_variable_name(text: &str) -> Option<Rejection> {
    let doc: VariableNamesDoc = serde_json::from_str(text).ok()?;
    let mut seen = HashSet::new();
    for (i, var) in doc.process_info.process_variables.iter().enumerate() {
        let field = Some(format!("$.process_info.process_variables[{i}].name"));
        let name = &var.name;
        let problem = if name.is_empty() {
            Some("is empty")
        } else {
            crate::model::unstorable_name(name)
        };
        if let Some(problem) = problem {
            let message = format!("variable {name:?} {problem}");
            return Some(Rejection::new(ErrorClass::Invalid, message, field));
        }
        if !seen.insert(name.as_str()) {
            let message = format!("variable {name:?} is defined twice in the case");
            return Some(Rejection::new(ErrorClass::Duplicate, message, field));
        }
    }
    None
}

/// The documents of a case, parsed and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Documents {
    /// The journey, if the case has one.
    pub journey: Option<JourneyRecord>,
    /// The SLA, if any.
    pub sla: Option<Sla>,
    /// The process info, if the case ran.
    pub process_info: Option<ProcessInfo>,
    /// Queued milestones.
    pub milestones: Vec<QueuedMilestone>,
    /// Audit records by sequence.
    pub audits: Vec<AuditRecord>,
    /// wfctl's cancel record, if the case was cancelled.
    pub cancel: Option<Cancellation>,
}

/// Reads and parses a case's files (for `--verify`).
pub(crate) fn read_documents(
    dir: &Path,
    files: &CaseFiles,
    options: &ParseOptions,
) -> Result<Documents, Vec<FileReject>> {
    let mut texts: HashMap<&str, Result<String, Rejection>> = HashMap::new();
    for name in files.names() {
        let (_, text) = read_file(dir, name, options);
        texts.insert(name, text);
    }
    parse_documents(files, &mut texts)
}

/// `docs` with every sensitive value sealed under the sealing key of `sensitive`: values in
/// clear are sealed, values another key sealed are sealed again, so the database never holds
/// one in clear. A value that does not open rejects the case, naming the variable.
fn sealed_documents(
    sensitive: &crate::crypto::Sensitive,
    files: &CaseFiles,
    docs: &Documents,
) -> Result<Documents, Vec<FileReject>> {
    let case_id = &files.case_id;
    let reject = |name: Option<&String>, e: crate::crypto::Error| {
        vec![FileReject {
            name: name.cloned().unwrap_or_default(),
            rejection: Rejection::new(ErrorClass::Invalid, e.to_string(), None),
        }]
    };
    let mut sealed = docs.clone();
    if let Some(info) = &mut sealed.process_info
        && let Some(vars) = sensitive
            .reseal_variables(case_id, &info.process_variables)
            .map_err(|e| reject(files.process_info.first(), e))?
    {
        info.process_variables = vars;
    }
    for record in &mut sealed.audits {
        if let Some(vars) = sensitive
            .reseal_variables(case_id, &record.document.process_variables)
            .map_err(|e| reject(files.process_info.first(), e))?
        {
            record.document.process_variables = vars;
        }
    }
    Ok(sealed)
}

/// What `sla run` recorded for the case's milestones on the file store, so that a milestone
/// fired there is fired on PostgreSQL too.
fn sla_states(
    dir: &Path,
    files: &CaseFiles,
    docs: &Documents,
) -> Result<Vec<crate::sla::FireState>, Vec<FileReject>> {
    crate::sla::files::recorded_states(dir, &files.case_id, &docs.milestones).map_err(|e| {
        vec![FileReject {
            name: format!("{}/{}.json", crate::sla::files::SIDECAR_DIR, files.case_id),
            rejection: Rejection::new(ErrorClass::Invalid, e.to_string(), None),
        }]
    })
}

fn with_rows(
    files: &CaseFiles,
    docs: &Documents,
    fires: Vec<crate::sla::FireState>,
    options: &ParseOptions,
) -> Result<ParsedCase, Vec<FileReject>> {
    let sealed;
    let docs = match &options.sensitive {
        Some(sensitive) => {
            sealed = sealed_documents(sensitive, files, docs)?;
            &sealed
        }
        None => docs,
    };
    let mut rows = case_rows(
        &files.case_id,
        docs.journey.as_ref(),
        docs.sla.as_ref(),
        docs.process_info.as_ref(),
        &docs.audits,
        &docs.milestones,
    )
    .map_err(|e| {
        let name = files.process_info.first().or(files.journey.as_ref());
        vec![FileReject {
            name: name.cloned().unwrap_or_default(),
            rejection: Rejection::new(ErrorClass::Invalid, e.to_string(), None),
        }]
    })?;
    rows.milestone_fires = fires;
    rows.cancel = docs.cancel.clone();
    Ok(ParsedCase {
        case_id: files.case_id.clone(),
        files: Vec::new(),
        previously_imported: false,
        ledger_seen: false,
        imported_xid: None,
        imported_rows: None,
        rows: EncodedCase::new(rows),
    })
}

fn parse_documents(
    files: &CaseFiles,
    texts: &mut HashMap<&str, Result<String, Rejection>>,
) -> Result<Documents, Vec<FileReject>> {
    let mut bad = Vec::new();
    let mut reject = |name: &str, rejection: Rejection| {
        bad.push(FileReject {
            name: name.to_owned(),
            rejection,
        });
    };
    let mut text_of = |name: &str| texts.remove(name).unwrap_or_else(|| Ok(String::new()));

    if files.process_info.len() > 1 {
        for name in &files.process_info {
            reject(
                name,
                Rejection::new(
                    ErrorClass::Duplicate,
                    format!(
                        "case {} has process info under two names: {}",
                        files.case_id,
                        files.process_info.join(" and ")
                    ),
                    None,
                ),
            );
        }
    }
    let mut process_info = None;
    if let [name] = files.process_info.as_slice() {
        match text_of(name).and_then(|t| {
            let info =
                parse_process_info(&t).map_err(|e| classify_json_error(&e, t.len() as u64))?;
            bad_variable_name(&t).map_or(Ok(info), Err)
        }) {
            Ok(info) => process_info = Some(info),
            Err(r) => reject(name, r),
        }
    }
    let mut journey = None;
    if let Some(name) = &files.journey {
        match text_of(name).and_then(|t| JourneyRecord::parse(t).map_err(document_rejection)) {
            Ok(j) => journey = Some(j),
            Err(r) => reject(name, r),
        }
    }
    let mut sla = None;
    if let Some(name) = &files.sla {
        match text_of(name).and_then(|t| Sla::parse(&t).map_err(document_rejection)) {
            Ok(s) => sla = Some(s),
            Err(r) => reject(name, r),
        }
    }
    let mut milestones = Vec::new();
    if let Some(name) = &files.milestones {
        match text_of(name).and_then(|t| {
            serde_json::from_str::<Vec<QueuedMilestone>>(&t)
                .map_err(|e| classify_json_error(&e, t.len() as u64))
        }) {
            Ok(m) => milestones = m,
            Err(r) => reject(name, r),
        }
    }
    let mut cancel = None;
    if let Some(name) = &files.cancel {
        match text_of(name).and_then(|t| {
            serde_json::from_str::<Cancellation>(&t)
                .map_err(|e| classify_json_error(&e, t.len() as u64))
        }) {
            // the record lives on the process-info row: a case that never ran has none
            Ok(_) if process_info.is_none() => reject(
                name,
                Rejection::new(
                    ErrorClass::Invalid,
                    format!(
                        "case {} is cancelled but has no process info to hold the cancel",
                        files.case_id
                    ),
                    None,
                ),
            ),
            Ok(c) => cancel = Some(c),
            Err(r) => reject(name, r),
        }
    }
    let mut audits = Vec::new();
    let mut seqs: HashMap<u64, &str> = HashMap::new();
    for audit in &files.audits {
        if let Some(other) = seqs.insert(audit.seq, &audit.name) {
            let message = format!(
                "audit sequence {} of case {} is used by two files: {other} and {}",
                audit.seq, files.case_id, audit.name
            );
            reject(
                &audit.name,
                Rejection::new(ErrorClass::Duplicate, message.clone(), None),
            );
            reject(other, Rejection::new(ErrorClass::Duplicate, message, None));
            continue;
        }
        match text_of(&audit.name).and_then(|t| {
            parse_process_info(&t).map_err(|e| classify_json_error(&e, t.len() as u64))
        }) {
            Ok(document) => audits.push(AuditRecord {
                case_id: files.case_id.clone(),
                seq: audit.seq,
                unit: audit.unit.clone(),
                document,
            }),
            Err(r) => reject(&audit.name, r),
        }
    }
    if let (Some(info), Some(j), [name]) = (&process_info, &journey, files.process_info.as_slice())
        && let Some(r) = check_against_journey(info, j)
    {
        reject(name, r);
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    Ok(Documents {
        journey,
        sla,
        process_info,
        milestones,
        audits,
        cancel,
    })
}

/// The rows of a case through the PostgreSQL store's mapping. A case without a journey file
/// goes through it with a stand-in journey whose rows are then dropped.
fn case_rows(
    case_id: &str,
    journey: Option<&JourneyRecord>,
    sla: Option<&Sla>,
    info: Option<&ProcessInfo>,
    audits: &[AuditRecord],
    milestones: &[QueuedMilestone],
) -> Result<CaseRows, crate::store::Error> {
    static STAND_IN: std::sync::OnceLock<JourneyRecord> = std::sync::OnceLock::new();
    let stand_in = || {
        STAND_IN.get_or_init(|| {
            JourneyRecord::parse(
                r#"{"journey": {"name": "-", "flow": [{"name": "start", "component": "-", "next": "end"}]}}"#,
            )
            .expect("the stand-in journey is valid")
        })
    };
    let all = rows::rows_for_case(
        case_id,
        journey.unwrap_or_else(stand_in),
        sla,
        info,
        audits,
        milestones,
    )?;
    let mut info = all.info;
    if journey.is_none()
        && let Some(info) = &mut info
    {
        info.info.journey_name = None;
    }
    Ok(CaseRows {
        definition: journey.is_some().then_some(all.definition),
        info,
        audits: all.audits,
        milestones: all.milestones,
        milestone_fires: Vec::new(),
        counter: all.counter,
        cancel: None,
    })
}

fn document_rejection(error: DocumentError) -> Rejection {
    match &error {
        DocumentError::Syntax(message) => {
            let class = if message.contains("EOF") {
                ErrorClass::Truncated
            } else {
                ErrorClass::NotJson
            };
            Rejection::new(class, format!("not JSON: {message}"), None)
        }
        DocumentError::Invalid(problems) => {
            let field = problems.first().map(|p| p.path.clone());
            Rejection::new(ErrorClass::Invalid, error.to_string(), field)
        }
    }
}

/// The process info must point into its journey: every exec path at one of its units, and
/// the pended path among the exec paths. Otherwise the case could never be resumed.
fn check_against_journey(info: &ProcessInfo, journey: &JourneyRecord) -> Option<Rejection> {
    for (i, path) in info.exec_paths.iter().enumerate() {
        if path.step != END && !path.step.is_empty() && journey.journey.unit(&path.step).is_none() {
            return Some(Rejection::new(
                ErrorClass::Invalid,
                format!(
                    "exec path {:?} is at step {:?}, which journey {:?} does not have",
                    path.name, path.step, journey.journey.name
                ),
                Some(format!("$.process_info.exec_paths[{i}].step")),
            ));
        }
    }
    if !info.pend_exec_path.is_empty() && info.exec_path(&info.pend_exec_path).is_none() {
        return Some(Rejection::new(
            ErrorClass::Invalid,
            format!(
                "pend_exec_path {:?} names no exec path of the case",
                info.pend_exec_path
            ),
            Some("$.process_info.pend_exec_path".to_owned()),
        ));
    }
    None
}
