//! Scrubbing what a program printed: a component or an SLA action may echo the sensitive values
//! it got on stdin (to stderr, in a bad answer), and that text is stored, shown and logged. Every
//! such text is scrubbed of the case's sensitive plaintexts before anything else sees it.

use serde_json::Value;

use super::MASK;
use crate::engine::{ComponentError, Components, RouteResponse, StepContext, TaskResponse};
use crate::model::{PendError, Variable};

use super::Sensitive;

/// Shorter plaintexts are not scrubbed: masking every `1` or `ok` in a message would hide the
/// message, and a value that short is no secret from anyone who can guess.
const MIN_SCRUBBED_LEN: usize = 3;

/// Where a program's output was cut: next to it, a piece of a secret is masked too.
pub use crate::components::exec::CUT;

/// The plaintexts of a case's sensitive values, each in the forms a program may print them.
#[derive(Debug, Clone, Default)]
pub struct Scrubber {
    secrets: Vec<String>,
}

impl Scrubber {
    /// The sensitive plaintexts of `variables` (`sensitive` says which are).
    pub fn new<'v>(
        sensitive: &Sensitive,
        variables: impl IntoIterator<Item = &'v Variable>,
    ) -> Self {
        let mut secrets = Vec::new();
        for v in variables {
            if sensitive.is_sensitive(&v.name) {
                collect(&v.value.to_document_value(), &mut secrets);
            }
        }
        // longest first, so a secret holding another is masked whole
        secrets.retain(|s| s.chars().count() >= MIN_SCRUBBED_LEN);
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Self { secrets }
    }

    /// Adds the secrets of `other`.
    pub fn with(mut self, other: Scrubber) -> Self {
        self.secrets.extend(other.secrets);
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        self.secrets.dedup();
        self
    }

    /// `text` with every secret replaced by [`MASK`], and the piece of a secret a cut left
    /// next to a [`CUT`] mark too.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        if self.secrets.is_empty() || !out.contains(CUT) {
            return out;
        }
        let pieces: Vec<&str> = out.split(CUT).collect();
        let last = pieces.len() - 1;
        let mut masked = Vec::with_capacity(pieces.len());
        for (i, piece) in pieces.iter().enumerate() {
            let mut piece = (*piece).to_owned();
            if i > 0 {
                // after a cut: the piece may start with the end of a secret
                if let Some(n) = self.longest_end_at_start(&piece) {
                    piece = format!("{MASK}{}", &piece[n..]);
                }
            }
            if i < last {
                // before a cut: the piece may end with the start of a secret
                if let Some(n) = self.longest_start_at_end(&piece) {
                    piece = format!("{}{MASK}", &piece[..piece.len() - n]);
                }
            }
            masked.push(piece);
        }
        masked.join(CUT)
    }

    // the length of the longest end of a secret `piece` starts with
    fn longest_end_at_start(&self, piece: &str) -> Option<usize> {
        self.secrets
            .iter()
            .flat_map(|s| s.char_indices().skip(1).map(move |(i, _)| &s[i..]))
            .filter(|end| piece.starts_with(end))
            .map(str::len)
            .max()
    }

    // the length of the longest start of a secret `piece` ends with
    fn longest_start_at_end(&self, piece: &str) -> Option<usize> {
        self.secrets
            .iter()
            .flat_map(|s| s.char_indices().skip(1).map(move |(i, _)| &s[..i]))
            .filter(|start| piece.ends_with(start))
            .map(str::len)
            .max()
    }

    /// An error pend's message and details, scrubbed.
    pub fn scrub_error(&self, error: &mut PendError) {
        error.message = self.scrub(&error.message);
        error.details = self.scrub(&error.details);
    }
}

// every text form of a value a program may print: the text itself, its JSON-escaped form, and
// the leaves of an object or list
fn collect(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            let escaped = serde_json::to_string(s).unwrap_or_default();
            let escaped = escaped.trim_matches('"');
            if escaped != s {
                into.push(escaped.to_owned());
            }
            // the ASCII-only JSON form (Python's json.dumps, jq -a): \u00e9, either case
            if !escaped.is_ascii() {
                into.push(ascii_escaped(escaped, false));
                into.push(ascii_escaped(escaped, true));
            }
            into.push(s.clone());
        }
        Value::Array(items) => {
            into.push(value.to_string());
            items.iter().for_each(|v| collect(v, into));
        }
        Value::Object(map) => {
            into.push(value.to_string());
            map.values().for_each(|v| collect(v, into));
        }
        Value::Number(n) => into.push(n.to_string()),
        Value::Bool(_) | Value::Null => {}
    }
}

// `escaped` with every non-ASCII character as \uXXXX (UTF-16 units, hex in either case)
fn ascii_escaped(escaped: &str, upper: bool) -> String {
    let mut out = String::with_capacity(escaped.len() * 2);
    for c in escaped.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&if upper {
                    format!("\\u{unit:04X}")
                } else {
                    format!("\\u{unit:04x}")
                });
            }
        }
    }
    out
}

