//! The scenario file format of `tests/conformance/README.md` ("A scenario").

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

/// One scenario file.
#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    /// `<prefix>_<test method>`.
    pub name: String,
    /// Journey file stem under `journeys/`.
    pub journey: String,
    /// SLA file stem under `journeys/`, if any.
    #[serde(default)]
    pub sla: Option<String>,
    /// Case id.
    pub case_id: String,
    /// Engine settings.
    #[serde(default)]
    pub engine: EngineSettings,
    /// Which test doubles are present.
    #[serde(default)]
    pub handlers: Handlers,
    /// FIFO task responses per step name.
    #[serde(default)]
    pub tasks: HashMap<String, Vec<TaskScript>>,
    /// FIFO route responses per step name.
    #[serde(default)]
    pub routes: HashMap<String, Vec<RouteScript>>,
    /// Route responses returned on every call (take precedence over `routes`).
    #[serde(default)]
    pub routes_fixed: HashMap<String, RouteScript>,
    /// Sleep before taking the response, on every invocation of these steps.
    #[serde(default)]
    pub task_fixed_delay_ms: HashMap<String, u64>,
    /// Responses when no script entry is left (the upstream factories' defaults when absent).
    #[serde(default)]
    pub defaults: Defaults,
    /// What the driver does.
    pub actions: Vec<Action>,
    /// `total` or `per_exec_path`.
    pub ordering: String,
    /// The records the Java engine produced.
    pub expected: Vec<Value>,
}

/// `engine` block.
#[derive(Debug, Clone, Deserialize)]
pub struct EngineSettings {
    /// Pool size (0 = thread per branch upstream; sequential here).
    #[serde(default)]
    pub max_threads: usize,
    /// Error basket.
    #[serde(default = "default_error_workbasket")]
    pub error_workbasket: String,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            max_threads: 0,
            error_workbasket: default_error_workbasket(),
        }
    }
}

fn default_error_workbasket() -> String {
    "workflow_error".to_owned()
}

/// `handlers` block.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Handlers {
    /// The recording event handler.
    #[serde(default)]
    pub event_handler: bool,
    /// The recording SLA queue manager.
    #[serde(default)]
    pub sla_queue_manager: bool,
    /// The recording work manager.
    #[serde(default)]
    pub work_manager: bool,
}

/// A scripted task response.
#[derive(Debug, Clone, Deserialize)]
pub struct TaskScript {
    /// `ok_proceed`, `ok_pend`, `ok_pend_eor` or `error_pend`.
    pub response: String,
    /// Basket (`null` = none).
    #[serde(default)]
    pub workbasket: Option<String>,
    /// Ticket (`null`/`""` = none).
    #[serde(default)]
    pub ticket: Option<String>,
    /// Sleep after taking the response.
    #[serde(default)]
    pub delay_ms: u64,
}

/// A scripted route response.
#[derive(Debug, Clone, Deserialize)]
pub struct RouteScript {
    /// `ok_proceed` or `error_pend`.
    pub response: String,
    /// Branch names.
    #[serde(default)]
    pub branches: Vec<String>,
    /// Basket (`null` = none).
    #[serde(default)]
    pub workbasket: Option<String>,
}

/// `defaults` block; `route: null` means routes without a script fail.
#[derive(Debug, Clone, Deserialize)]
pub struct Defaults {
    /// Default task response.
    pub task: TaskScript,
    /// Default route response.
    pub route: Option<RouteScript>,
}

impl Default for Defaults {
    /// `StepResponseFactory`: `ok_proceed`; `RouteResponseFactory`: `ok_proceed` with branch `no`.
    fn default() -> Self {
        Self {
            task: TaskScript {
                response: "ok_proceed".to_owned(),
                workbasket: None,
                ticket: None,
                delay_ms: 0,
            },
            route: Some(RouteScript {
                response: "ok_proceed".to_owned(),
                branches: vec!["no".to_owned()],
                workbasket: None,
            }),
        }
    }
}

/// One driver action.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Action {
    /// `start_case` with no variables and the scenario's SLA.
    Start,
    /// Resume until it fails, recording `resume_call` before each and the final error.
    ResumeUntilError,
    /// One resume.
    Resume,
    /// A work-basket change.
    ChangeWorkbasket {
        /// New basket.
        workbasket: String,
    },
    /// A reopen.
    Reopen {
        /// Ticket.
        ticket: String,
        /// Pend before resuming.
        #[serde(default)]
        pend_before_resume: bool,
        /// Basket to pend in.
        #[serde(default)]
        workbasket: Option<String>,
    },
}
