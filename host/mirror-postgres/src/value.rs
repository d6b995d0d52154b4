//! Parameters of statements whose text is built at run time (the upsert per kind, searches with
//! optional filters): each value keeps its type, and [`bind`] binds them in order.

use sqlx::postgres::{PgArguments, Postgres};
use sqlx::query::Query;

/// One statement parameter.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Texts(Vec<String>),
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}
impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Value {
        Value::Text(v.clone())
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        Value::Text(v.map(str::to_string))
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}
impl From<Vec<String>> for Value {
    fn from(v: Vec<String>) -> Value {
        Value::Texts(v)
    }
}

/// Values in placeholder order; [`Params::add`] returns the placeholder of the value added.
#[derive(Debug, Default)]
pub(crate) struct Params(pub Vec<Value>);

impl Params {
    pub(crate) fn add(&mut self, v: impl Into<Value>) -> String {
        self.0.push(v.into());
        format!("${}", self.0.len())
    }
}

/// Binds `values` to `query` in order.
pub(crate) fn bind<'q>(
    mut query: Query<'q, Postgres, PgArguments>,
    values: Vec<Value>,
) -> Query<'q, Postgres, PgArguments> {
    for v in values {
        query = match v {
            Value::Text(t) => query.bind(t),
            Value::Int(i) => query.bind(i),
            Value::Texts(list) => query.bind(list),
        };
    }
    query
}
