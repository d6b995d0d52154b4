//! Compiles a parsed query against one record type and one customer, then scans records.
//! Compilation resolves names to typed fields, lowercases text needles, parses dates and turns
//! list values into node indices, so evaluating a record is allocation-free comparisons.
//! A top-level `<type>.id` bound (`>`, `>=`, `=`, `<`, `<=`) narrows the scan to an id range and
//! the scan stops after `max` hits: paging through a million people stays cheap.

use super::filter::{Filter, Group, GroupOp, Op, msg_invalid_filter};
use crate::config::{CustomerConfig, ListNode};
use crate::dates::parse_datetime;
use crate::record_type::RecordType;
use crate::store::{CustomerData, IdTable, NONE, to_minutes};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Id,
    Created,
    Updated,
    PersonFirst,
    PersonMiddle,
    PersonLast,
    PersonEmail,
    PersonFolder,
    JobTitle,
    JobNumber,
    JobFolder,
    CompanyName,
    CompanyFolder,
    WfStatus,
    WfPersonId,
    WfJobId,
    WfPersonEmail,
    WfPersonCreated,
    WfPersonUpdated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Number,
    Date,
    Text,
    List,
}

/// Filter names the simulator understands, per type (a subset of §5.5).
fn resolve(ty: RecordType, name: &str) -> Option<(Field, Kind)> {
    let rest = name.strip_prefix(ty.filter_prefix())?.strip_prefix('.')?;
    use Field::*;
    use Kind::*;
    let common = match rest {
        "id" => Some((Id, Number)),
        "createddate" => Some((Created, Date)),
        "updateddate" => Some((Updated, Date)),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    Some(match (ty, rest) {
        (RecordType::People, "firstname") => (PersonFirst, Text),
        (RecordType::People, "middlename") => (PersonMiddle, Text),
        (RecordType::People, "lastname") => (PersonLast, Text),
        (RecordType::People, "email" | "emailaddress") => (PersonEmail, Text),
        (RecordType::People, "folder") => (PersonFolder, List),
        (RecordType::Jobs, "jobtitle") => (JobTitle, Text),
        (RecordType::Jobs, "jobnumber") => (JobNumber, Text),
        (RecordType::Jobs, "folder") => (JobFolder, List),
        (RecordType::Companies, "name") => (CompanyName, Text),
        (RecordType::Companies, "folder") => (CompanyFolder, List),
        (RecordType::Workflows, "status") => (WfStatus, List),
        (RecordType::Workflows, "person.id") => (WfPersonId, Number),
        (RecordType::Workflows, "job.id") => (WfJobId, Number),
        (RecordType::Workflows, "person.email") => (WfPersonEmail, Text),
        (RecordType::Workflows, "person.createddate") => (WfPersonCreated, Date),
        (RecordType::Workflows, "person.updateddate") => (WfPersonUpdated, Date),
        _ => return None,
    })
}

#[derive(Debug)]
enum Pred {
    Num {
        field: Field,
        op: Op,
        values: Vec<i64>,
    },
    /// Inclusive minute range; `negate` for `!=`.
    Date {
        field: Field,
        lo: u32,
        hi: u32,
        negate: bool,
    },
    Text {
        field: Field,
        exact: bool,
        negate: bool,
        needles: Vec<String>,
    },
    List {
        field: Field,
        negate: bool,
        nodes: Vec<u16>,
    },
}

#[derive(Debug)]
pub struct Compiled {
    op: GroupOp,
    preds: Vec<Pred>,
    children: Vec<Compiled>,
}

pub const MSG_BLANK_DATE: &str = "Blank date values are not allowed";

pub fn compile(g: &Group, ty: RecordType, cfg: &CustomerConfig) -> Result<Compiled, String> {
    Ok(Compiled {
        op: g.op,
        preds: g
            .filters
            .iter()
            .map(|f| compile_filter(f, ty, cfg))
            .collect::<Result<_, _>>()?,
        children: g
            .children
            .iter()
            .map(|c| compile(c, ty, cfg))
            .collect::<Result<_, _>>()?,
    })
}

fn compile_filter(f: &Filter, ty: RecordType, cfg: &CustomerConfig) -> Result<Pred, String> {
    let (field, kind) = resolve(ty, &f.name).ok_or_else(|| msg_invalid_filter(&f.name))?;
    let bad_op = || {
        format!(
            "The following filter operator is not valid: [{}]",
            f.op.as_str()
        )
    };
    Ok(match kind {
        Kind::Number => {
            let values = f
                .values
                .iter()
                .map(|v| v.trim().parse::<i64>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| super::filter::MSG_PARSE.to_string())?;
            if values.is_empty() {
                return Err(super::filter::MSG_PARSE.into());
            }
            Pred::Num {
                field,
                op: f.op,
                values,
            }
        }
        Kind::Date => {
            if f.values
                .iter()
                .chain(&f.secondary)
                .any(|v| v.trim().is_empty())
            {
                return Err(MSG_BLANK_DATE.into());
            }
            // An unparseable date is ignored: the most lenient range (§5.2).
            let first = f
                .values
                .first()
                .and_then(|v| parse_datetime(v))
                .map(to_minutes);
            let second = f
                .secondary
                .first()
                .and_then(|v| parse_datetime(v))
                .map(to_minutes);
            let (lo, hi, negate) = match f.op {
                Op::Eq | Op::Exact => (first.unwrap_or(0), second.unwrap_or(u32::MAX), false),
                Op::Ne | Op::NotExact => match (first, second) {
                    (None, None) => (0, u32::MAX, false),
                    (a, b) => (a.unwrap_or(0), b.unwrap_or(u32::MAX), true),
                },
                Op::Gt => (first.map_or(0, |v| v.saturating_add(1)), u32::MAX, false),
                Op::Ge => (first.unwrap_or(0), u32::MAX, false),
                Op::Lt => (0, first.map_or(u32::MAX, |v| v.saturating_sub(1)), false),
                Op::Le => (0, first.unwrap_or(u32::MAX), false),
            };
            Pred::Date {
                field,
                lo,
                hi,
                negate,
            }
        }
        Kind::Text => {
            if matches!(f.op, Op::Lt | Op::Gt | Op::Le | Op::Ge) {
                return Err(bad_op());
            }
            Pred::Text {
                field,
                exact: matches!(f.op, Op::Exact | Op::NotExact),
                negate: f.op.is_negative(),
                needles: f.values.iter().map(|v| v.to_lowercase()).collect(),
            }
        }
        Kind::List => {
            if matches!(f.op, Op::Lt | Op::Gt | Op::Le | Op::Ge) {
                return Err(bad_op());
            }
            let list: &[ListNode] = match field {
                Field::PersonFolder => &cfg.person_folders,
                Field::JobFolder => &cfg.job_folders,
                Field::CompanyFolder => &cfg.company_folders,
                _ => &cfg.statuses,
            };
            // By node id or by text value; an unknown node id simply matches nothing (§5.2).
            let nodes = f
                .values
                .iter()
                .filter_map(|v| {
                    list.iter()
                        .position(|n| n.id == *v || n.value.eq_ignore_ascii_case(v))
                        .map(|i| i as u16)
                })
                .collect();
            Pred::List {
                field,
                negate: f.op.is_negative(),
                nodes,
            }
        }
    })
}

/// One record as the evaluator sees it.
#[derive(Clone, Copy)]
enum Rec<'a> {
    Person(&'a crate::store::Person),
    Job(&'a crate::store::Job),
    Company(&'a crate::store::Company),
    Workflow(&'a crate::store::Workflow),
}

impl Compiled {
    fn eval(&self, id: u32, r: Rec<'_>, d: &CustomerData) -> bool {
        let mut it = self
            .preds
            .iter()
            .map(|p| p.eval(id, r, d))
            .chain(self.children.iter().map(|c| c.eval(id, r, d)));
        match self.op {
            GroupOp::And => it.all(|x| x),
            GroupOp::Or => it.any(|x| x),
        }
    }

    /// Inclusive id range implied by top-level `<type>.id` filters (only under `&`, or a
    /// single filter); everything outside it cannot match.
    pub fn id_bounds(&self) -> (u64, u64) {
        let (mut lo, mut hi) = (0u64, u64::MAX);
        if self.op == GroupOp::Or && self.preds.len() + self.children.len() > 1 {
            return (lo, hi);
        }
        for p in &self.preds {
            if let Pred::Num {
                field: Field::Id,
                op,
                values,
            } = p
            {
                let v0 = values[0].max(-1);
                match op {
                    Op::Gt => lo = lo.max((v0 + 1).max(0) as u64),
                    Op::Ge => lo = lo.max(v0.max(0) as u64),
                    Op::Lt => hi = hi.min(v0.saturating_sub(1).max(0) as u64),
                    Op::Le => hi = hi.min(v0.max(0) as u64),
                    Op::Eq | Op::Exact => {
                        let min = values.iter().copied().min().unwrap_or(0).max(0) as u64;
                        let max = values.iter().copied().max().unwrap_or(0).max(0) as u64;
                        lo = lo.max(min);
                        hi = hi.min(max);
                    }
                    Op::Ne | Op::NotExact => {}
                }
            }
        }
        (lo, hi)
    }
}

fn text_of<'a>(field: Field, r: Rec<'a>, d: &'a CustomerData) -> &'a str {
    let a = &d.arena;
    match (field, r) {
        (Field::PersonFirst, Rec::Person(p)) => a.get(p.first),
        (Field::PersonMiddle, Rec::Person(p)) => a.get(p.middle),
        (Field::PersonLast, Rec::Person(p)) => a.get(p.last),
        (Field::PersonEmail, Rec::Person(p)) => a.get(p.email),
        (Field::JobTitle, Rec::Job(j)) => &j.title,
        (Field::JobNumber, Rec::Job(j)) => &j.jobid,
        (Field::CompanyName, Rec::Company(c)) => &c.name,
        (Field::WfPersonEmail, Rec::Workflow(w)) => {
            d.people.get(w.person as u64).map_or("", |p| a.get(p.email))
        }
        _ => "",
    }
}

fn date_of(field: Field, r: Rec<'_>, d: &CustomerData) -> Option<u32> {
    Some(match (field, r) {
        (Field::Created, Rec::Person(p)) => p.created,
        (Field::Updated, Rec::Person(p)) => p.updated,
        (Field::Created, Rec::Job(j)) => j.created,
        (Field::Updated, Rec::Job(j)) => j.updated,
        (Field::Created, Rec::Company(c)) => c.created,
        (Field::Updated, Rec::Company(c)) => c.updated,
        (Field::Created, Rec::Workflow(w)) => w.created,
        (Field::Updated, Rec::Workflow(w)) => w.updated,
        (Field::WfPersonCreated, Rec::Workflow(w)) => d.people.get(w.person as u64)?.created,
        (Field::WfPersonUpdated, Rec::Workflow(w)) => d.people.get(w.person as u64)?.updated,
        _ => return None,
    })
}

fn list_of(field: Field, r: Rec<'_>) -> u16 {
    match (field, r) {
        (Field::PersonFolder, Rec::Person(p)) => p.folder,
        (Field::JobFolder, Rec::Job(j)) => j.folder,
        (Field::CompanyFolder, Rec::Company(c)) => c.folder,
        (Field::WfStatus, Rec::Workflow(w)) => w.status,
        _ => NONE,
    }
}

fn number_of(field: Field, id: u32, r: Rec<'_>) -> i64 {
    match (field, r) {
        (Field::WfPersonId, Rec::Workflow(w)) => w.person as i64,
        (Field::WfJobId, Rec::Workflow(w)) => w.job as i64,
        _ => id as i64,
    }
}

impl Pred {
    fn eval(&self, id: u32, r: Rec<'_>, d: &CustomerData) -> bool {
        match self {
            Pred::Num { field, op, values } => {
                let x = number_of(*field, id, r);
                let v0 = values[0];
                match op {
                    Op::Eq | Op::Exact => values.contains(&x),
                    Op::Ne | Op::NotExact => !values.contains(&x),
                    Op::Lt => x < v0,
                    Op::Gt => x > v0,
                    Op::Le => x <= v0,
                    Op::Ge => x >= v0,
                }
            }
            Pred::Date {
                field,
                lo,
                hi,
                negate,
            } => match date_of(*field, r, d) {
                Some(x) => (x >= *lo && x <= *hi) != *negate,
                None => false,
            },
            Pred::Text {
                field,
                exact,
                negate,
                needles,
            } => {
                let hay = text_of(*field, r, d);
                let hit = needles.iter().any(|n| {
                    if *exact {
                        hay.eq_ignore_ascii_case(n)
                    } else {
                        contains_ignore_ascii_case(hay, n)
                    }
                });
                hit != *negate
            }
            Pred::List {
                field,
                negate,
                nodes,
            } => {
                let v = list_of(*field, r);
                (v != NONE && nodes.contains(&v)) != *negate
            }
        }
    }
}

/// Case-insensitive substring test without allocating; `needle` is already lowercase.
pub fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return true;
    }
    if n.len() > h.len() {
        return false;
    }
    h.windows(n.len())
        .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

/// Runs a compiled query: ascending ids, at most `max`.
pub fn run(q: &Compiled, ty: RecordType, d: &CustomerData, max: usize) -> Vec<u32> {
    fn scan<'a, T>(
        t: &'a IdTable<T>,
        q: &Compiled,
        d: &'a CustomerData,
        max: usize,
        wrap: impl Fn(&'a T) -> Rec<'a>,
    ) -> Vec<u32> {
        let (lo, hi) = q.id_bounds();
        let mut out = Vec::new();
        if lo > hi {
            return out;
        }
        for (id, r) in t.iter_from(lo) {
            if id as u64 > hi || out.len() >= max {
                break;
            }
            if q.eval(id, wrap(r), d) {
                out.push(id);
            }
        }
        out
    }
    match ty {
        RecordType::People => scan(&d.people, q, d, max, Rec::Person),
        RecordType::Jobs => scan(&d.jobs, q, d, max, Rec::Job),
        RecordType::Companies => scan(&d.companies, q, d, max, Rec::Company),
        RecordType::Workflows => scan(&d.workflows, q, d, max, Rec::Workflow),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::filter::parse_query;
    use serde_json::json;

    fn data() -> (CustomerConfig, CustomerData) {
        let mut cfg = CustomerConfig::default();
        cfg.generator.people = 3000;
        cfg.generator.jobs = 30;
        cfg.generator.workflows = 2000;
        let d = crate::generator::generate(&cfg, 1_700_000_000);
        (cfg, d)
    }

    fn search(
        cfg: &CustomerConfig,
        d: &CustomerData,
        ty: RecordType,
        q: serde_json::Value,
    ) -> Result<Vec<u32>, String> {
        let g = parse_query(&q)?;
        let c = compile(&g, ty, cfg)?;
        Ok(run(&c, ty, d, 1000))
    }

    /// Reference implementation: brute force over every record with the same predicate.
    fn brute(cfg: &CustomerConfig, d: &CustomerData, q: serde_json::Value) -> Vec<u32> {
        let c = compile(&parse_query(&q).unwrap(), RecordType::People, cfg).unwrap();
        d.people
            .iter_from(0)
            .filter(|(id, p)| c.eval(*id, Rec::Person(p), d))
            .map(|(id, _)| id)
            .take(1000)
            .collect()
    }

    #[test]
    fn id_paging_is_ascending_capped_and_complete() {
        let (cfg, d) = data();
        let mut last = 0u32;
        let mut all = Vec::new();
        loop {
            let page = search(
                &cfg,
                &d,
                RecordType::People,
                json!({"filters":[
                {"name":"person.id","value":[last.to_string()],"operator":">"}]}),
            )
            .unwrap();
            assert!(page.len() <= 1000);
            assert!(page.windows(2).all(|w| w[0] < w[1]));
            all.extend_from_slice(&page);
            if page.len() < 1000 {
                break;
            }
            last = *page.last().unwrap();
        }
        assert_eq!(all.len(), 3000);
    }

    #[test]
    fn operators_match_reference() {
        let (cfg, d) = data();
        let p = d.people.get(77).unwrap();
        let email = d.arena.get(p.email).to_string();
        let last = d.arena.get(p.last).to_string();
        let cases = [
            json!({"filters":[{"name":"person.email","value":[email.to_uppercase()],"operator":"=="}]}),
            json!({"filters":[{"name":"person.lastname","value":[last[1..].to_string()]}]}),
            json!({"filters":[{"name":"person.lastname","value":[last.clone()],"operator":"!="}]}),
            json!({"filters":[{"name":"person.lastname","value":[last.clone()],"operator":"!=="}]}),
            json!({"filters":[{"name":"person.id","value":["10"],"operator":"<="}]}),
            json!({"filters":[{"name":"person.id","value":["2990"],"operator":">="}]}),
            json!({"filters":[{"name":"person.id","value":["5","7","9"]}]}),
            json!({"filters":[{"name":"person.folder","value":["C16820"]}]}),
            json!({"filters":[{"name":"person.folder","value":["candidate: active"],"operator":"!="}]}),
        ];
        for q in cases {
            let got = search(&cfg, &d, RecordType::People, q.clone()).unwrap();
            assert_eq!(got, brute(&cfg, &d, q.clone()), "{q}");
        }
        let exact = search(
            &cfg,
            &d,
            RecordType::People,
            json!({"filters":[
            {"name":"person.email","value":[email.to_uppercase()],"operator":"=="}]}),
        )
        .unwrap();
        assert!(exact.contains(&77));
        let few = search(
            &cfg,
            &d,
            RecordType::People,
            json!({"filters":[
            {"name":"person.id","value":["5","7","9"]}]}),
        )
        .unwrap();
        assert_eq!(few, vec![5, 7, 9]);
    }

    #[test]
    fn groups_and_children_combine() {
        let (cfg, d) = data();
        let q = json!({"filters":[{"name":"person.id","value":["100"],"operator":"<="}],
            "operator":"&",
            "children":[{"filters":[{"name":"person.id","value":["3"]},{"name":"person.id","value":["50"]}],"operator":"|"}]});
        assert_eq!(
            search(&cfg, &d, RecordType::People, q).unwrap(),
            vec![3, 50]
        );
        let q = json!({"filters":[{"name":"person.id","value":["3"]},{"name":"person.id","value":["2999"]}],"operator":"|"});
        assert_eq!(
            search(&cfg, &d, RecordType::People, q).unwrap(),
            vec![3, 2999]
        );
    }

    #[test]
    fn date_ranges_and_unparseable_bounds() {
        let (cfg, d) = data();
        let p = d.people.get(10).unwrap();
        let when = crate::dates::format_datetime(crate::store::from_minutes(p.updated));
        let q = json!({"filters":[{"name":"person.updateddate","value":[when.clone()],"secondaryValue":[when.clone()]}]});
        let hits = search(&cfg, &d, RecordType::People, q).unwrap();
        assert!(hits.contains(&10));
        assert!(
            hits.iter()
                .all(|id| d.people.get(*id as u64).unwrap().updated == p.updated)
        );
        // Unparseable start: ignored → every record with an end bound far in the future.
        let q = json!({"filters":[{"name":"person.updateddate","value":["not a date"],"secondaryValue":["2999-01-01"]}]});
        assert_eq!(search(&cfg, &d, RecordType::People, q).unwrap().len(), 1000);
        let q = json!({"filters":[{"name":"person.updateddate","value":[""]}]});
        assert_eq!(
            search(&cfg, &d, RecordType::People, q).unwrap_err(),
            MSG_BLANK_DATE
        );
    }

    #[test]
    fn rejects_cross_type_and_unknown_names() {
        let (cfg, d) = data();
        let e = search(
            &cfg,
            &d,
            RecordType::People,
            json!({"filters":[{"name":"job.jobtitle","value":["x"]}]}),
        );
        assert_eq!(
            e.unwrap_err(),
            "The following filter is either not valid or hidden: [job.jobtitle]"
        );
        let e = search(
            &cfg,
            &d,
            RecordType::People,
            json!({"filters":[{"name":"person.shoesize","value":["x"]}]}),
        );
        assert!(e.unwrap_err().contains("person.shoesize"));
        let e = search(
            &cfg,
            &d,
            RecordType::People,
            json!({"filters":[{"name":"person.lastname","value":["x"],"operator":">"}]}),
        );
        assert!(e.unwrap_err().contains("operator"));
    }

    #[test]
    fn workflow_relation_filters() {
        let (cfg, d) = data();
        let (wid, w) = d.workflows.iter_from(0).next().unwrap();
        let q = json!({"filters":[{"name":"applicantworkflow.person.id","value":[w.person.to_string()]},
                                  {"name":"applicantworkflow.job.id","value":[w.job.to_string()]}]});
        assert_eq!(
            search(&cfg, &d, RecordType::Workflows, q).unwrap(),
            vec![wid]
        );
        let status = &cfg.statuses[w.status as usize].id;
        let q = json!({"filters":[{"name":"applicantworkflow.status","value":[status]}]});
        assert!(
            search(&cfg, &d, RecordType::Workflows, q)
                .unwrap()
                .contains(&wid)
        );
    }

    #[test]
    fn contains_is_case_insensitive() {
        assert!(contains_ignore_ascii_case(
            "John.Smith@Gmail.com",
            "smith@gmail"
        ));
        assert!(!contains_ignore_ascii_case("abc", "abcd"));
    }
}
