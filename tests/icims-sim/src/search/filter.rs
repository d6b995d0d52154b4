//! Parsing and validating a search body (§5.2): groups with `filters`, `operator` (`&`/`|`)
//! and nested `children`; filters with `name`, `value`, `secondaryValue`, `operator`.
//! Unrecognised keys reject the whole query, with the messages of §5.4.

use serde_json::Value;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupOp {
    And,
    Or,
}

/// Filter operators: `=` exact for list/number/date and *contains* for text, `==` exact,
/// `!=` not (contains), `!==` not exact, and the four comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Exact,
    Ne,
    NotExact,
    Lt,
    Gt,
    Le,
    Ge,
}

impl Op {
    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "=" => Op::Eq,
            "==" => Op::Exact,
            "!=" => Op::Ne,
            "!==" => Op::NotExact,
            "<" => Op::Lt,
            ">" => Op::Gt,
            "<=" => Op::Le,
            ">=" => Op::Ge,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Exact => "==",
            Op::Ne => "!=",
            Op::NotExact => "!==",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Ge => ">=",
        }
    }

    pub fn is_negative(self) -> bool {
        matches!(self, Op::Ne | Op::NotExact)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
    pub secondary: Vec<String>,
    pub op: Op,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub op: GroupOp,
    pub filters: Vec<Filter>,
    pub children: Vec<Group>,
}

pub const MSG_NO_FILTER: &str = "At least one filter must be specified";
pub const MSG_PARSE: &str = "An unknown parsing error occurred";

pub fn msg_invalid_filter(name: &str) -> String {
    format!("The following filter is either not valid or hidden: [{name}]")
}

fn msg_bad_operator(op: &str) -> String {
    format!("The following filter operator is not valid: [{op}]")
}

fn msg_bad_group_operator(op: &str) -> String {
    format!("The following group operator is not valid: [{op}]")
}

fn msg_filter_attr(key: &str) -> String {
    format!("The following filter attribute is not recognized: [{key}]")
}

fn msg_group_attr(key: &str) -> String {
    format!("The following group attribute is not recognized: [{key}]")
}

pub const MSG_BLANK_NAME: &str = "The following filter is either not valid or hidden: []";

/// Parses the whole search body; `Err` carries the iCIMS message.
pub fn parse_query(v: &Value) -> Result<Group, String> {
    let g = parse_group(v)?;
    if g.filters.is_empty() && g.children.is_empty() {
        return Err(MSG_NO_FILTER.into());
    }
    Ok(g)
}

fn parse_group(v: &Value) -> Result<Group, String> {
    let obj = v.as_object().ok_or_else(|| MSG_PARSE.to_string())?;
    let mut group = Group {
        op: GroupOp::And,
        filters: Vec::new(),
        children: Vec::new(),
    };
    let mut saw_filters = false;
    for (k, val) in obj {
        match k.as_str() {
            "filters" => {
                saw_filters = true;
                let arr = val.as_array().ok_or_else(|| MSG_PARSE.to_string())?;
                for f in arr {
                    group.filters.push(parse_filter(f)?);
                }
            }
            "operator" => {
                let s = val.as_str().ok_or_else(|| MSG_PARSE.to_string())?;
                group.op = match s {
                    "&" => GroupOp::And,
                    "|" => GroupOp::Or,
                    other => return Err(msg_bad_group_operator(other)),
                };
            }
            "children" => {
                let arr = val.as_array().ok_or_else(|| MSG_PARSE.to_string())?;
                for c in arr {
                    group.children.push(parse_group(c)?);
                }
            }
            other => return Err(msg_group_attr(other)),
        }
    }
    if !saw_filters {
        return Err(MSG_NO_FILTER.into());
    }
    Ok(group)
}

fn parse_filter(v: &Value) -> Result<Filter, String> {
    let obj = v.as_object().ok_or_else(|| MSG_PARSE.to_string())?;
    let mut f = Filter {
        name: String::new(),
        values: Vec::new(),
        secondary: Vec::new(),
        op: Op::Eq,
    };
    for (k, val) in obj {
        match k.as_str() {
            "name" => {
                f.name = val
                    .as_str()
                    .ok_or_else(|| MSG_PARSE.to_string())?
                    .trim()
                    .into()
            }
            "value" => f.values = string_list(val)?,
            "secondaryValue" => f.secondary = string_list(val)?,
            "operator" => {
                let s = val.as_str().ok_or_else(|| MSG_PARSE.to_string())?;
                f.op = Op::parse(s).ok_or_else(|| msg_bad_operator(s))?;
            }
            other => return Err(msg_filter_attr(other)),
        }
    }
    if f.name.is_empty() {
        return Err(MSG_BLANK_NAME.into());
    }
    Ok(f)
}

