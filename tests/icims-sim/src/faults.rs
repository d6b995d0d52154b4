//! Fault injection: by rate (seeded RNG, one probability per kind) and by script ("the next N
//! requests matching X get fault F"). Scripts win over rates. Which request is hit is decided
//! after routing, so scripts can target an endpoint kind such as `search.people`.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use crate::generator::rng::SplitMix64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FaultKind {
    /// 429 with an iCIMS error body.
    #[serde(rename = "429", alias = "too-many-requests")]
    TooManyRequests,
    /// 500 with an iCIMS error body (errorCode 0).
    #[serde(rename = "500", alias = "internal-error")]
    InternalError,
    /// 503 with an iCIMS error body.
    #[serde(rename = "503", alias = "unavailable")]
    Unavailable,
    /// Hold the request for `timeout_hold_ms`, then close the connection without answering.
    #[serde(rename = "timeout")]
    Timeout,
    /// Close the connection at once with a TCP RST, no response.
    #[serde(rename = "reset")]
    Reset,
    /// The real response's status and headers, then half the body and a closed connection.
    #[serde(rename = "truncated")]
    Truncated,
    /// 200 with a body that is not JSON.
    #[serde(rename = "malformed")]
    Malformed,
}

impl FaultKind {
    pub fn label(self) -> &'static str {
        match self {
            FaultKind::TooManyRequests => "429",
            FaultKind::InternalError => "500",
            FaultKind::Unavailable => "503",
            FaultKind::Timeout => "timeout",
            FaultKind::Reset => "reset",
            FaultKind::Truncated => "truncated",
            FaultKind::Malformed => "malformed",
        }
    }
}

/// Which requests a scripted fault applies to; all given conditions must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultMatch {
    /// Endpoint kind (`token`, `customer`, `search.people`, `get.jobs`, `create.applicantworkflows`,
    /// `patch.people`, `binary`, `lists`, …) or a prefix of one ending before a dot (`search`).
    pub endpoint: Option<String>,
    /// Request path prefix, e.g. `/customers/1234/people/5`.
    pub path_prefix: Option<String>,
}

impl FaultMatch {
    pub fn matches(&self, endpoint: &str, path: &str) -> bool {
        let ep_ok = match &self.endpoint {
            None => true,
            Some(e) => {
                endpoint == e
                    || (endpoint.starts_with(e.as_str())
                        && endpoint.as_bytes().get(e.len()) == Some(&b'.'))
            }
        };
        let path_ok = self
            .path_prefix
            .as_deref()
            .is_none_or(|p| path.starts_with(p));
        ep_ok && path_ok
    }
}

/// "The next `count` requests matching `matcher` get `fault`."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultScript {
    #[serde(default, flatten)]
    pub matcher: FaultMatch,
    pub fault: FaultKind,
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug)]
struct FaultState {
    script: VecDeque<FaultScript>,
    rates: BTreeMap<FaultKind, f64>,
    rng: SplitMix64,
}

#[derive(Debug)]
pub struct Faults {
    state: Mutex<FaultState>,
}

impl Faults {
    pub fn new(seed: u64, rates: BTreeMap<FaultKind, f64>, script: Vec<FaultScript>) -> Self {
        Faults {
            state: Mutex::new(FaultState {
                script: script.into(),
                rates,
                rng: SplitMix64::new(seed),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FaultState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Decides whether this request is faulted (consumes one scripted use or one RNG draw).
    pub fn draw(&self, endpoint: &str, path: &str) -> Option<FaultKind> {
        let mut st = self.lock();
        if let Some(pos) = st
            .script
            .iter()
            .position(|s| s.count > 0 && s.matcher.matches(endpoint, path))
        {
            let fault = st.script[pos].fault;
            st.script[pos].count -= 1;
            if st.script[pos].count == 0 {
                st.script.remove(pos);
            }
            return Some(fault);
        }
        if st.rates.is_empty() {
            return None;
        }
        let roll = st.rng.unit();
        let mut acc = 0.0;
        for (kind, p) in &st.rates {
            acc += p.max(0.0);
            if roll < acc {
                return Some(*kind);
            }
        }
        None
    }

    pub fn push(&self, script: FaultScript) {
        self.lock().script.push_back(script);
    }

    pub fn set_rates(&self, rates: BTreeMap<FaultKind, f64>) {
        self.lock().rates = rates;
    }

    pub fn clear(&self) {
        let mut st = self.lock();
        st.script.clear();
        st.rates.clear();
    }

    pub fn pending(&self) -> Vec<FaultScript> {
        self.lock().script.iter().cloned().collect()
    }

    pub fn rates(&self) -> BTreeMap<FaultKind, f64> {
        self.lock().rates.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_applies_to_next_matching_requests_only() {
        let f = Faults::new(1, BTreeMap::new(), vec![]);
        f.push(FaultScript {
            matcher: FaultMatch {
                endpoint: Some("search".into()),
                path_prefix: None,
            },
            fault: FaultKind::Reset,
            count: 2,
        });
        assert_eq!(f.draw("get.people", "/customers/1/people/1"), None);
        assert_eq!(f.draw("search.people", "/x"), Some(FaultKind::Reset));
        assert_eq!(f.draw("searchy", "/x"), None);
        assert_eq!(f.draw("search.jobs", "/x"), Some(FaultKind::Reset));
        assert_eq!(f.draw("search.jobs", "/x"), None);
    }

    #[test]
    fn rates_are_seeded() {
        let rates: BTreeMap<_, _> = [(FaultKind::InternalError, 0.3)].into();
        let a = Faults::new(9, rates.clone(), vec![]);
        let b = Faults::new(9, rates, vec![]);
        let sa: Vec<_> = (0..200).map(|_| a.draw("get.people", "/")).collect();
        let sb: Vec<_> = (0..200).map(|_| b.draw("get.people", "/")).collect();
        assert_eq!(sa, sb);
        let hits = sa.iter().filter(|x| x.is_some()).count();
        assert!((30..90).contains(&hits), "{hits}");
    }

    #[test]
    fn script_parses_from_json() {
        let s: FaultScript =
            serde_json::from_str(r#"{"endpoint":"token","fault":"503","count":3}"#).unwrap();
        assert_eq!(s.fault, FaultKind::Unavailable);
        assert_eq!(s.count, 3);
    }
}
