//! The one place sensitive values cross into and out of a store: a wrapper that seals them in
//! every process-info document and audit record written, and opens (or masks) them in every
//! one read. Whatever the store (PostgreSQL rows and JSON, files), it only ever holds the
//! sealed text.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use super::{Error, KeyRing, is_sealed, open, seal};
use crate::model::{
    AuditRecord, JourneyRecord, NewAuditRecord, ProcessInfo, Sla, VarType, VarValue, Variable,
    Variables,
};
use crate::store::{
    self, Cancellation, CaseFilter, CaseLock, CaseQuery, CaseStore, CaseSummary, DueMilestone,
    Listing, LockWait, PersistPoint, QueuedMilestone, Saved, Store, UnitAttempt,
};

/// What a sensitive value looks like to someone who may not see it.
pub const MASK: &str = "***";

/// Which variables are sensitive (`[variables] sensitive`, globs on names) and the keys.
#[derive(Debug, Clone, Default)]
pub struct Sensitive {
    patterns: Vec<String>,
    keys: KeyRing,
}

impl Sensitive {
    /// The variables matching `patterns` (`*` any run of characters, `?` one) are sensitive.
    pub fn new(patterns: Vec<String>, keys: KeyRing) -> Self {
        Self { patterns, keys }
    }

    /// Whether any variable may be sensitive (some pattern is listed).
    pub fn any(&self) -> bool {
        !self.patterns.is_empty()
    }

    /// Whether variable `name` is sensitive.
    pub fn is_sensitive(&self, name: &str) -> bool {
        self.patterns.iter().any(|p| glob(p, name))
    }

    /// The keys loaded.
    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// Seals `variable` of `case_id` if it is sensitive. What is written is always plaintext
    /// (the engine sees only opened values), so a value that merely looks sealed is sealed
    /// like any other: nothing is trusted for its prefix.
    pub fn seal_variable(&self, case_id: &str, variable: Variable) -> Result<Variable, Error> {
        if !self.is_sensitive(&variable.name) {
            return Ok(variable);
        }
        self.seal_listed_or_not(case_id, variable)
    }

    // Seals `variable` whatever the list says: a value read sealed stays sealed when its
    // name is taken out of the list (only `keys rotate` decides what is unsealed).
    fn seal_listed_or_not(&self, case_id: &str, variable: Variable) -> Result<Variable, Error> {
        let key = self.keys.sealing().ok_or_else(|| Error::NoKey {
            case: case_id.to_owned(),
            variable: variable.name.clone(),
        })?;
        // the type travels inside the ciphertext: the store sees a string
        let plain =
            json!({"type": variable.value.var_type(), "value": variable.value.to_document_value()});
        let text = seal(key, case_id, &variable.name, plain.to_string().as_bytes())?;
        Ok(Variable::new(variable.name, VarValue::String(text)))
    }

