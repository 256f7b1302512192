//! Process variables: the ten types of the Java engine, with `object` and `list_of_*` values as
//! JSON values (the Java engine could neither declare nor persist them).
//!
//! Persisted form (process-info document, journey `process_variables`):
//! `{"name": .., "value": .., "type": ..}`; scalar values are strings (`"3"`, `"true"`) as the
//! Java engine writes them, the others JSON values.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The type of a process variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VarType {
    /// UTF-8 text.
    String,
    /// `true` / `false`.
    Boolean,
    /// 64-bit signed integer.
    Long,
    /// 32-bit signed integer.
    Integer,
    /// Any JSON value.
    Object,
    /// A list of JSON values.
    ListOfObject,
    /// A list of strings.
    ListOfString,
    /// A list of booleans.
    ListOfBoolean,
    /// A list of 32-bit integers.
    ListOfInteger,
    /// A list of 64-bit integers.
    ListOfLong,
}

impl VarType {
    /// All types, in declaration order.
    pub const ALL: [VarType; 10] = [
        Self::String,
        Self::Boolean,
        Self::Long,
        Self::Integer,
        Self::Object,
        Self::ListOfObject,
        Self::ListOfString,
        Self::ListOfBoolean,
        Self::ListOfInteger,
        Self::ListOfLong,
    ];

    /// The lower-case name used in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::Long => "long",
            Self::Integer => "integer",
            Self::Object => "object",
            Self::ListOfObject => "list_of_object",
            Self::ListOfString => "list_of_string",
            Self::ListOfBoolean => "list_of_boolean",
            Self::ListOfInteger => "list_of_integer",
            Self::ListOfLong => "list_of_long",
        }
    }

    /// Parses a type name case-insensitively, as the Java enum lookup does.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for VarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A typed variable value.
#[derive(Debug, Clone, PartialEq)]
pub enum VarValue {
    /// `string`
    String(String),
    /// `boolean`
    Boolean(bool),
    /// `long`
    Long(i64),
    /// `integer`
    Integer(i32),
    /// `object`
    Object(Value),
    /// `list_of_object`
    ListOfObject(Vec<Value>),
    /// `list_of_string`
    ListOfString(Vec<String>),
    /// `list_of_boolean`
    ListOfBoolean(Vec<bool>),
    /// `list_of_integer`
    ListOfInteger(Vec<i32>),
    /// `list_of_long`
    ListOfLong(Vec<i64>),
}

impl VarValue {
    /// The type of this value.
    pub fn var_type(&self) -> VarType {
        match self {
            Self::String(_) => VarType::String,
            Self::Boolean(_) => VarType::Boolean,
            Self::Long(_) => VarType::Long,
            Self::Integer(_) => VarType::Integer,
            Self::Object(_) => VarType::Object,
            Self::ListOfObject(_) => VarType::ListOfObject,
            Self::ListOfString(_) => VarType::ListOfString,
            Self::ListOfBoolean(_) => VarType::ListOfBoolean,
            Self::ListOfInteger(_) => VarType::ListOfInteger,
            Self::ListOfLong(_) => VarType::ListOfLong,
        }
    }

    /// Parses a document value as `ty`. Scalars are accepted as strings (the Java format) or as
    /// native JSON scalars; lists as JSON arrays or strings holding a JSON array.
    pub fn parse(ty: VarType, value: &Value) -> Result<Self, String> {
        let bad = || format!("value {value} does not parse as {ty}");
        match ty {
            VarType::String => match value {
                Value::String(s) => Ok(Self::String(s.clone())),
                _ => Err(bad()),
            },
            VarType::Boolean => parse_bool(value).map(Self::Boolean).ok_or_else(bad),
            VarType::Long => parse_int::<i64>(value).map(Self::Long).ok_or_else(bad),
            VarType::Integer => parse_int::<i32>(value).map(Self::Integer).ok_or_else(bad),
            VarType::Object => exact(value).map(|()| Self::Object(value.clone())),
            VarType::ListOfObject => exact(value).and_then(|()| {
                list(value, |v| Some(v.clone()))
                    .map(Self::ListOfObject)
                    .ok_or_else(bad)
            }),
            VarType::ListOfString => list(value, |v| v.as_str().map(str::to_owned))
                .map(Self::ListOfString)
                .ok_or_else(bad),
            VarType::ListOfBoolean => list(value, Value::as_bool)
                .map(Self::ListOfBoolean)
                .ok_or_else(bad),
            VarType::ListOfInteger => {
                list(value, |v| v.as_i64().and_then(|n| i32::try_from(n).ok()))
                    .map(Self::ListOfInteger)
                    .ok_or_else(bad)
            }
            VarType::ListOfLong => list(value, Value::as_i64)
                .map(Self::ListOfLong)
                .ok_or_else(bad),
        }
    }

