//! Shared simulator state and the in-process side door (`SimState`). The admin HTTP API
//! (`admin.rs`) calls exactly these methods, and the iCIMS surface uses the same create/patch
//! code, so a recruiter-style mutation and an API write behave identically.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use crate::auth::Auth;
use crate::clock::SimClock;
use crate::config::{CustomerConfig, Permission, SimConfig};
use crate::counters::{Counters, CountersSnapshot};
use crate::errors::{ApiError, ApiResult};
use crate::faults::{FaultKind, FaultScript, Faults};
use crate::fields::{Selection, Warning};
use crate::profiles::{self, View};
use crate::quota::{QuotaMeter, QuotaSnapshot};
use crate::record_type::RecordType;
use crate::search::cache::SearchCache;
use crate::store::{CustomerData, to_minutes};

/// One tenant: its data, quota meter, permissions and request count.
#[derive(Debug)]
pub struct Customer {
    pub cfg: CustomerConfig,
    data: RwLock<CustomerData>,
    pub quota: Mutex<QuotaMeter>,
    pub requests: AtomicU64,
    pub denied: HashSet<Permission>,
    /// Fields hidden from the integration user: the config's, changeable while running (an
    /// admin granting a field).
    hidden: RwLock<Vec<crate::config::HiddenFields>>,
}

impl Customer {
    pub fn read(&self) -> RwLockReadGuard<'_, CustomerData> {
        self.data.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, CustomerData> {
        self.data.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn hidden_fields(&self) -> Vec<crate::config::HiddenFields> {
        self.hidden
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn allows(&self, p: Permission) -> ApiResult<()> {
        if self.denied.contains(&p) {
            Err(ApiError::access_denied())
        } else {
            Ok(())
        }
    }
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub cfg: SimConfig,
    pub clock: SimClock,
    pub customers: HashMap<u64, Arc<Customer>>,
    pub auth: Auth,
    pub faults: Faults,
    pub cache: SearchCache,
    pub counters: Counters,
    pub request_log: crate::request_log::RequestLog,
    /// Base of every URL the API writes (`Location`, `self`, `profile`).
    pub api_base: String,
    /// Event notifications sent.
    pub events: Arc<crate::events::EventLog>,
}

/// Cheap-to-clone handle on the running simulator's state.
#[derive(Clone, Debug)]
pub struct SimState {
    pub(crate) inner: Arc<Inner>,
}

/// The seeded credentials, as a script or test would need them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Credentials {
    pub client_id: String,
    pub client_secret: String,
    pub audience: String,
    pub username: String,
    pub password: String,
    pub customer_ids: Vec<u64>,
}

impl Inner {
    pub fn customer(&self, cid: u64) -> ApiResult<&Arc<Customer>> {
        self.customers
            .get(&cid)
            .ok_or_else(|| ApiError::not_found("Customer"))
    }

    pub fn now_minutes(&self) -> u32 {
        to_minutes(self.clock.now_secs())
    }