    /// Fails naming the first sensitive variable of `variables` when no key can seal it.
    pub fn check_sealable<'v>(
        &self,
        case_id: &str,
        variables: impl IntoIterator<Item = &'v Variable>,
    ) -> Result<(), Error> {
        if self.keys.sealing().is_some() {
            return Ok(());
        }
        match variables.into_iter().find(|v| self.is_sensitive(&v.name)) {
            Some(v) => Err(Error::NoKey {
                case: case_id.to_owned(),
                variable: v.name.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Whether `variable` holds a sealed sensitive value that stays unopened because no key is
    /// loaded (the store wrapper carries such values through as their sealed text).
    pub fn is_unopened(&self, variable: &Variable) -> bool {
        self.keys.sealing().is_none()
            && self.is_sensitive(&variable.name)
            && sealed_text(&variable.value).is_some()
    }

    /// Opens `variable` of `case_id` if it is sealed. A sensitive variable's sealed value must
    /// open (else the error names it); a value of another variable that does not open is its
    /// own text that merely looks sealed, and stays as it is (one that opens was sealed while
    /// its name was listed).
    pub fn open_variable(&self, case_id: &str, variable: Variable) -> Result<Variable, Error> {
        if sealed_text(&variable.value).is_none() {
            return Ok(variable);
        }
        if self.is_sensitive(&variable.name) {
            return self.open_sealed(case_id, variable);
        }
        match self.open_sealed(case_id, variable.clone()) {
            Ok(opened) => Ok(opened),
            Err(_) => Ok(variable),
        }
    }

    fn open_sealed(&self, case_id: &str, variable: Variable) -> Result<Variable, Error> {
        let Some(text) = sealed_text(&variable.value) else {
            return Ok(variable);
        };
        let tampered = || Error::Tampered {
            case: case_id.to_owned(),
            variable: variable.name.clone(),
        };
        let plain = open(&self.keys, case_id, &variable.name, text)?;
        let plain: Value = serde_json::from_slice(&plain).map_err(|_| tampered())?;
        let ty = plain
            .get("type")
            .and_then(|t| serde_json::from_value::<VarType>(t.clone()).ok())
            .ok_or_else(tampered)?;
        let value = VarValue::parse(ty, plain.get("value").unwrap_or(&Value::Null))
            .map_err(|_| tampered())?;
        Ok(Variable::new(variable.name.clone(), value))
    }

    /// `variable` of `case_id` sealed under the sealing key, if it is not yet: a value another
    /// key sealed is opened and sealed again, a sensitive value stored in clear (before its
    /// name was listed) is sealed; `None` when it needs nothing (already under the sealing
    /// key, not sensitive and not sealed, or another variable's text that merely looks
    /// sealed).
    pub fn reseal_variable(
        &self,
        case_id: &str,
        variable: &Variable,
    ) -> Result<Option<Variable>, Error> {
        let key = self.keys.sealing().ok_or_else(|| Error::NoKey {
            case: case_id.to_owned(),
            variable: variable.name.clone(),
        })?;
        let sensitive = self.is_sensitive(&variable.name);
        let plain = match sealed_text(&variable.value) {
            Some(text) if sealed_under(text, key.id()) => return Ok(None),
            Some(_) => match self.open_sealed(case_id, variable.clone()) {
                Ok(plain) => plain,
                Err(e) if sensitive => return Err(e),
                Err(_) => return Ok(None),
            },
            None if sensitive => variable.clone(),
            None => return Ok(None),
        };
        let document =
            json!({"type": plain.value.var_type(), "value": plain.value.to_document_value()});
        let text = seal(key, case_id, &plain.name, document.to_string().as_bytes())?;
        Ok(Some(Variable::new(plain.name, VarValue::String(text))))
    }

    /// `variables` of `case_id` with every value [`Self::reseal_variable`] changes; `None`
    /// when none changes.
    pub fn reseal_variables(
        &self,
        case_id: &str,
        variables: &Variables,
    ) -> Result<Option<Variables>, Error> {
        let mut out = variables.clone();
        let mut changed = false;
        for v in variables.iter() {
            if let Some(sealed) = self.reseal_variable(case_id, &v)? {
                out.set(sealed);
                changed = true;
            }
        }
        Ok(changed.then_some(out))
    }
}

// whether a sealed text names key `id`
fn sealed_under(text: &str, id: &str) -> bool {
    text.strip_prefix(super::SEALED_PREFIX)
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(key_id, _)| key_id == id)
}

fn sealed_text(value: &VarValue) -> Option<&str> {
    match value {
        VarValue::String(s) if is_sealed(s) => Some(s),
        _ => None,
    }
}

/// `*` matches any run of characters, `?` one; everything else itself.
fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// How sealed values are read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Opened with the key (the engine, `--reveal`): a value that does not open is an error.
    Plain,
    /// Shown as [`MASK`], the key not needed; the view cannot write.
    Masked,
}

/// `inner`, with the sensitive variables sealed on the way in and opened or masked on the way
/// out.
pub struct Sealed<'a> {
    inner: &'a dyn Store,
    sensitive: &'a Sensitive,
    view: View,
    // without a key: the sealed values read unopened, by case and variable, so that the same
    // text is written back byte for byte (never sealed twice, never lost)
    carried: Mutex<HashMap<(String, String), String>>,
    // the values read sealed and opened, by case and variable: written back sealed even when
    // their name is no longer listed
    were_sealed: Mutex<std::collections::HashSet<(String, String)>>,
    // the cases read with a listed variable stored in clear (listed after it was written):
    // the save that seals it first also replaces the store's copy of the previous version
    read_in_clear: Mutex<std::collections::HashSet<String>>,
    // the cases whose values in clear this wrapper sealed (their older audit records keep the
    // plaintext until `keys rotate`)
    first_sealed: Mutex<Vec<String>>,
}