    /// The document form: scalars as strings (as the Java engine writes them), the rest as JSON.
    pub fn to_document_value(&self) -> Value {
        match self {
            Self::String(s) => Value::String(s.clone()),
            Self::Boolean(b) => Value::String(b.to_string()),
            Self::Long(n) => Value::String(n.to_string()),
            Self::Integer(n) => Value::String(n.to_string()),
            Self::Object(v) => v.clone(),
            Self::ListOfObject(items) => Value::Array(items.clone()),
            Self::ListOfString(items) => Value::from(items.clone()),
            Self::ListOfBoolean(items) => Value::from(items.clone()),
            Self::ListOfInteger(items) => Value::from(items.clone()),
            Self::ListOfLong(items) => Value::from(items.clone()),
        }
    }

    /// The value as text (every type has one): strings as is, scalars as written in
    /// documents, the others as compact JSON.
    pub fn as_text(&self) -> String {
        match self.to_document_value() {
            Value::String(s) => s,
            other => other.to_string(),
        }
    }
}

/// Refuses an integer JSON read as a float because it is beyond 64 bits: stored, it would
/// come back rounded (`1e20`), differently on each store. Every store keeps the rest exactly.
/// Refuses a JSON number no 64-bit integer holds exactly (it would be stored rounded). The
/// reason never quotes the value: it may be sensitive.
pub fn exact(value: &Value) -> Result<(), String> {
    const BEYOND_I64: f64 = 9_223_372_036_854_775_808.0;
    match value {
        Value::Number(n)
            if n.as_f64()
                .is_some_and(|f| n.is_f64() && f.abs() >= BEYOND_I64) =>
        {
            Err(
                "a number is beyond the 64-bit integer range and would be stored rounded; \
                 send it as a string"
                    .to_owned(),
            )
        }
        Value::Array(items) => items.iter().try_for_each(exact),
        Value::Object(map) => map.values().try_for_each(exact),
        _ => Ok(()),
    }
}

fn parse_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn parse_int<T: TryFrom<i64> + std::str::FromStr>(value: &Value) -> Option<T> {
    match value {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_i64().and_then(|n| T::try_from(n).ok()),
        _ => None,
    }
}

fn list<T>(value: &Value, item: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    let parsed;
    let items = match value {
        Value::Array(items) => items,
        Value::String(s) => {
            parsed = serde_json::from_str::<Value>(s).ok()?;
            parsed.as_array()?
        }
        _ => return None,
    };
    items.iter().map(item).collect()
}

// Rust values keep their type (a list is a list, never an object).
macro_rules! value_from {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl From<$ty> for VarValue {
            fn from(value: $ty) -> Self {
                Self::$variant(value.into())
            }
        }
    )*};
}

value_from! {
    String => String,
    &str => String,
    bool => Boolean,
    i64 => Long,
    i32 => Integer,
    Value => Object,
    Vec<String> => ListOfString,
    Vec<bool> => ListOfBoolean,
    Vec<i32> => ListOfInteger,
    Vec<i64> => ListOfLong,
    Vec<Value> => ListOfObject,
}

impl From<Vec<&str>> for VarValue {
    fn from(value: Vec<&str>) -> Self {
        Self::ListOfString(value.into_iter().map(str::to_owned).collect())
    }
}

/// A named, typed process variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// Variable name, unique within a case.
    pub name: String,
    /// Typed value.
    pub value: VarValue,
}