    pub fn view<'a>(&'a self, cust: &'a Customer, d: &'a CustomerData) -> View<'a> {
        View {
            base: &self.api_base,
            cid: cust.cfg.id,
            cfg: &cust.cfg,
            custom: &self.cfg.profiles.custom_fields,
            d,
        }
    }

    /// Creates a record the way iCIMS does on POST (validation, required fields).
    pub fn create(
        &self,
        cust: &Customer,
        ty: RecordType,
        body: &Map<String, Value>,
        warnings: &mut Vec<Warning>,
    ) -> ApiResult<u32> {
        let now = self.now_minutes();
        let mut d = cust.write();
        let custom = &self.cfg.profiles.custom_fields;
        let id = match ty {
            RecordType::People => {
                let mut p = profiles::blank_person();
                profiles::apply_person(&mut p, &mut d, &cust.cfg, custom, body, warnings)?;
                for (slot, name) in [(p.first, "firstname"), (p.last, "lastname")] {
                    if slot.is_empty() {
                        return Err(ApiError::field_required(name));
                    }
                }
                p.created = now;
                p.updated = now;
                d.people.insert(p)
            }
            RecordType::Jobs => {
                let mut j = profiles::blank_job();
                profiles::apply_job(&mut j, &d, &cust.cfg, body, warnings)?;
                if j.title.is_empty() {
                    return Err(ApiError::field_required("jobtitle"));
                }
                j.created = now;
                j.updated = now;
                d.jobs.insert(j)
            }
            RecordType::Companies => {
                let mut c = profiles::blank_company();
                profiles::apply_company(&mut c, &cust.cfg, body, warnings)?;
                if c.name.is_empty() {
                    return Err(ApiError::field_required("name"));
                }
                c.created = now;
                c.updated = now;
                d.companies.insert(c)
            }
            RecordType::Workflows => {
                let w = crate::workflows::build_workflow(
                    &mut d,
                    &cust.cfg,
                    body,
                    self.cfg.profiles.duplicate_workflow_status,
                    now,
                    warnings,
                )?;
                let pair = (w.person, w.job);
                let id = d.workflows.insert(w);
                d.pairs.insert(pair);
                id
            }
        };
        Ok(id)
    }

    /// Partial update; bumps `updateddate` to the sim clock.
    pub fn patch(
        &self,
        cust: &Customer,
        ty: RecordType,
        id: u64,
        body: &Map<String, Value>,
        warnings: &mut Vec<Warning>,
    ) -> ApiResult<()> {
        let now = self.now_minutes();
        let mut d = cust.write();
        let custom = &self.cfg.profiles.custom_fields;
        let missing = || ApiError::not_found(ty.noun());
        match ty {
            RecordType::People => {
                let mut p = d.people.get(id).cloned().ok_or_else(missing)?;
                profiles::apply_person(&mut p, &mut d, &cust.cfg, custom, body, warnings)?;
                p.updated = now;
                *d.people.get_mut(id).ok_or_else(missing)? = p;
            }
            RecordType::Jobs => {
                let mut j = d.jobs.get(id).cloned().ok_or_else(missing)?;
                profiles::apply_job(&mut j, &d, &cust.cfg, body, warnings)?;
                j.updated = now;
                *d.jobs.get_mut(id).ok_or_else(missing)? = j;
            }
            RecordType::Companies => {
                let mut c = d.companies.get(id).cloned().ok_or_else(missing)?;
                profiles::apply_company(&mut c, &cust.cfg, body, warnings)?;
                c.updated = now;
                *d.companies.get_mut(id).ok_or_else(missing)? = c;
            }
            RecordType::Workflows => {
                let mut w = d.workflows.get(id).cloned().ok_or_else(missing)?;
                let old_status = w.status;
                crate::workflows::apply_workflow(&mut w, &mut d, &cust.cfg, body, warnings)?;
                w.updated = now;
                let (person, job, new_status) = (w.person, w.job, w.status);
                *d.workflows.get_mut(id).ok_or_else(missing)? = w;
                if new_status != old_status {
                    let name = |i: u16| {
                        cust.cfg
                            .statuses
                            .get(usize::from(i))
                            .map_or(String::new(), |n| n.id.clone())
                    };
                    let event = crate::events::status_change_body(
                        &self.api_base,
                        cust.cfg.id,
                        id,
                        person,
                        job,
                        &name(old_status),
                        &name(new_status),
                    );
                    crate::events::send(self.events.clone(), &event, self.clock.now_secs());
                }
            }
        }
        Ok(())
    }

    pub fn delete(&self, cust: &Customer, ty: RecordType, id: u64) -> bool {
        let mut d = cust.write();
        match ty {
            RecordType::People => {
                if let Ok(k) = u32::try_from(id) {
                    d.files.remove(&k);
                }
                d.people.remove(id).is_some()
            }
            RecordType::Jobs => d.jobs.remove(id).is_some(),
            RecordType::Companies => d.companies.remove(id).is_some(),
            RecordType::Workflows => match d.workflows.remove(id) {
                Some(w) => {
                    d.pairs.remove(&(w.person, w.job));
                    true
                }
                None => false,
            },
        }
    }
}