/// `value` is an array of strings; a lone string or number is accepted leniently.
fn string_list(v: &Value) -> Result<Vec<String>, String> {
    let one = |x: &Value| match x {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(MSG_PARSE.to_string()),
    };
    match v {
        Value::Array(a) => a.iter().map(one).collect(),
        other => Ok(vec![one(other)?]),
    }
}

impl Group {
    /// A canonical text form: the cache key of the query (so `id > 1000` and `id > 2000`
    /// are different entries, and key order in the JSON does not matter).
    pub fn canonical(&self) -> String {
        let mut s = String::new();
        self.write_canonical(&mut s);
        s
    }

    fn write_canonical(&self, s: &mut String) {
        s.push_str(if self.op == GroupOp::And { "&(" } else { "|(" });
        for f in &self.filters {
            let _ = write!(
                s,
                "[{:?}{}{:?}:{:?}]",
                f.name,
                f.op.as_str(),
                f.values,
                f.secondary
            );
        }
        for c in &self.children {
            c.write_canonical(s);
        }
        s.push(')');
    }

    /// Every filter name in the query (permission checks).
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.filters.iter().map(|f| f.name.as_str()).collect();
        for c in &self.children {
            out.extend(c.names());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_documented_example() {
        let q = parse_query(&json!({
            "filters": [
                {"name": "person.lastname", "value": ["Doe"]},
                {"name": "person.updateddate", "value": ["2024-01-01 12:00 AM"],
                 "secondaryValue": ["2024-01-31 11:59 PM"], "operator": "="}
            ],
            "operator": "&",
            "children": [{"filters": [
                {"name": "person.firstname", "value": ["John"]},
                {"name": "person.firstname", "value": ["Jane"]}], "operator": "|"}]
        }))
        .unwrap();
        assert_eq!(q.filters.len(), 2);
        assert_eq!(q.children[0].op, GroupOp::Or);
        assert_eq!(q.filters[1].secondary, vec!["2024-01-31 11:59 PM"]);
    }

    #[test]
    fn rejects_unknown_keys_and_operators() {
        let e =
            parse_query(&json!({"filters": [{"name": "person.id", "value": ["1"], "op": ">"}]}));
        assert_eq!(
            e.unwrap_err(),
            "The following filter attribute is not recognized: [op]"
        );
        let e = parse_query(&json!({"filters": [], "sort": "id"}));
        assert_eq!(
            e.unwrap_err(),
            "The following group attribute is not recognized: [sort]"
        );
        let e = parse_query(&json!({"filters": [{"name": "person.id", "operator": "=>"}]}));
        assert_eq!(
            e.unwrap_err(),
            "The following filter operator is not valid: [=>]"
        );
        let e = parse_query(&json!({"filters": [{"name": "person.id"}], "operator": "&&"}));
        assert_eq!(
            e.unwrap_err(),
            "The following group operator is not valid: [&&]"
        );
    }

    #[test]
    fn requires_a_filter_and_a_name() {
        assert_eq!(
            parse_query(&json!({"filters": []})).unwrap_err(),
            MSG_NO_FILTER
        );
        assert_eq!(parse_query(&json!({})).unwrap_err(), MSG_NO_FILTER);
        assert_eq!(
            parse_query(&json!({"filters": [{"name": " ", "value": ["x"]}]})).unwrap_err(),
            MSG_BLANK_NAME
        );
        assert_eq!(parse_query(&json!([1])).unwrap_err(), MSG_PARSE);
    }

    #[test]
    fn canonical_form_distinguishes_paging_values() {
        let a = parse_query(
            &json!({"filters": [{"name": "person.id", "value": ["1000"], "operator": ">"}]}),
        );
        let b = parse_query(
            &json!({"filters": [{"name": "person.id", "value": ["2000"], "operator": ">"}]}),
        );
        let a2 = parse_query(
            &json!({"filters": [{"operator": ">", "value": ["1000"], "name": "person.id"}]}),
        );
        assert_ne!(a.clone().unwrap().canonical(), b.unwrap().canonical());
        assert_eq!(a.unwrap().canonical(), a2.unwrap().canonical());
    }
}