impl<'a> Sealed<'a> {
    /// Wraps `inner`.
    pub fn new(inner: &'a dyn Store, sensitive: &'a Sensitive, view: View) -> Self {
        Self {
            inner,
            sensitive,
            view,
            carried: Mutex::new(HashMap::new()),
            were_sealed: Mutex::new(std::collections::HashSet::new()),
            read_in_clear: Mutex::new(std::collections::HashSet::new()),
            first_sealed: Mutex::new(Vec::new()),
        }
    }

    /// The cases whose sensitive values stored in clear were sealed through this wrapper: their
    /// process info now holds them sealed, their older audit records still in clear until
    /// `wfctl keys rotate` seals them.
    pub fn first_sealed(&self) -> Vec<String> {
        self.first_sealed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn carried(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), String>> {
        self.carried
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    // `variable` as read: a sealed value carried through unopened (no key is loaded) is
    // written back as it was read
    fn seal_variable(&self, case_id: &str, variable: Variable) -> Result<Variable, Error> {
        if let Some(text) = sealed_text(&variable.value) {
            let key = (case_id.to_owned(), variable.name.clone());
            if self.carried().get(&key).is_some_and(|c| c == text) {
                return Ok(variable);
            }
        }
        let key = (case_id.to_owned(), variable.name.clone());
        if !self.sensitive.is_sensitive(&variable.name)
            && self
                .were_sealed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(&key)
        {
            return self.sensitive.seal_listed_or_not(case_id, variable);
        }
        self.sensitive.seal_variable(case_id, variable)
    }

    fn fail(error: &Error) -> store::Error {
        store::Error::Sealed {
            reason: error.to_string(),
        }
    }

    fn seal_vars(&self, case_id: &str, vars: &Variables) -> store::Result<Variables> {
        if self.view == View::Masked {
            return Err(store::Error::Unstorable {
                what: format!("case {case_id}"),
                reason: "a masked view of sensitive variables cannot write".to_owned(),
            });
        }
        let mut out = Variables::new();
        for v in vars.iter() {
            out.set(self.seal_variable(case_id, v).map_err(|e| Self::fail(&e))?);
        }
        Ok(out)
    }

    fn read_vars(&self, case_id: &str, vars: &Variables) -> store::Result<Variables> {
        let mut out = Variables::new();
        for v in vars.iter() {
            let shown = match self.view {
                // a sensitive value stored in clear (before its name was listed) is masked too
                View::Masked
                    if sealed_text(&v.value).is_some() || self.sensitive.is_sensitive(&v.name) =>
                {
                    Variable::new(v.name, VarValue::String(MASK.to_owned()))
                }
                View::Masked => v,
                View::Plain => match self.sensitive.open_variable(case_id, v.clone()) {
                    Ok(opened) => {
                        if sealed_text(&v.value).is_none() && self.sensitive.is_sensitive(&v.name) {
                            self.read_in_clear
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .insert(case_id.to_owned());
                        }
                        if sealed_text(&v.value).is_some() {
                            self.were_sealed
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .insert((case_id.to_owned(), v.name.clone()));
                        }
                        opened
                    }
                    // no key: the value goes through unopened; a step that needs it
                    // error-pends (see `Withheld`)
                    Err(Error::NoKey { .. }) => {
                        if let Some(text) = sealed_text(&v.value) {
                            self.carried()
                                .insert((case_id.to_owned(), v.name.clone()), text.to_owned());
                        }
                        v
                    }
                    Err(e) => return Err(Self::fail(&e)),
                },
            };
            out.set(shown);
        }
        Ok(out)
    }

    fn read_info(&self, case_id: &str, info: ProcessInfo) -> store::Result<ProcessInfo> {
        let mut info = info;
        info.process_variables = self.read_vars(case_id, &info.process_variables)?;
        Ok(info)
    }

    fn sealed_point<T>(
        &self,
        case_id: &str,
        point: &PersistPoint<'_>,
        save: impl FnOnce(&PersistPoint<'_>) -> store::Result<T>,
    ) -> store::Result<T> {
        // nothing is sensitive: the point goes through as it is, without a copy
        if self.sensitive.patterns.is_empty() && self.view == View::Plain {
            return save(point);
        }
        // the one place every error text the engine made (an unknown branch naming a value, a
        // program's echo) passes before it is stored: scrubbed of the values it seals
        let scrubber = point
            .audit
            .iter()
            .map(|r| &r.document)
            .chain(point.process_info)
            .fold(super::Scrubber::default(), |s, doc| {
                s.with(super::Scrubber::new(
                    self.sensitive,
                    doc.process_variables.iter().collect::<Vec<_>>().iter(),
                ))
            });
        let scrub = |doc: &mut ProcessInfo| {
            for path in &mut doc.exec_paths {
                if !path.pend_error.is_empty() {
                    scrubber.scrub_error(&mut path.pend_error);
                }
            }
        };
        let info = match point.process_info {
            Some(info) => {
                let mut sealed = info.clone();
                sealed.process_variables = self.seal_vars(case_id, &info.process_variables)?;
                scrub(&mut sealed);
                Some(sealed)
            }
            None => None,
        };
        let audit = point
            .audit
            .iter()
            .map(|record| {
                let mut document = record.document.clone();
                document.process_variables =
                    self.seal_vars(case_id, &record.document.process_variables)?;
                scrub(&mut document);
                Ok(NewAuditRecord {
                    unit: record.unit.clone(),
                    document,
                })
            })
            .collect::<store::Result<Vec<_>>>()?;
        let saved = save(&PersistPoint {
            process_info: info.as_ref(),
            audit: &audit,
            milestones: point.milestones,
        })?;
        let first_sealing = info.is_some()
            && self
                .read_in_clear
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .remove(case_id);
        if first_sealing {
            // the store may keep the version it replaced (the file store's spare), which held
            // the values in clear: saving the sealed info once more replaces that copy too
            self.inner.save_point(
                case_id,
                &PersistPoint {
                    process_info: info.as_ref(),
                    audit: &[],
                    milestones: &[],
                },
            )?;
            self.first_sealed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(case_id.to_owned());
        }
        Ok(saved)
    }
}

impl CaseStore for Sealed<'_> {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn create_case(
        &self,
        case_id: &str,
        journey: &JourneyRecord,
        sla: Option<&Sla>,
    ) -> store::Result<()> {
        self.inner.create_case(case_id, journey, sla)
    }
    fn journey(&self, case_id: &str) -> store::Result<Option<JourneyRecord>> {
        self.inner.journey(case_id)
    }
    fn sla(&self, case_id: &str) -> store::Result<Option<Sla>> {
        self.inner.sla(case_id)
    }
    fn process_info(&self, case_id: &str) -> store::Result<Option<ProcessInfo>> {
        self.inner
            .process_info(case_id)?
            .map(|info| self.read_info(case_id, info))
            .transpose()
    }
    fn save_point(&self, case_id: &str, point: &PersistPoint<'_>) -> store::Result<Saved> {
        self.sealed_point(case_id, point, |p| self.inner.save_point(case_id, p))
    }
    fn lock_case(&self, case_id: &str, wait: LockWait) -> store::Result<Box<dyn CaseLock>> {
        self.inner.lock_case(case_id, wait)
    }
    fn last_audit_seq(&self, case_id: &str) -> store::Result<u64> {
        self.inner.last_audit_seq(case_id)
    }
    fn unit_attempt(&self, case_id: &str) -> store::Result<Option<UnitAttempt>> {
        self.inner.unit_attempt(case_id)
    }
    fn record_unit_attempt(&self, case_id: &str, attempt: &UnitAttempt) -> store::Result<()> {
        self.inner.record_unit_attempt(case_id, attempt)
    }
    fn lock_held(&self, case_id: &str) -> store::Result<Option<bool>> {
        self.inner.lock_held(case_id)
    }
    fn cancellation(&self, case_id: &str) -> store::Result<Option<Cancellation>> {
        self.inner.cancellation(case_id)
    }
    fn save_cancel(
        &self,
        case_id: &str,
        cancel: &Cancellation,
        point: &PersistPoint<'_>,
    ) -> store::Result<Saved> {
        self.sealed_point(case_id, point, |p| {
            self.inner.save_cancel(case_id, cancel, p)
        })
    }
}

impl Store for Sealed<'_> {
    fn audit_records(&self, case_id: &str) -> store::Result<Vec<AuditRecord>> {
        self.inner
            .audit_records(case_id)?
            .into_iter()
            .map(|mut record| {
                record.document = self.read_info(case_id, record.document)?;
                Ok(record)
            })
            .collect()
    }
    fn milestones(&self, case_id: &str) -> store::Result<Vec<QueuedMilestone>> {
        self.inner.milestones(case_id)
    }
    fn list_cases(&self) -> store::Result<Vec<CaseSummary>> {
        self.inner.list_cases()
    }
    fn list_cases_filtered(&self, filter: &CaseFilter) -> store::Result<Vec<CaseSummary>> {
        self.inner.list_cases_filtered(filter)
    }
    fn list_cases_query(&self, query: &CaseQuery) -> store::Result<Vec<CaseSummary>> {
        self.inner.list_cases_query(query)
    }
    fn list_cases_lenient(&self, query: &CaseQuery) -> store::Result<Listing> {
        self.inner.list_cases_lenient(query)
    }
    fn due_milestones(&self, now_ms: i64) -> store::Result<Vec<DueMilestone>> {
        self.inner.due_milestones(now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_names() {
        for (p, n, hit) in [
            ("card_*", "card_number", true),
            ("card_*", "card_", true),
            ("card_*", "scard_x", false),
            ("ssn", "ssn", true),
            ("ssn", "ssn2", false),
            ("*_pin", "atm_pin", true),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
        ] {
            assert_eq!(glob(p, n), hit, "{p} {n}");
        }
    }

    #[test]
    fn every_type_seals_and_opens_back_to_itself() {
        let key = super::super::Key::from_bytes([3; 32]);
        let s = Sensitive::new(vec!["s_*".into()], KeyRing::new(vec![key]));
        for value in [
            VarValue::from("123-45-6789"),
            VarValue::from(42_i64),
            VarValue::from(7_i32),
            VarValue::from(true),
            VarValue::from(json!({"iban": "DE89"})),
            VarValue::from(vec!["a", "b"]),
        ] {
            let sealed = s
                .seal_variable("c1", Variable::new("s_x", value.clone()))
                .unwrap();
            assert!(matches!(&sealed.value, VarValue::String(t) if is_sealed(t)));
            let opened = s.open_variable("c1", sealed).unwrap();
            assert_eq!(opened.value, value);
        }
        let plain = s.seal_variable("c1", Variable::new("other", "x")).unwrap();
        assert_eq!(plain.value, VarValue::from("x"));
    }
}