impl Variable {
    /// A variable from a name and value.
    pub fn new(name: impl Into<String>, value: impl Into<VarValue>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// The character no store can hold: PostgreSQL's `text` and `jsonb` refuse it, so the file
/// store refuses it too (both stores accept the same values).
pub const UNSTORABLE_CHAR: char = '\0';

/// Why `text` cannot be stored, if it cannot.
pub fn unstorable_text(text: &str) -> Option<&'static str> {
    text.contains(UNSTORABLE_CHAR)
        .then_some("contains a NUL character (\\u0000), which no store can hold")
}

/// The longest name (variable, work basket, ticket, branch) a store keeps: PostgreSQL keeps
/// them in `VARCHAR(255)` columns, so the file store refuses longer ones too.
pub const MAX_NAME_CHARS: usize = 255;

/// Why a name cannot be stored, if it cannot: what [`unstorable_text`] refuses, more than
/// [`MAX_NAME_CHARS`] characters, or a control character.
pub fn unstorable_name(name: &str) -> Option<&'static str> {
    unstorable_text(name)
        .or_else(|| {
            (name.chars().count() > MAX_NAME_CHARS).then_some("is longer than 255 characters")
        })
        .or_else(|| {
            // a name is shown in tables and messages: a newline or ESC in it would forge rows
            // or drive the terminal, an invisible character make two names look alike; the
            // case-id rule
            super::unprintable_problem(name)
        })
}

/// Why a work basket name cannot be used, if it cannot: what [`unstorable_name`] refuses, or
/// nothing at all (a case pended in no basket is found by no worker).
pub fn workbasket_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        return Some("is empty");
    }
    unstorable_name(name)
}

/// `text` with every character no store can hold replaced by U+FFFD (for messages taken from
/// a program's output, which are recorded whatever they contain).
pub fn storable_lossy(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(UNSTORABLE_CHAR) {
        text.replace(UNSTORABLE_CHAR, "\u{FFFD}").into()
    } else {
        text.into()
    }
}

/// Why a JSON value cannot be stored, if it cannot (its strings and keys, at any depth).
fn unstorable_json(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(s) => unstorable_text(s),
        Value::Array(items) => items.iter().find_map(unstorable_json),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| unstorable_text(k).or_else(|| unstorable_json(v))),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

impl Variable {
    /// Checks that every store can hold this variable (its name and every string of its value):
    /// the one rule for variables from any source, applied before anything is saved.
    pub fn check_storable(&self) -> Result<(), String> {
        if let Some(why) = unstorable_name(&self.name) {
            return Err(format!("variable name {:?} {why}", self.name));
        }
        let why = match &self.value {
            VarValue::String(s) => unstorable_text(s),
            VarValue::ListOfString(items) => items.iter().find_map(|s| unstorable_text(s)),
            VarValue::Object(v) => unstorable_json(v),
            VarValue::ListOfObject(items) => items.iter().find_map(unstorable_json),
            VarValue::Boolean(_)
            | VarValue::Long(_)
            | VarValue::Integer(_)
            | VarValue::ListOfBoolean(_)
            | VarValue::ListOfInteger(_)
            | VarValue::ListOfLong(_) => None,
        };
        match why {
            Some(why) => Err(format!("the value of variable {} {why}", self.name)),
            None => Ok(()),
        }
    }

    /// [`Variable::check_storable`] for each of `variables`; the first problem.
    pub fn check_all_storable<'v>(
        variables: impl IntoIterator<Item = &'v Variable>,
    ) -> Result<(), String> {
        variables.into_iter().try_for_each(Variable::check_storable)
    }
}

#[derive(Serialize, Deserialize)]
struct VariableDoc {
    name: String,
    #[serde(default)]
    value: Value,
    #[serde(rename = "type")]
    ty: String,
}

impl Serialize for Variable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        VariableDoc {
            name: self.name.clone(),
            value: self.value.to_document_value(),
            ty: self.value.var_type().as_str().to_owned(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Variable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = VariableDoc::deserialize(deserializer)?;
        let ty = VarType::parse(&doc.ty)
            .ok_or_else(|| D::Error::custom(format!("unknown variable type {:?}", doc.ty)))?;
        let value = VarValue::parse(ty, &doc.value).map_err(D::Error::custom)?;
        Ok(Self {
            name: doc.name,
            value,
        })
    }
}

/// The variables of a case, keyed by name (documents list them in name order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Variables(BTreeMap<String, VarValue>);

impl Variables {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a variable (there is no delete, as in the Java engine).
    pub fn set(&mut self, variable: Variable) {
        self.0.insert(variable.name, variable.value);
    }

    /// The value of a variable.
    pub fn get(&self, name: &str) -> Option<&VarValue> {
        self.0.get(name)
    }

    /// Number of variables.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Variables in name order.
    pub fn iter(&self) -> impl Iterator<Item = Variable> + '_ {
        self.0
            .iter()
            .map(|(name, value)| Variable::new(name.clone(), value.clone()))
    }

    /// Merges `others` in (add or replace).
    pub fn merge(&mut self, others: impl IntoIterator<Item = Variable>) {
        for v in others {
            self.set(v);
        }
    }
}