impl SimState {
    pub(crate) fn new(cfg: SimConfig, api_base: String) -> anyhow::Result<SimState> {
        if cfg.customers.is_empty() {
            anyhow::bail!("config: at least one customer is required");
        }
        let clock = SimClock::new(cfg.clock.start_unix, !cfg.clock.frozen);
        let start = clock.now_secs();
        let mut customers = HashMap::new();
        for c in &cfg.customers {
            if customers.contains_key(&c.id) {
                anyhow::bail!("config: customer id {} appears twice", c.id);
            }
            let data = crate::generator::generate(c, start);
            customers.insert(
                c.id,
                Arc::new(Customer {
                    cfg: c.clone(),
                    data: RwLock::new(data),
                    quota: Mutex::new(QuotaMeter::default()),
                    requests: AtomicU64::new(0),
                    denied: c.denied_permissions.iter().copied().collect(),
                    hidden: RwLock::new(c.hidden_fields.clone()),
                }),
            );
        }
        let api_base = cfg
            .public_api_base
            .clone()
            .unwrap_or(api_base)
            .trim_end_matches('/')
            .to_string();
        Ok(SimState {
            inner: Arc::new(Inner {
                auth: Auth::new(cfg.auth.clone()),
                faults: Faults::new(
                    cfg.faults.seed,
                    cfg.faults.rates.clone(),
                    cfg.faults.script.clone(),
                ),
                cache: SearchCache::new(cfg.search.cache_capacity),
                counters: Counters::default(),
                request_log: crate::request_log::RequestLog::new(cfg.request_log),
                clock,
                customers,
                api_base,
                events: Arc::new(crate::events::EventLog::new(cfg.events.clone())),
                cfg,
            }),
        })
    }

    fn cust(&self, cid: u64) -> ApiResult<&Arc<Customer>> {
        self.inner.customer(cid)
    }

    pub fn config(&self) -> &SimConfig {
        &self.inner.cfg
    }

    pub fn credentials(&self) -> Credentials {
        let a = &self.inner.cfg.auth;
        let mut ids: Vec<u64> = self.inner.customers.keys().copied().collect();
        ids.sort_unstable();
        Credentials {
            client_id: a.client_id.clone(),
            client_secret: a.client_secret.clone(),
            audience: a.audience.clone(),
            username: a.username.clone(),
            password: a.password.clone(),
            customer_ids: ids,
        }
    }

    // ---- counters -------------------------------------------------------------------

    pub fn counters(&self) -> CountersSnapshot {
        let mut s = self.inner.counters.snapshot();
        for (id, c) in &self.inner.customers {
            s.by_customer
                .insert(id.to_string(), c.requests.load(Ordering::Relaxed));
        }
        s
    }

    /// Customer `cid`'s API requests, in the order they ended (empty unless
    /// `SimConfig::request_log` is on).
    pub fn request_log(&self, cid: u64) -> Vec<crate::request_log::LoggedRequest> {
        self.inner.request_log.of(cid)
    }

    pub fn reset_counters(&self) {
        self.inner.counters.reset();
        for c in self.inner.customers.values() {
            c.requests.store(0, Ordering::Relaxed);
        }
    }

    // ---- clock ----------------------------------------------------------------------

    /// Sim time, unix seconds.
    pub fn now(&self) -> i64 {
        self.inner.clock.now_secs()
    }

    /// Sim time as iCIMS writes it (`2024-01-31 10:00 PM`).
    pub fn now_icims(&self) -> String {
        crate::dates::format_datetime(self.now())
    }

    pub fn advance_clock(&self, by: Duration) {
        self.inner.clock.advance(by);
    }

    // ---- quota ----------------------------------------------------------------------

    pub fn quota(&self, cid: u64) -> ApiResult<QuotaSnapshot> {
        let c = self.cust(cid)?;
        let now = self.now();
        Ok(c.quota
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .peek(&self.inner.cfg.quota, now))
    }

    /// Sets how much of the current window is spent (e.g. to test exhaustion quickly).
    pub fn set_quota_used(&self, cid: u64, used: u64) -> ApiResult<()> {
        let c = self.cust(cid)?;
        let now = self.now();
        c.quota.lock().unwrap_or_else(|e| e.into_inner()).set_used(
            &self.inner.cfg.quota,
            now,
            used,
        );
        Ok(())
    }

