//! `--var NAME=TYPE:VALUE` and `--vars-file FILE`.

use std::path::Path;

use anyhow::Context as _;
use serde_json::Value;
use wfctl::components::protocol::infer_type;
use wfctl::model::{VarType, VarValue, Variable};

/// Parses `NAME=TYPE:VALUE` (a clap value parser: a bad value is a usage error, exit 2).
/// Scalars are written as text (`amount=long:1200`, `ok=boolean:true`), object and list
/// values as JSON (`tags=list_of_string:["a","b"]`).
pub(crate) fn parse_var(text: &str) -> Result<Variable, String> {
    let usage = || {
        format!(
            "expected NAME=TYPE:VALUE, e.g. approved=boolean:true (types: {})",
            VarType::ALL.map(VarType::as_str).join(", ")
        )
    };
    let (name, typed) = text.split_once('=').ok_or_else(usage)?;
    let (ty, value) = typed.split_once(':').ok_or_else(usage)?;
    if name.trim().is_empty() {
        return Err(format!("empty variable name; {}", usage()));
    }
    let ty = VarType::parse(ty).ok_or_else(|| format!("unknown type {ty:?}; {}", usage()))?;
    let json = match ty {
        VarType::String | VarType::Boolean | VarType::Long | VarType::Integer => {
            Value::String(value.to_owned())
        }
        _ => serde_json::from_str(value)
            .map_err(|e| format!("value of {name} is not JSON ({e}); {} needs JSON", ty))?,
    };
    VarValue::parse(ty, &json)
        .map(|v| Variable::new(name, v))
        .map_err(|e| format!("variable {name}: {e}"))
}

/// Reads a variables file: a JSON array of `{"name", "type", "value"}` (the process-info
/// form), or an object `{"name": value}` whose types come from the JSON values.
pub(crate) fn read_vars_file(path: &Path) -> anyhow::Result<Vec<Variable>> {
    let what = || format!("variables file {}", path.display());
    let text = std::fs::read_to_string(path).with_context(what)?;
    let value: Value = serde_json::from_str(&text).with_context(what)?;
    match value {
        Value::Array(_) => serde_json::from_value(value).with_context(what),
        Value::Object(map) => map
            .into_iter()
            .map(|(name, v)| {
                VarValue::parse(infer_type(&v), &v)
                    .map(|value| Variable::new(name.clone(), value))
                    .map_err(|e| anyhow::anyhow!("variable {name}: {e}"))
            })
            .collect::<anyhow::Result<_>>()
            .with_context(what),
        _ => Err(anyhow::anyhow!(
            "expected an array of {{name, type, value}} or an object of name: value"
        ))
        .with_context(what),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values_parse() {
        assert_eq!(
            parse_var("n=long:12").unwrap(),
            Variable::new("n", VarValue::Long(12))
        );
        assert_eq!(
            parse_var("s=string:a=b:c").unwrap(),
            Variable::new("s", VarValue::String("a=b:c".into()))
        );
        assert_eq!(
            parse_var("l=list_of_string:[\"x\"]").unwrap(),
            Variable::new("l", VarValue::ListOfString(vec!["x".into()]))
        );
    }

    #[test]
    fn malformed_values_say_why() {
        assert!(
            parse_var("novalue")
                .unwrap_err()
                .contains("NAME=TYPE:VALUE")
        );
        assert!(parse_var("x=float:1").unwrap_err().contains("unknown type"));
        assert!(
            parse_var("x=long:abc")
                .unwrap_err()
                .contains("does not parse as long")
        );
        assert!(
            parse_var("=long:1")
                .unwrap_err()
                .contains("empty variable name")
        );
    }
}
