//! Running a case without the key: its sealed sensitive values stay unopened, so a step whose
//! component would read one cannot run. Such a step error-pends naming the variable (a resume
//! with the key runs it); every other step runs, and never sees the ciphertext.

use crate::components::{Configured, Reads};
use crate::engine::{ComponentError, Components, RouteResponse, StepContext, TaskResponse};
use crate::model::{Variable, Variables};

use super::Sensitive;

/// `inner`, with the steps that need an unopened sensitive value error-pended instead of run.
pub struct Withheld {
    inner: Configured,
    sensitive: Sensitive,
}

/// Why a step did not run, or what it may see.
enum Gate {
    /// Nothing is unopened: the step runs as it is.
    Open,
    /// The step reads none of the unopened values: it runs without them.
    Without(Box<StepContext>),
    /// The step reads this unopened variable.
    Needs(String),
}

impl Withheld {
    /// Wraps `inner`.
    pub fn new(inner: Configured, sensitive: Sensitive) -> Self {
        Self { inner, sensitive }
    }

    fn gate(&self, ctx: &StepContext) -> Gate {
        let unopened: Vec<Variable> = ctx
            .variables
            .iter()
            .filter(|v| self.sensitive.is_unopened(v))
            .collect();
        if unopened.is_empty() {
            return Gate::Open;
        }
        let reads = self.inner.reads(ctx);
        if let Some(needed) = unopened.iter().find(|v| reads.includes(&v.name)) {
            return Gate::Needs(needed.name.clone());
        }
        // the component gets the case's variables but these: it reads none of them, and
        // ciphertext is no value to hand a program
        let mut variables = Variables::new();
        for v in ctx.variables.iter() {
            if !self.sensitive.is_unopened(&v) {
                variables.set(v);
            }
        }
        let mut without = ctx.clone();
        without.variables = variables;
        Gate::Without(Box::new(without))
    }

    fn needs(ctx: &StepContext, variable: &str, reads: &Reads) -> ComponentError {
        let why = match reads {
            Reads::All => "its component reads every variable (declare `reads` to narrow it)",
            Reads::Only(_) => "its component reads it",
        };
        ComponentError::new(format!(
            "step {} needs sensitive variable {variable} and no key is loaded (set WFCTL_KEY_FILE or [variables] key_file, then resume the case): {why}",
            ctx.step
        ))
    }

    // an answer that sets a sensitive variable cannot be stored without a key to seal it
    fn check_answer(&self, ctx: &StepContext, answered: &[Variable]) -> Result<(), ComponentError> {
        if self.sensitive.keys().sealing().is_some() {
            return Ok(());
        }
        match answered
            .iter()
            .find(|v| self.sensitive.is_sensitive(&v.name))
        {
            Some(v) => Err(ComponentError::new(format!(
                "step {} answered sensitive variable {} and no key is loaded to seal it (set WFCTL_KEY_FILE or [variables] key_file, then resume the case)",
                ctx.step, v.name
            ))),
            None => Ok(()),
        }
    }
}

impl Components for Withheld {
    fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        let response = match self.gate(ctx) {
            Gate::Open => self.inner.task(ctx)?,
            Gate::Needs(name) => return Err(Self::needs(ctx, &name, &self.inner.reads(ctx))),
            Gate::Without(without) => self.inner.task(&without)?,
        };
        self.check_answer(ctx, &response.variables)?;
        Ok(response)
    }

    fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        let response = match self.gate(ctx) {
            Gate::Open => self.inner.route(ctx)?,
            Gate::Needs(name) => return Err(Self::needs(ctx, &name, &self.inner.reads(ctx))),
            Gate::Without(without) => self.inner.route(&without)?,
        };
        self.check_answer(ctx, &response.variables)?;
        Ok(response)
    }

    fn unmapped(&self, names: &[&str]) -> Vec<String> {
        self.inner.unmapped(names)
    }
}

/// The components the engine runs with: steps that need a value no key opens are withheld,
/// and whatever a program prints is scrubbed of the case's sensitive values.
pub fn guarded(components: Configured, sensitive: Sensitive) -> super::Scrubbed<Withheld> {
    super::Scrubbed::new(Withheld::new(components, sensitive.clone()), sensitive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{Key, KeyRing};
    use crate::model::UnitKind;

    fn ctx(component: &str, user_data: Option<&str>, sealed: &str) -> StepContext {
        let mut variables = Variables::new();
        variables.set(Variable::new("ssn", sealed));
        variables.set(Variable::new("kind", "gold"));
        StepContext {
            case_id: "c1".into(),
            journey: "j".into(),
            step: "s".into(),
            component: component.into(),
            unit_type: UnitKind::SRoute,
            exec_path: ".".into(),
            user_data: user_data.map(str::to_owned),
            variables,
            pend_at_same_step: false,
            last_pend_workbasket: String::new(),
            last_pend_step: String::new(),
            idempotency_key: "k".into(),
            attempt: 1,
        }
    }

    #[test]
    fn a_builtin_runs_unless_it_reads_an_unopened_value() {
        let sealed = super::super::seal(&Key::from_bytes([1; 32]), "c1", "ssn", b"x").unwrap();
        let no_key = Sensitive::new(vec!["ssn".into()], KeyRing::default());
        let w = Withheld::new(Configured::default(), no_key);
        let by_kind = ctx("builtin:route-by-variable", Some("kind"), &sealed);
        assert_eq!(w.route(&by_kind).unwrap().branches, vec!["gold"]);
        let by_ssn = ctx("builtin:route-by-variable", Some("ssn"), &sealed);
        let err = w.route(&by_ssn).unwrap_err().message;
        assert!(
            err.contains("sensitive variable ssn") && err.contains("no key is loaded"),
            "{err}"
        );
        assert!(w.task(&ctx("builtin:proceed", None, &sealed)).is_ok());
        // a value that is not sealed is no obstacle
        assert!(
            w.route(&ctx("builtin:route-by-variable", Some("ssn"), "plain"))
                .is_ok()
        );
    }
}