impl FromIterator<Variable> for Variables {
    fn from_iter<I: IntoIterator<Item = Variable>>(iter: I) -> Self {
        let mut vars = Self::new();
        vars.merge(iter);
        vars
    }
}

impl Serialize for Variables {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Variables {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Variable>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(v: Variable) {
        let text = serde_json::to_string(&v).unwrap();
        let back: Variable = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v, "{text}");
    }

    #[test]
    fn every_type_round_trips() {
        let values = [
            VarValue::String("Jack \"q\" ü".into()),
            VarValue::Boolean(true),
            VarValue::Long(-9_007_199_254_740_993),
            VarValue::Integer(i32::MIN),
            VarValue::Object(json!({"a": [1, {"b": null}], "c": "d"})),
            VarValue::ListOfObject(vec![json!({"x": 1}), json!("s"), json!(null)]),
            VarValue::ListOfString(vec!["a".into(), String::new()]),
            VarValue::ListOfBoolean(vec![true, false]),
            VarValue::ListOfInteger(vec![1, -2, i32::MAX]),
            VarValue::ListOfLong(vec![i64::MAX, 0]),
        ];
        assert_eq!(values.len(), VarType::ALL.len());
        for value in values {
            round_trip(Variable::new("v", value));
        }
    }

    #[test]
    fn scalars_are_written_as_strings_like_the_java_engine() {
        let v = Variable::new("cnt", VarValue::Integer(3));
        assert_eq!(
            serde_json::to_value(&v).unwrap(),
            json!({"name": "cnt", "value": "3", "type": "integer"})
        );
    }

    #[test]
    fn parse_accepts_java_strings_and_native_json() {
        assert_eq!(
            VarValue::parse(VarType::Boolean, &json!("TRUE")),
            Ok(VarValue::Boolean(true))
        );
        assert_eq!(
            VarValue::parse(VarType::Long, &json!(5)),
            Ok(VarValue::Long(5))
        );
        assert_eq!(
            VarValue::parse(VarType::ListOfLong, &json!("[1,2]")),
            Ok(VarValue::ListOfLong(vec![1, 2]))
        );
    }

    #[test]
    fn parse_rejects_values_of_the_wrong_type() {
        assert_eq!(
            VarValue::parse(VarType::Integer, &json!("3000000000")),
            Err("value \"3000000000\" does not parse as integer".to_owned())
        );
        assert!(VarValue::parse(VarType::Boolean, &json!("yes")).is_err());
        assert!(VarValue::parse(VarType::ListOfString, &json!([1])).is_err());
        assert!(VarValue::parse(VarType::String, &json!(1)).is_err());
    }

    #[test]
    fn a_nul_anywhere_in_a_variable_is_refused() {
        let bad = [
            Variable::new("a\0b", "x"),
            Variable::new("s", "a\0b"),
            Variable::new("l", vec!["ok", "a\0"]),
            Variable::new("o", json!({"deep": [{"k": "v\0"}]})),
            Variable::new("k", json!({"ke\0y": 1})),
            Variable::new("lo", vec![json!("x"), json!(["\0"])]),
        ];
        for v in &bad {
            let err = v.check_storable().unwrap_err();
            assert!(err.contains("NUL"), "{err}");
        }
        assert!(bad[1].check_storable().unwrap_err().contains("variable s "));
        let good = [
            Variable::new("s", "a\\u0000b"),
            Variable::new("o", json!({"k": ["v", 1, null]})),
            Variable::new("n", 5_i64),
        ];
        assert_eq!(Variable::check_all_storable(&good), Ok(()));
        assert_eq!(storable_lossy("a\0b"), "a\u{FFFD}b");
        // names are kept in 255-character columns; values are not
        let long = "é".repeat(256);
        let err = Variable::new(long.as_str(), "x")
            .check_storable()
            .unwrap_err();
        assert!(err.contains("longer than 255 characters"), "{err}");
        assert_eq!(Variable::new("n", long.as_str()).check_storable(), Ok(()));
        assert_eq!(unstorable_name(&"é".repeat(255)), None);
    }

    #[test]
    fn type_names_are_case_insensitive() {
        assert_eq!(VarType::parse("LIST_OF_LONG"), Some(VarType::ListOfLong));
        assert_eq!(VarType::parse("double"), None);
    }
}