    // ---- faults ---------------------------------------------------------------------

    pub fn push_fault(&self, script: FaultScript) {
        self.inner.faults.push(script);
    }

    pub fn set_fault_rates(&self, rates: BTreeMap<FaultKind, f64>) {
        self.inner.faults.set_rates(rates);
    }

    pub fn clear_faults(&self) {
        self.inner.faults.clear();
    }

    pub fn pending_faults(&self) -> Vec<FaultScript> {
        self.inner.faults.pending()
    }

    pub fn fault_rates(&self) -> BTreeMap<FaultKind, f64> {
        self.inner.faults.rates()
    }

    // ---- recruiter-style mutations (bump updateddate) -------------------------------

    pub fn create_record(
        &self,
        cid: u64,
        ty: RecordType,
        fields: &Map<String, Value>,
    ) -> ApiResult<u32> {
        let c = self.cust(cid)?;
        self.inner.create(c, ty, fields, &mut Vec::new())
    }

    pub fn update_record(
        &self,
        cid: u64,
        ty: RecordType,
        id: u64,
        fields: &Map<String, Value>,
    ) -> ApiResult<()> {
        let c = self.cust(cid)?;
        self.inner.patch(c, ty, id, fields, &mut Vec::new())
    }

    /// Removes a record (iCIMS offers no API delete; this is what a recruiter or purge does).
    pub fn delete_record(&self, cid: u64, ty: RecordType, id: u64) -> ApiResult<()> {
        let c = self.cust(cid)?;
        if self.inner.delete(c, ty, id) {
            Ok(())
        } else {
            Err(ApiError::not_found(ty.noun()))
        }
    }

    pub fn create_person(&self, cid: u64, fields: &Map<String, Value>) -> ApiResult<u32> {
        self.create_record(cid, RecordType::People, fields)
    }

    pub fn update_person(&self, cid: u64, id: u64, fields: &Map<String, Value>) -> ApiResult<()> {
        self.update_record(cid, RecordType::People, id, fields)
    }

    pub fn delete_person(&self, cid: u64, id: u64) -> ApiResult<()> {
        self.delete_record(cid, RecordType::People, id)
    }

    pub fn create_job(&self, cid: u64, fields: &Map<String, Value>) -> ApiResult<u32> {
        self.create_record(cid, RecordType::Jobs, fields)
    }

    pub fn update_job(&self, cid: u64, id: u64, fields: &Map<String, Value>) -> ApiResult<()> {
        self.update_record(cid, RecordType::Jobs, id, fields)
    }

    pub fn delete_job(&self, cid: u64, id: u64) -> ApiResult<()> {
        self.delete_record(cid, RecordType::Jobs, id)
    }

    /// Links a person to a job; `status_id` defaults to the first configured status.
    pub fn create_workflow(
        &self,
        cid: u64,
        job: u64,
        person: u64,
        status_id: Option<&str>,
    ) -> ApiResult<u32> {
        let mut body = Map::new();
        body.insert("baseprofile".into(), job.into());
        body.insert("associatedprofile".into(), person.into());
        if let Some(s) = status_id {
            body.insert("status".into(), serde_json::json!({ "id": s }));
        }
        self.create_record(cid, RecordType::Workflows, &body)
    }

    /// Where events go from now on (the receiver's port is often known only after start).
    pub fn set_events(&self, config: crate::events::EventConfig) {
        self.inner.events.configure(config);
    }

    /// Every event delivery so far, in the order they were answered.
    pub fn events_sent(&self) -> Vec<crate::events::SentEvent> {
        self.inner.events.all()
    }

    pub fn set_workflow_status(&self, cid: u64, id: u64, status_id: &str) -> ApiResult<()> {
        let mut body = Map::new();
        body.insert("status".into(), serde_json::json!({ "id": status_id }));
        self.update_record(cid, RecordType::Workflows, id, &body)
    }

