//! `--var NAME=TYPE:VALUE` and `--vars-file FILE`.

use std::path::Path;

use anyhow::Context as _;
use serde_json::Value;
use wfctl::components::protocol::infer_type;
use wfctl::model::{VarType, VarValue, Variable};

/// Parses `NAME=TYPE:VALUE`. Scalars are written as text (`amount=long:1200`,
/// `ok=boolean:true`), object and list values as JSON (`tags=list_of_string:["a","b"]`). An
/// error names the variable and the rule, never the value (it may be sensitive).
pub(crate) fn parse_var(text: &str) -> Result<Variable, String> {
    let usage = || {
        format!(
            "expected NAME=TYPE:VALUE, e.g. approved=boolean:true (types: {})",
            VarType::ALL.map(VarType::as_str).join(", ")
        )
    };
    let (name, typed) = text.split_once('=').ok_or_else(usage)?;
    if name.trim().is_empty() {
        return Err(format!("empty variable name; {}", usage()));
    }
    let (ty, value) = typed
        .split_once(':')
        .ok_or_else(|| format!("variable {name}: {}", usage()))?;
    let ty = VarType::parse(ty).ok_or_else(|| {
        // a word is quoted; anything else may be part of a value written without its type
        let word = ty.len() <= 32 && ty.chars().all(|c| c.is_ascii_alphabetic() || c == '_');
        let named = if word {
            format!(" {ty:?}")
        } else {
            String::new()
        };
        format!("variable {name}: unknown type{named}; {}", usage())
    })?;
    let json = match ty {
        VarType::String | VarType::Boolean | VarType::Long | VarType::Integer => {
            Value::String(value.to_owned())
        }
        // serde_json's syntax errors give a position, never the text
        _ => serde_json::from_str(value)
            .map_err(|e| format!("value of {name} is not JSON ({e}); {ty} needs JSON"))?,
    };
    typed_value(name, ty, &json)
}

/// Variable `name` of type `ty`; the error names the variable and the type, not the value.
fn typed_value(name: &str, ty: VarType, json: &Value) -> Result<Variable, String> {
    // the one reason worth giving beyond the type, and it quotes nothing
    wfctl::model::exact(json).map_err(|reason| format!("variable {name}: {reason}"))?;
    VarValue::parse(ty, json)
        .map(|v| Variable::new(name, v))
        .map_err(|_| format!("variable {name}: the value does not parse as {ty}"))
}

/// `parse_var` as a clap value parser: clap's own message would quote the whole argument,
/// value included; this one says only what `parse_var` says (a usage error, exit 2).
#[derive(Debug, Clone, Copy)]
pub(crate) struct VarParser;

impl clap::builder::TypedValueParser for VarParser {
    type Value = Variable;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Variable, clap::Error> {
        let flag = arg.map_or_else(|| "NAME=TYPE:VALUE".to_owned(), ToString::to_string);
        let invalid = |reason: String| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value for '{flag}': {reason}\n"),
            )
            .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| invalid("not UTF-8".to_owned()))?;
        parse_var(text).map_err(invalid)
    }
}

/// Reads a variables file: a JSON array of `{"name", "type", "value"}` (the process-info
/// form), or an object `{"name": value}` whose types come from the JSON values. Errors name
/// the variable, never its value.
pub(crate) fn read_vars_file(path: &Path) -> anyhow::Result<Vec<Variable>> {
    let what = || format!("variables file {}", path.display());
    let text = std::fs::read_to_string(path).with_context(what)?;
    let value: Value = serde_json::from_str(&text).with_context(what)?;
    let parsed: Result<Vec<Variable>, String> = match value {
        Value::Array(items) => items.iter().enumerate().map(entry).collect(),
        Value::Object(map) => map
            .iter()
            .map(|(name, v)| typed_value(name, infer_type(v), v))
            .collect(),
        _ => Err("expected an array of {name, type, value} or an object of name: value".to_owned()),
    };
    parsed.map_err(|reason| anyhow::anyhow!("{}: {reason}", what()))
}

// one `{"name", "type", "value"}` of the array form
fn entry((index, item): (usize, &Value)) -> Result<Variable, String> {
    let name = item
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("entry {index} has no \"name\" text"))?;
    let ty = item
        .get("type")
        .and_then(Value::as_str)
        .and_then(VarType::parse)
        .ok_or_else(|| {
            format!(
                "variable {name}: no \"type\" or an unknown one (types: {})",
                VarType::ALL.map(VarType::as_str).join(", ")
            )
        })?;
    typed_value(name, ty, item.get("value").unwrap_or(&Value::Null))
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
