//! Builtin components: `proceed`, `pend` (a manual step) and `route-by-variable`.

use crate::engine::{ComponentError, RouteResponse, StepContext, TaskResponse};

/// The builtin names, as written in `wfctl.toml` (`builtin = "pend"`) or in a journey
/// (`"component": "builtin:pend"`).
pub const NAMES: [&str; 3] = ["proceed", "pend", "route-by-variable"];

/// A builtin component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// A task that always proceeds.
    Proceed,
    /// A manual step: pends (`ok_pend`) in the work basket named by the unit's `user_data`;
    /// a resume continues at the unit's `next`.
    Pend,
    /// A route whose branch is the value of the process variable named by `user_data`.
    RouteByVariable,
}

impl Builtin {
    /// Parses a builtin name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "proceed" => Some(Self::Proceed),
            "pend" => Some(Self::Pend),
            "route-by-variable" => Some(Self::RouteByVariable),
            _ => None,
        }
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proceed => "proceed",
            Self::Pend => "pend",
            Self::RouteByVariable => "route-by-variable",
        }
    }

    fn user_data<'c>(self, ctx: &'c StepContext, what: &str) -> Result<&'c str, ComponentError> {
        ctx.user_data
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ComponentError::new(format!(
                    "builtin {} at step {} needs {what} in the unit's user_data",
                    self.as_str(),
                    ctx.step
                ))
            })
    }

    /// The variables it reads at step `ctx`: `route-by-variable` the one named by `user_data`.
    pub fn reads(self, ctx: &StepContext) -> Vec<String> {
        match self {
            Self::RouteByVariable => self
                .user_data(ctx, "a variable name")
                .map(|name| vec![name.to_owned()])
                .unwrap_or_default(),
            Self::Proceed | Self::Pend => Vec::new(),
        }
    }

    /// Runs the builtin as a task.
    pub fn task(self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        match self {
            Self::Proceed => Ok(TaskResponse::proceed()),
            Self::Pend => Ok(TaskResponse::pend(self.user_data(ctx, "the work basket")?)),
            Self::RouteByVariable => Err(ComponentError::new(format!(
                "builtin route-by-variable is a route, but step {} is a task",
                ctx.step
            ))),
        }
    }

    /// Runs the builtin as a route.
    pub fn route(self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        match self {
            Self::RouteByVariable => {
                let name = self.user_data(ctx, "a variable name")?;
                let value = ctx.variables.get(name).ok_or_else(|| {
                    ComponentError::new(format!(
                        "route {} branches on variable {name}, which the case does not have",
                        ctx.step
                    ))
                })?;
                Ok(RouteResponse::branches([value.as_text()]))
            }
            other => Err(ComponentError::new(format!(
                "builtin {} is a task, but step {} is a route",
                other.as_str(),
                ctx.step
            ))),
        }
    }
}