    /// Replaces the fields hidden from customer `cid`'s integration user (see
    /// `CustomerConfig::hidden_fields`).
    pub fn set_hidden_fields(
        &self,
        cid: u64,
        rules: Vec<crate::config::HiddenFields>,
    ) -> ApiResult<()> {
        *self
            .cust(cid)?
            .hidden
            .write()
            .unwrap_or_else(|e| e.into_inner()) = rules;
        Ok(())
    }

    pub fn delete_workflow(&self, cid: u64, id: u64) -> ApiResult<()> {
        self.delete_record(cid, RecordType::Workflows, id)
    }

    // ---- read-only snapshots --------------------------------------------------------

    /// Every field of one record plus `id` (the shape of a full GET).
    pub fn snapshot(&self, cid: u64, ty: RecordType, id: u64) -> ApiResult<Value> {
        let c = self.cust(cid)?;
        let d = c.read();
        profiles::snapshot(&self.inner.view(c, &d), ty, id)
            .ok_or_else(|| ApiError::not_found(ty.noun()))
    }

    /// Live ids of a type, ascending.
    pub fn ids(&self, cid: u64, ty: RecordType) -> ApiResult<Vec<u32>> {
        let c = self.cust(cid)?;
        let d = c.read();
        Ok(match ty {
            RecordType::People => d.people.iter_from(0).map(|(id, _)| id).collect(),
            RecordType::Jobs => d.jobs.iter_from(0).map(|(id, _)| id).collect(),
            RecordType::Companies => d.companies.iter_from(0).map(|(id, _)| id).collect(),
            RecordType::Workflows => d.workflows.iter_from(0).map(|(id, _)| id).collect(),
        })
    }

    /// Snapshots of up to `limit` records with id > `after`, ascending.
    pub fn snapshots(
        &self,
        cid: u64,
        ty: RecordType,
        after: u64,
        limit: usize,
    ) -> ApiResult<Vec<Value>> {
        let ids = self.ids(cid, ty)?;
        let c = self.cust(cid)?;
        let d = c.read();
        let v = self.inner.view(c, &d);
        Ok(ids
            .into_iter()
            .filter(|id| *id as u64 > after)
            .take(limit)
            .filter_map(|id| profiles::snapshot(&v, ty, id as u64))
            .collect())
    }

    /// A GET rendering with an explicit field list (what the API would return).
    pub fn render(
        &self,
        cid: u64,
        ty: RecordType,
        id: u64,
        fields: Option<&str>,
    ) -> ApiResult<Value> {
        let c = self.cust(cid)?;
        let d = c.read();
        let sel = Selection::from_query(fields);
        profiles::render(
            &self.inner.view(c, &d),
            ty,
            id,
            &sel,
            self.inner.cfg.profiles.default_fields.for_type(ty),
        )
        .map(|(m, _)| Value::Object(m))
        .ok_or_else(|| ApiError::not_found(ty.noun()))
    }

    /// Generator ground truth: groups of person ids that are the same human (first = original).
    pub fn duplicate_groups(&self, cid: u64) -> ApiResult<Vec<Vec<u32>>> {
        Ok(self.cust(cid)?.read().duplicate_groups.clone())
    }

    /// Generator ground truth of fit for one job (see `generator::ground_truth`).
    pub fn job_grades(
        &self,
        cid: u64,
        job_id: u32,
    ) -> ApiResult<Vec<crate::generator::ground_truth::Graded>> {
        crate::generator::ground_truth::job_grades(&self.cust(cid)?.read(), job_id)
            .ok_or_else(|| ApiError::not_found(RecordType::Jobs.noun()))
    }

    /// Number of live records per type.
    pub fn record_counts(&self, cid: u64) -> ApiResult<BTreeMap<String, usize>> {
        let c = self.cust(cid)?;
        let d = c.read();
        Ok([
            ("people", d.people.len()),
            ("jobs", d.jobs.len()),
            ("companies", d.companies.len()),
            ("applicantworkflows", d.workflows.len()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect())
    }

    /// Drops every cached search result (the next searches are live).
    pub fn clear_search_cache(&self) {
        self.inner.cache.clear();
    }
}