/// Components whose failures are scrubbed of the case's sensitive values: whatever a program
/// echoes (stderr, a bad answer, an error pend's own message) never reaches a store, an
/// output or a log in clear.
pub struct Scrubbed<C> {
    inner: C,
    sensitive: Sensitive,
    seen: Seen,
}

/// The sensitive plaintexts of every step the components ran, shared: what the engine builds
/// from them (an unknown branch naming a value) is scrubbed with it before it is printed or
/// logged, as it is before it is stored.
#[derive(Debug, Clone, Default)]
pub struct Seen(std::sync::Arc<std::sync::Mutex<Scrubber>>);

impl Seen {
    fn lock(&self) -> std::sync::MutexGuard<'_, Scrubber> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn add(&self, scrubber: Scrubber) {
        if scrubber.secrets.is_empty() {
            return;
        }
        let mut seen = self.lock();
        *seen = std::mem::take(&mut *seen).with(scrubber);
    }

    /// `text` scrubbed of every sensitive value seen so far.
    pub fn scrub(&self, text: &str) -> String {
        self.lock().scrub(text)
    }

    /// An error pend's message and details, scrubbed of every sensitive value seen so far.
    pub fn scrub_error(&self, error: &mut PendError) {
        self.lock().scrub_error(error);
    }
}

impl<C: Components> Scrubbed<C> {
    /// Wraps `inner`.
    pub fn new(inner: C, sensitive: Sensitive) -> Self {
        Self {
            inner,
            sensitive,
            seen: Seen::default(),
        }
    }

    /// The sensitive values of the steps run so far (and later), to scrub what is printed.
    pub fn seen(&self) -> Seen {
        self.seen.clone()
    }

    // the step's sensitive values join those seen
    fn saw(&self, ctx: &StepContext) {
        if self.sensitive.any() {
            self.seen.add(self.scrubber(ctx, &[]));
        }
    }

    /// The wrapped components.
    pub fn inner(&self) -> &C {
        &self.inner
    }

    fn scrubber(&self, ctx: &StepContext, answered: &[Variable]) -> Scrubber {
        Scrubber::new(
            &self.sensitive,
            ctx.variables.iter().collect::<Vec<_>>().iter(),
        )
        .with(Scrubber::new(&self.sensitive, answered))
    }

    fn failed(&self, ctx: &StepContext, error: ComponentError) -> ComponentError {
        let scrubber = self.scrubber(ctx, &[]);
        ComponentError {
            message: scrubber.scrub(&error.message),
            details: scrubber.scrub(&self.answer_masked(&error.details)),
        }
    }

    // The answer quoted in `details` (`stdout: ...`) was not applied, so its new values are in
    // no scrubber: its sensitive variables are masked by name, and an answer that does not
    // parse is withheld whole.
    fn answer_masked(&self, details: &str) -> String {
        let Some(rest) = details.strip_prefix("stdout: ") else {
            return details.to_owned();
        };
        if !self.sensitive.any() {
            return details.to_owned();
        }
        let (answer, after) = match rest.rfind("\nstderr: ") {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        let shown = match serde_json::from_str::<Value>(answer) {
            Ok(mut value) => {
                if let Some(Value::Object(vars)) = value.get_mut("variables") {
                    for (name, v) in vars.iter_mut() {
                        if self.sensitive.is_sensitive(name) {
                            *v = Value::String(MASK.to_owned());
                        }
                    }
                }
                value.to_string()
            }
            Err(_) => {
                "(withheld: an answer that does not parse may hold sensitive values)".to_owned()
            }
        };
        format!("stdout: {shown}{after}")
    }
}

impl<C: Components> Components for Scrubbed<C> {
    fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        self.saw(ctx);
        match self.inner.task(ctx) {
            Ok(mut response) => {
                if !response.error.is_empty() {
                    self.scrubber(ctx, &response.variables)
                        .scrub_error(&mut response.error);
                }
                Ok(response)
            }
            Err(e) => Err(self.failed(ctx, e)),
        }
    }

    fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        self.saw(ctx);
        match self.inner.route(ctx) {
            Ok(mut response) => {
                if !response.error.is_empty() {
                    self.scrubber(ctx, &response.variables)
                        .scrub_error(&mut response.error);
                }
                Ok(response)
            }
            Err(e) => Err(self.failed(ctx, e)),
        }
    }

    fn unmapped(&self, names: &[&str]) -> Vec<String> {
        self.inner.unmapped(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::KeyRing;
    use crate::model::VarValue;

    #[test]
    fn every_printed_form_of_a_sensitive_value_is_masked() {
        let s = Sensitive::new(vec!["ssn".into(), "card".into()], KeyRing::default());
        let vars = [
            Variable::new("ssn", "12\"3-45"),
            Variable::new("card", VarValue::from(serde_json::json!({"pan": "4111"}))),
            Variable::new("plain", "visible"),
            Variable::new("card2", "no"),
        ];
        let scrubber = Scrubber::new(&s, vars.iter());
        assert_eq!(
            scrubber.scrub("got 12\"3-45 and \"12\\\"3-45\", pan 4111, visible"),
            "got *** and \"***\", pan ***, visible"
        );
    }
}
