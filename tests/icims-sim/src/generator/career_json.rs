//! What careers look like from outside the generator: a person's work history and education
//! as the iCIMS collections the API serves, and who applies to a generated job.

use serde_json::{Map, Value, json};
use std::collections::HashMap;

use super::rng::SplitMix64;
use crate::store::CustomerData;

/// The person's generated work history or education as iCIMS collections (one group per
/// entry; dates are DATEONLY, first of January of the year).
pub fn collection(d: &CustomerData, profile: u32, education: bool) -> Option<Value> {
    let c = super::career::career(d.career_seed, profile, d.career_year);
    let day = |y: i32| format!("{y:04}-01-01");
    if education {
        let e = &c.education;
        let mut g = Map::new();
        g.insert("entry".into(), json!(1001));
        g.insert("educationschool".into(), json!(e.school));
        g.insert(
            "educationdegree".into(),
            json!({"id": format!("D{}", 36000 + e.degree.len()), "value": e.degree, "formattedvalue": e.degree}),
        );
        if !e.field.is_empty() {
            g.insert("educationmajor".into(), json!(e.field));
        }
        g.insert("graduationdate".into(), json!(day(e.year)));
        return Some(Value::Array(vec![Value::Object(g)]));
    }
    let groups = c
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut g = Map::new();
            g.insert("entry".into(), json!(2001 + i));
            g.insert("worktitle".into(), json!(r.title));
            g.insert("workemployer".into(), json!(r.employer));
            g.insert("workstartdate".into(), json!(day(r.start_year)));
            if let Some(end) = r.end_year {
                g.insert("workenddate".into(), json!(day(end)));
            }
            g.insert("workdescription".into(), json!(r.description));
            Value::Object(g)
        })
        .collect();
    Some(Value::Array(groups))
}

/// People apply mostly to work they do (70%), half of them near home; the rest apply to
/// anything. Returns `drawn` when the job has no generated needs or nobody fits the pick.
pub(super) fn self_selected(
    d: &CustomerData,
    rng: &mut SplitMix64,
    job: u32,
    drawn: u32,
    by_profession: &HashMap<u8, Vec<u32>>,
    by_profession_city: &HashMap<(u8, u16), Vec<u32>>,
) -> u32 {
    let Some(j) = d.jobs.get(job as u64) else {
        return drawn;
    };
    let Some(needs) = j.needs else {
        return drawn;
    };
    if !rng.chance(0.7) {
        return drawn;
    }
    let city = d.companies.get(j.location as u64).map(|c| c.city);
    let local = city.and_then(|c| by_profession_city.get(&(needs.profession, c)));
    let pool = match local {
        Some(l) if rng.chance(0.5) => Some(l),
        _ => by_profession.get(&needs.profession),
    };
    pool.filter(|p| !p.is_empty())
        .map_or(drawn, |p| p[rng.below(p.len() as u64) as usize])
}
