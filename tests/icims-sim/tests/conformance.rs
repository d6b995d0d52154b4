//! Walks icims-api.md section by section and asserts, over real HTTP, each [DOC] / [3P-CODE]
//! fact the simulator implements. Every test starts its own simulator on ephemeral ports.

mod support;

use http::Method;
use icims_sim::{FaultKind, FaultMatch, FaultScript, Permission, RecordType, SimConfig};
use serde_json::{Value, json};
use std::time::Duration;
use support::*;

fn people_cfg(n: u32) -> SimConfig {
    let mut cfg = config();
    cfg.customers[0].generator.people = n;
    cfg
}

// ---- §1 tenancy, hosts, headers ---------------------------------------------------------

#[tokio::test]
async fn s1_customer_probe_shape_and_headers() {
    let s = Sim::start(config()).await;
    let r = s.get("/customers/1234").await;
    assert_eq!(r.status, 200);
    let v = r.json();
    for k in ["platformUrl", "id", "customerType", "name", "buildVersion"] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v["customerType"], "test");
    assert_eq!(v["id"], 1234);
    assert_eq!(r.header("x-customer-type"), Some("test"));
    let link = r.header("link").unwrap();
    for coll in ["jobs", "people", "companies", "applicantworkflows"] {
        assert!(
            link.contains(&format!("/customers/1234/{coll}>;rel=\"profiles\"")),
            "{link}"
        );
    }
    assert!(link.contains("rel=\"forms\""));
    assert_eq!(
        r.header("strict-transport-security"),
        Some("max-age=7776000")
    );
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let txn = r.header("x-transaction").unwrap().to_string();
    assert_eq!(txn.len(), 36);
    let again = s.get("/customers/1234").await;
    assert_ne!(again.header("x-transaction").unwrap(), txn);
    // POST/PATCH/DELETE are not supported on the probe.
    let r = s.call(Method::DELETE, "/customers/1234", "").await;
    assert_eq!(r.status, 405);
    assert_eq!(r.error().1, "Not Supported");
}

#[tokio::test]
async fn s1_unknown_customer_is_404_code_2() {
    let s = Sim::start(config()).await;
    let r = s.get("/customers/999/people/1").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error().0, 2);
    assert!(r.header("x-error").unwrap().starts_with("2:"));
}

#[tokio::test]
async fn s1_customers_have_separate_data_and_quota() {
    let mut cfg = config();
    let mut second = cfg.customers[0].clone();
    second.id = 4560;
    second.generator.people = 7;
    cfg.customers.push(second);
    cfg.quota.limit = 5;
    let s = Sim::start(cfg).await;
    let ids = s
        .search_ids(
            "people",
            &json!({"filters":[{"name":"person.id","value":["0"],"operator":">"}]}),
        )
        .await;
    assert_eq!(ids.len(), 200);
    let r = s
        .post(
            "/customers/4560/search/people",
            &json!({"filters":[{"name":"person.id","value":["0"],"operator":">"}]}),
        )
        .await;
    assert_eq!(ids_of(&r.json()).len(), 7);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("4"));
    let c = s.state().counters();
    assert_eq!(c.by_customer["1234"], 1);
    assert_eq!(c.by_customer["4560"], 1);
}

// ---- §2 authentication ------------------------------------------------------------------

#[tokio::test]
async fn s2_token_endpoint_shape_and_bearer_use() {
    let s = Sim::start(config()).await;
    let r = s.token_form(&s.good_token_form()).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 86400);
    let token = v["access_token"].as_str().unwrap();
    let bearer = format!("Bearer {token}");
    let r = s
        .send(
            Method::GET,
            &s.api("/customers/1234"),
            &[("authorization", &bearer)],
            "",
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(s.state().counters().token, 1);
    assert_eq!(s.state().counters().endpoint("customer"), 1);
}

#[tokio::test]
async fn s2_bad_credentials_answer_401_code_6() {
    let s = Sim::start(config()).await;
    let form = s.good_token_form().replace("sim-client-secret", "wrong");
    let r = s.token_form(&form).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json(),
        json!({"errors":[{"errorMessage":"Invalid Username or Password credentials provided.","errorCode":6}]})
    );
    assert!(r.header("www-authenticate").is_some());
    // Wrong grant type and wrong audience are refused too.
    let r = s
        .token_form(
            &s.good_token_form()
                .replace("client_credentials", "password"),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = s
        .token_form(&s.good_token_form().replace("api.icims.com", "evil.example"))
        .await;
    assert_ne!(r.status, 200);
    // API calls: no header, unknown token, wrong Basic password.
    for auth in [
        "",
        "Bearer nope",
        "Basic c2ltLWludGVncmF0aW9uLXVzZXI6d3Jvbmc=",
    ] {
        let hdrs: Vec<(&str, &str)> = if auth.is_empty() {
            vec![]
        } else {
            vec![("authorization", auth)]
        };
        let r = s
            .send(Method::GET, &s.api("/customers/1234"), &hdrs, "")
            .await;
        assert_eq!(r.status, 401, "{auth}");
        assert_eq!(
            r.error(),
            (
                6,
                "Invalid Username or Password credentials provided.".into()
            )
        );
        assert!(r.header("www-authenticate").is_some());
    }
}

#[tokio::test]
async fn s2_tokens_expire_on_the_sim_clock() {
    let s = Sim::start(config()).await;
    let bearer = format!("Bearer {}", s.token().await);
    let url = s.api("/customers/1234");
    s.state().advance_clock(Duration::from_secs(86_399));
    assert_eq!(
        s.send(Method::GET, &url, &[("authorization", &bearer)], "")
            .await
            .status,
        200
    );
    s.state().advance_clock(Duration::from_secs(1));
    let r = s
        .send(Method::GET, &url, &[("authorization", &bearer)], "")
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.error().0, 6);
}

#[tokio::test]
async fn s2_basic_auth_can_be_disabled() {
    let mut cfg = config();
    cfg.auth.basic_auth_enabled = false;
    let s = Sim::start(cfg).await;
    assert_eq!(s.get("/customers/1234").await.status, 401);
}

#[tokio::test]
async fn s2_token_endpoint_throttles_per_client() {
    let mut cfg = config();
    cfg.auth.token_throttle_limit = 3;
    let s = Sim::start(cfg).await;
    for _ in 0..3 {
        s.token().await;
    }
    let r = s.token_form(&s.good_token_form()).await;
    assert_eq!(r.status, 429);
    assert!(r.json()["errors"].is_array());
    s.state().advance_clock(Duration::from_secs(600));
    assert_eq!(s.token_form(&s.good_token_form()).await.status, 200);
}

// ---- §3 profiles ------------------------------------------------------------------------

#[tokio::test]
async fn s3_fields_filtering_id_and_self_link() {
    let s = Sim::start(config()).await;
    let full = s.state().snapshot(1234, RecordType::People, 5).unwrap();
    let r = s
        .get("/customers/1234/people/5?fields=firstname,lastname,email")
        .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["email", "firstname", "lastname", "links"]);
    assert_eq!(v["email"], full["email"]);
    assert_eq!(
        v["links"],
        json!([{"rel":"self","title":"The current profile being viewed.","url": s.api("/customers/1234/people/5")}])
    );
    // `id` only when requested.
    let v = s
        .get("/customers/1234/people/5?fields=id,lastname")
        .await
        .json();
    assert_eq!(v["id"], 5);
    // Without fields: everything the record has (default setting), still no id.
    let v = s.get("/customers/1234/people/5").await.json();
    assert!(v.get("id").is_none());
    for k in [
        "firstname",
        "lastname",
        "email",
        "phones",
        "addresses",
        "folder",
        "createddate",
        "updateddate",
    ] {
        assert!(v.get(k).is_some(), "default GET lacks {k}");
    }
    assert!(v["updateddate"].as_str().unwrap().ends_with("M"));
}

#[tokio::test]
async fn s3_empty_fields_are_omitted_and_unknown_names_warn() {
    let s = Sim::start(config()).await;
    let st = s.state();
    let mut m = serde_json::Map::new();
    m.insert("middlename".into(), Value::Null);
    st.update_person(1234, 9, &m).unwrap();
    let r = s
        .get("/customers/1234/people/9?fields=middlename,lastname,shoesize")
        .await;
    let v = r.json();
    assert!(
        v.get("middlename").is_none(),
        "empty field must be absent, not null"
    );
    assert!(v.get("shoesize").is_none());
    assert_eq!(v["warnings"][0]["errorCode"], 4);
    assert!(r.header("x-warning").unwrap().starts_with("4:shoesize:"));
}

#[tokio::test]
async fn s3_create_is_201_with_location_and_empty_body() {
    let s = Sim::start(config()).await;
    let r = s
        .post(
            "/customers/1234/people",
            &json!({"firstname":"Ada","lastname":"Lovelace","email":"ada@example.com",
                "folder":{"value":"Candidate: Active"}}),
        )
        .await;
    assert_eq!(r.status, 201);
    assert!(r.body.is_empty());
    let loc = r.header("location").unwrap().to_string();
    assert!(loc.starts_with(&s.api("/customers/1234/people/")));
    let id: u64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(id, 201, "next id after 200 generated people");
    let v = s
        .get(&format!(
            "/customers/1234/people/{id}?fields=firstname,email,folder,createddate"
        ))
        .await
        .json();
    assert_eq!(v["firstname"], "Ada");
    assert_eq!(v["folder"]["id"], "C16801");
    assert_eq!(v["createddate"], "2024-03-15 09:25 PM");
    // Required fields.
    let r = s
        .post("/customers/1234/people", &json!({"firstname":"Ada"}))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error().0, 1);
    let r = s
        .post("/customers/1234/jobs", &json!({"jobid":"2024-1"}))
        .await;
    assert_eq!((r.status, r.error().0), (400, 1));
    let r = s
        .post(
            "/customers/1234/jobs",
            &json!({"jobtitle":"Welder","folder":{"id":"D31001"}}),
        )
        .await;
    assert_eq!(r.status, 201);
}

#[tokio::test]
async fn s3_patch_is_204_null_and_empty_delete_and_bumps_updateddate() {
    let s = Sim::start(config()).await;
    s.state().advance_clock(Duration::from_secs(3600));
    let r = s
        .patch(
            "/customers/1234/people/3",
            &json!({"middlename":"James","field50527":"https://www.linkedin.com/in/x"}),
        )
        .await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    let v = s
        .get("/customers/1234/people/3?fields=middlename,field50527,updateddate")
        .await
        .json();
    assert_eq!(v["middlename"], "James");
    assert_eq!(v["updateddate"], "2024-03-15 10:25 PM");
    let r = s
        .patch(
            "/customers/1234/people/3",
            &json!({"middlename":null,"field50527":""}),
        )
        .await;
    assert_eq!(r.status, 204);
    let v = s
        .get("/customers/1234/people/3?fields=middlename,field50527,lastname")
        .await
        .json();
    assert!(v.get("middlename").is_none() && v.get("field50527").is_none());
    assert!(v.get("lastname").is_some());
    // Unknown id, non-JSON body.
    let r = s
        .patch("/customers/1234/people/999999", &json!({"middlename":"x"}))
        .await;
    assert_eq!((r.status, r.error().0), (404, 2));
    let r = s
        .call(Method::PATCH, "/customers/1234/people/3", "{not json")
        .await;
    assert_eq!(r.status, 400);
    assert!(r.header("x-error").is_some());
}

#[tokio::test]
async fn s3_job_and_company_shapes() {
    let s = Sim::start(config()).await;
    let v = s
        .get("/customers/1234/jobs/1001?fields=jobid,jobtitle,folder,joblocation,hiringmanager,id")
        .await
        .json();
    assert_eq!(v["id"], 1001);
    assert!(v["jobid"].as_str().unwrap().contains('-'));
    assert!(v["folder"]["id"].as_str().unwrap().starts_with('D'));
    assert!(v["folder"]["formattedvalue"].is_string());
    let loc = &v["joblocation"];
    assert!(loc["companyid"].is_number());
    assert!(
        loc["address"]
            .as_str()
            .unwrap()
            .contains("/fields/addresses/")
    );
    let hm = &v["hiringmanager"];
    assert!(hm["id"].is_number());
    assert!(
        hm["profile"]
            .as_str()
            .unwrap()
            .contains("/customers/1234/people/")
    );
    let c = s
        .get(&format!("/customers/1234/companies/{}", loc["companyid"]))
        .await
        .json();
    assert_eq!(c["folder"]["id"], "D33001");
    assert!(c["addresses"][0]["addresscity"].is_string());
}

// ---- §4 workflows -----------------------------------------------------------------------

#[tokio::test]
async fn s4_workflow_get_shape() {
    let s = Sim::start(config()).await;
    let v = s
        .get("/customers/1234/applicantworkflows/10001")
        .await
        .json();
    let snap = s
        .state()
        .snapshot(1234, RecordType::Workflows, 10001)
        .unwrap();
    let job = snap["baseprofile"]["id"].as_u64().unwrap();
    let person = snap["associatedprofile"]["id"].as_u64().unwrap();
    assert_eq!(
        v["baseprofile"]["profile"],
        s.api(&format!("/customers/1234/jobs/{job}"))
    );
    assert_eq!(
        v["associatedprofile"]["profile"],
        s.api(&format!("/customers/1234/people/{person}"))
    );
    assert!(v["status"]["id"].is_string() && v["status"]["formattedvalue"].is_string());
    let links = v["links"].as_array().unwrap();
    assert_eq!(links.len(), 3);
    assert!(links.iter().all(|l| l["rel"] == "self"));
    let titles: Vec<&str> = links.iter().map(|l| l["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "The current profile being viewed.",
            "The base profile of this workflow.",
            "The associated profile of this workflow."
        ]
    );
    let v = s
        .get("/customers/1234/applicantworkflows/10001?fields=createddate,updateddate")
        .await
        .json();
    assert!(v["createddate"].is_string() && v["updateddate"].is_string());
}

#[tokio::test]
async fn s4_workflow_create_rules() {
    let s = Sim::start(config()).await;
    let fresh = s
        .state()
        .create_person(
            1234,
            json!({"firstname":"A","lastname":"B"}).as_object().unwrap(),
        )
        .unwrap();
    let r = s
        .post(
            "/customers/1234/applicantworkflows",
            &json!({"baseprofile":1002,"associatedprofile":fresh,"status":{"id":"D10100"},
                    "source":"Other (Please Specify)","sourcename":"org.example.lottery"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(r.body.is_empty());
    let loc = r.header("location").unwrap();
    assert!(loc.starts_with(&s.api("/customers/1234/applicantworkflows/")));
    let v = s.get(&loc.replace(&s.sim.api_base_url(), "")).await.json();
    assert_eq!(v["sourcename"], "org.example.lottery");
    assert_eq!(v["source"], "Other (Please Specify)");
    assert_eq!(v["status"]["id"], "D10100");
    assert_eq!(v["baseprofile"]["id"], 1002);
    assert_eq!(v["associatedprofile"]["id"], fresh);
    let p = s
        .state()
        .create_person(
            1234,
            json!({"firstname":"C","lastname":"D"}).as_object().unwrap(),
        )
        .unwrap();
    let body = json!({"baseprofile":1003,"associatedprofile":p});
    assert_eq!(
        s.post("/customers/1234/applicantworkflows", &body)
            .await
            .status,
        201
    );
    let dup = s.post("/customers/1234/applicantworkflows", &body).await;
    assert_eq!(dup.status, 400, "one workflow per person-job pair");
    let r = s
        .post(
            "/customers/1234/applicantworkflows",
            &json!({"baseprofile":1003,"associatedprofile":999_999}),
        )
        .await;
    assert_eq!((r.status, r.error().0), (404, 2));
    let r = s
        .post(
            "/customers/1234/applicantworkflows",
            &json!({"baseprofile":99,"associatedprofile":p}),
        )
        .await;
    assert_eq!((r.status, r.error().0), (404, 2));
    let r = s
        .post(
            "/customers/1234/applicantworkflows",
            &json!({"associatedprofile":p}),
        )
        .await;
    assert_eq!((r.status, r.error().0), (400, 1));
    let r = s
        .post(
            "/customers/1234/applicantworkflows",
            &json!({"baseprofile":1004,"associatedprofile":p,"status":{"id":"C0"}}),
        )
        .await;
    assert_eq!(r.status, 400);
    // GET on the collection is not supported.
    assert_eq!(
        s.get("/customers/1234/applicantworkflows").await.status,
        405
    );
}

#[tokio::test]
async fn s4_status_patch_is_204_and_bumps_updateddate() {
    let s = Sim::start(config()).await;
    s.state().advance_clock(Duration::from_secs(120));
    let r = s
        .patch(
            "/customers/1234/applicantworkflows/10002",
            &json!({"status":{"id":"C2028"}}),
        )
        .await;
    assert_eq!(r.status, 204);
    let v = s
        .get("/customers/1234/applicantworkflows/10002?fields=status,updateddate")
        .await
        .json();
    assert_eq!(
        v["status"],
        json!({"id":"C2028","value":"Reviewed","formattedvalue":"Reviewed"})
    );
    assert_eq!(v["updateddate"], "2024-03-15 09:27 PM");
    let r = s
        .patch(
            "/customers/1234/applicantworkflows/10002",
            &json!({"status":{"id":"C404"}}),
        )
        .await;
    assert_eq!(r.status, 400);
    // Visible to an updateddate search with staleness 0.
    let ids = s
        .search_ids_live("applicantworkflows", &json!({"filters":[{"name":"applicantworkflow.updateddate","value":["2024-03-15 9:27 PM"]}]}))
        .await;
    assert_eq!(ids, vec![10002]);
}

trait LiveSearch {
    async fn search_ids_live(&self, ty: &str, q: &Value) -> Vec<u64>;
}

impl LiveSearch for Sim {
    async fn search_ids_live(&self, ty: &str, q: &Value) -> Vec<u64> {
        let r = self
            .post(&format!("/customers/1234/search/{ty}?staleness=0"), q)
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        ids_of(&r.json())
    }
}

// ---- §5 search --------------------------------------------------------------------------

#[tokio::test]
async fn s5_results_capped_ascending_and_id_paging_reaches_the_end() {
    let s = Sim::start(people_cfg(2500)).await;
    let r = s
        .search(
            "people",
            &json!({"filters":[{"name":"person.updateddate","value":["2000-01-01"]}]}),
        )
        .await;
    let v = r.json();
    let first = ids_of(&v);
    assert_eq!(first.len(), 1000);
    assert!(first.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        v["searchResults"][0]["self"],
        s.api(&format!("/customers/1234/people/{}", first[0]))
    );
    let mut all = Vec::new();
    let mut last = 0;
    let mut calls = 0;
    loop {
        let page = s
            .search_ids(
                "people",
                &json!({"filters":[
                {"name":"person.updateddate","value":["2000-01-01"]},
                {"name":"person.id","value":[last.to_string()],"operator":">"}]}),
            )
            .await;
        calls += 1;
        all.extend_from_slice(&page);
        if page.len() < 1000 {
            break;
        }
        last = *page.last().unwrap();
    }
    assert_eq!(calls, 3);
    let expected: Vec<u64> = s
        .state()
        .ids(1234, RecordType::People)
        .unwrap()
        .into_iter()
        .map(u64::from)
        .collect();
    assert_eq!(all, expected);
    assert_eq!(s.state().counters().endpoint("search.people"), 4);
}

#[tokio::test]
async fn s5_every_operator() {
    let s = Sim::start(config()).await;
    let snap = s.state().snapshot(1234, RecordType::People, 42).unwrap();
    let last = snap["lastname"].as_str().unwrap().to_string();
    let email = snap["email"].as_str().unwrap().to_string();
    let all: Vec<Value> = s
        .state()
        .snapshots(1234, RecordType::People, 0, 10_000)
        .unwrap();
    let expect = |pred: &dyn Fn(&Value) -> bool| -> Vec<u64> {
        all.iter()
            .filter(|p| pred(p))
            .map(|p| p["id"].as_u64().unwrap())
            .collect()
    };
    let q = |name: &str, op: &str, val: &str| json!({"filters":[{"name":name,"value":[val],"operator":op}]});
    let lc = |p: &Value, k: &str| p[k].as_str().unwrap_or("").to_lowercase();
    // = on text is "contains"
    let part = &last[..last.len().min(3)];
    assert_eq!(
        s.search_ids("people", &q("person.lastname", "=", part))
            .await,
        expect(&|p| lc(p, "lastname").contains(&part.to_lowercase()))
    );
    assert_eq!(
        s.search_ids(
            "people",
            &json!({"filters":[{"name":"person.lastname","value":[part]}]})
        )
        .await,
        expect(&|p| lc(p, "lastname").contains(&part.to_lowercase())),
        "default operator is ="
    );
    assert_eq!(
        s.search_ids("people", &q("person.lastname", "==", &last))
            .await,
        expect(&|p| lc(p, "lastname") == last.to_lowercase())
    );
    assert_eq!(
        s.search_ids("people", &q("person.lastname", "!=", part))
            .await,
        expect(&|p| !lc(p, "lastname").contains(&part.to_lowercase()))
    );
    assert_eq!(
        s.search_ids("people", &q("person.lastname", "!==", &last))
            .await,
        expect(&|p| lc(p, "lastname") != last.to_lowercase())
    );
    assert!(
        s.search_ids("people", &q("person.email", "==", &email))
            .await
            .contains(&42)
    );
    let id = |p: &Value| p["id"].as_u64().unwrap();
    assert_eq!(
        s.search_ids("people", &q("person.id", "<", "10")).await,
        expect(&|p| id(p) < 10)
    );
    assert_eq!(
        s.search_ids("people", &q("person.id", "<=", "10")).await,
        expect(&|p| id(p) <= 10)
    );
    assert_eq!(
        s.search_ids("people", &q("person.id", ">", "190")).await,
        expect(&|p| id(p) > 190)
    );
    assert_eq!(
        s.search_ids("people", &q("person.id", ">=", "190")).await,
        expect(&|p| id(p) >= 190)
    );
    // list field by node id and by text value
    assert_eq!(
        s.search_ids("people", &q("person.folder", "=", "C16820"))
            .await,
        expect(&|p| p["folder"]["id"] == "C16820")
    );
    assert_eq!(
        s.search_ids("people", &q("person.folder", "=", "HM:Active"))
            .await,
        expect(&|p| p["folder"]["id"] == "C16820")
    );
    assert!(
        s.search_ids("people", &q("person.folder", "=", "C99999"))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn s5_groups_and_children() {
    let s = Sim::start(config()).await;
    let q = json!({
        "filters": [{"name":"person.id","value":["100"],"operator":"<"}],
        "operator": "&",
        "children": [{"filters": [
            {"name":"person.id","value":["5"]},
            {"name":"person.id","value":["150"]},
            {"name":"person.id","value":["7"]}], "operator": "|"}]
    });
    assert_eq!(s.search_ids("people", &q).await, vec![5, 7]);
    let q = json!({"filters":[{"name":"person.id","value":["3"]},{"name":"person.id","value":["199"]}],"operator":"|"});
    assert_eq!(s.search_ids("people", &q).await, vec![3, 199]);
}

#[tokio::test]
async fn s5_date_ranges_and_unparseable_dates() {
    let s = Sim::start(config()).await;
    let st = s.state();
    st.advance_clock(Duration::from_secs(7 * 86_400));
    st.update_person(1234, 11, json!({"middlename":"X"}).as_object().unwrap())
        .unwrap();
    st.update_person(1234, 12, json!({"middlename":"Y"}).as_object().unwrap())
        .unwrap();
    // Both were touched at 2024-03-22 09:25 PM; generated data is older than the start.
    let q = |v: &str, sv: Option<&str>| match sv {
        Some(sv) => {
            json!({"filters":[{"name":"person.updateddate","value":[v],"secondaryValue":[sv]}]})
        }
        None => json!({"filters":[{"name":"person.updateddate","value":[v]}]}),
    };
    assert_eq!(
        s.search_ids_live("people", &q("2024-03-22 9:25 PM", None))
            .await,
        vec![11, 12]
    );
    assert_eq!(
        s.search_ids_live("people", &q("2024-03-22", None)).await,
        vec![11, 12]
    );
    assert_eq!(
        s.search_ids_live("people", &q("2024-03-22 9:26 PM", None))
            .await,
        Vec::<u64>::new()
    );
    assert_eq!(
        s.search_ids_live("people", &q("2024-03-20", Some("2024-03-22 09:25 PM")))
            .await,
        vec![11, 12]
    );
    assert!(
        s.search_ids_live("people", &q("2024-03-20", Some("2024-03-22 09:24 PM")))
            .await
            .is_empty()
    );
    // Unparseable start → bound ignored: the range is open to the past.
    let open = s
        .search_ids_live("people", &q("last tuesday", Some("2030-01-01")))
        .await;
    assert_eq!(open.len(), 200);
    let r = s.search("people", &q("", None)).await;
    assert_eq!(r.status, 400);
    // createddate on an API-created person.
    let id = st
        .create_person(
            1234,
            json!({"firstname":"N","lastname":"M"}).as_object().unwrap(),
        )
        .unwrap();
    let ids = s
        .search_ids_live("people", &json!({"filters":[{"name":"person.createddate","value":["2024-03-22 09:25 PM"],"operator":">="}]}))
        .await;
    assert_eq!(ids, vec![id as u64]);
}

#[tokio::test]
async fn s5_get_with_search_json_param() {
    let s = Sim::start(config()).await;
    let q = json!({"filters":[{"name":"person.id","value":["3"]}]}).to_string();
    let enc: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let r = s
        .get(&format!("/customers/1234/search/people?searchJson={enc}"))
        .await;
    assert_eq!(ids_of(&r.json()), vec![3]);
}

#[tokio::test]
async fn s5_search_error_messages() {
    let s = Sim::start(config()).await;
    let cases = [
        (
            json!({"filters":[]}),
            "At least one filter must be specified",
        ),
        (
            json!({"filters":[{"name":"job.jobtitle","value":["x"]}]}),
            "The following filter is either not valid or hidden: [job.jobtitle]",
        ),
        (
            json!({"filters":[{"name":"person.favouritecolour","value":["x"]}]}),
            "The following filter is either not valid or hidden: [person.favouritecolour]",
        ),
        (
            json!({"filters":[{"name":"","value":["x"]}]}),
            "The following filter is either not valid or hidden: []",
        ),
        (
            json!({"filters":[{"name":"person.id","value":["1"],"operator":"~"}]}),
            "The following filter operator is not valid: [~]",
        ),
        (
            json!({"filters":[{"name":"person.id","value":["1"]}],"operator":"and"}),
            "The following group operator is not valid: [and]",
        ),
        (
            json!({"filters":[{"name":"person.id","values":["1"]}]}),
            "The following filter attribute is not recognized: [values]",
        ),
        (
            json!({"filters":[{"name":"person.id","value":["1"]}],"limit":5}),
            "The following group attribute is not recognized: [limit]",
        ),
    ];
    for (q, msg) in cases {
        let r = s.search("people", &q).await;
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(r.error().1, msg);
        assert!(r.header("x-error").is_some());
    }
    let r = s
        .call(Method::POST, "/customers/1234/search/people", "{{{")
        .await;
    assert_eq!(
        (r.status, r.error().1.as_str()),
        (400, "An unknown parsing error occurred")
    );
    // Cross-type for workflows too.
    let r = s
        .search(
            "applicantworkflows",
            &json!({"filters":[{"name":"person.id","value":["1"]}]}),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn s5_workflow_relation_filters() {
    let s = Sim::start(config()).await;
    let w = s
        .state()
        .snapshot(1234, RecordType::Workflows, 10003)
        .unwrap();
    let person = w["associatedprofile"]["id"].as_u64().unwrap();
    let job = w["baseprofile"]["id"].as_u64().unwrap();
    let email = s
        .state()
        .snapshot(1234, RecordType::People, person)
        .unwrap()["email"]
        .as_str()
        .unwrap()
        .to_string();
    let ids = s
        .search_ids(
            "applicantworkflows",
            &json!({"filters":[
            {"name":"applicantworkflow.person.id","value":[person.to_string()]},
            {"name":"applicantworkflow.job.id","value":[job.to_string()]}]}),
        )
        .await;
    assert_eq!(ids, vec![10003]);
    let ids = s
        .search_ids("applicantworkflows", &json!({"filters":[{"name":"applicantworkflow.person.email","value":[email],"operator":"=="}]}))
        .await;
    assert!(ids.contains(&10003));
    let ids = s
        .search_ids("applicantworkflows", &json!({"filters":[{"name":"applicantworkflow.status","value":[w["status"]["id"].as_str().unwrap()]}]}))
        .await;
    assert!(ids.contains(&10003));
    let ids = s
        .search_ids(
            "jobs",
            &json!({"filters":[{"name":"job.folder","value":["D31001"]}]}),
        )
        .await;
    assert!(!ids.is_empty());
}

#[tokio::test]
async fn s5_staleness_cache() {
    let s = Sim::start(config()).await;
    let st = s.state();
    let q = json!({"filters":[{"name":"person.email","value":["fresh.address@example.net"],"operator":"=="}]});
    assert!(s.search_ids("people", &q).await.is_empty());
    st.update_person(
        1234,
        17,
        json!({"email":"fresh.address@example.net"})
            .as_object()
            .unwrap(),
    )
    .unwrap();
    // Cached (default staleness 15 min): the change is not visible yet…
    assert!(s.search_ids("people", &q).await.is_empty());
    st.advance_clock(Duration::from_secs(14 * 60));
    assert!(s.search_ids("people", &q).await.is_empty());
    // …unless asked live…
    assert_eq!(s.search_ids_live("people", &q).await, vec![17]);
    // …or the entry expires.
    st.advance_clock(Duration::from_secs(60));
    assert_eq!(s.search_ids("people", &q).await, vec![17]);
}

// ---- §7 files ---------------------------------------------------------------------------

fn multipart(filename: &str, content_type: &str, data: &[u8]) -> (String, Vec<u8>) {
    let b = "sim-test-boundary-7MA4YWxk";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

#[tokio::test]
async fn s7_resume_binary_round_trip_and_text() {
    let s = Sim::start(config()).await;
    let url = s.api("/customers/1234/people/20/fields/resume/binary");
    let (ct, body) = multipart(
        "Resume.txt",
        "text/plain",
        b"Grace Hopper\nCOBOL, compilers\n",
    );
    let auth = s.basic.clone();
    let r = s
        .send(
            Method::PATCH,
            &url,
            &[("authorization", &auth), ("content-type", &ct)],
            body,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text());
    let r = s
        .get("/customers/1234/people/20/fields/resume/binary")
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body.as_ref(), b"Grace Hopper\nCOBOL, compilers\n");
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains("Resume.txt")
    );
    let v = s
        .get("/customers/1234/people/20?fields=resume")
        .await
        .json();
    assert_eq!(v["resume"]["file"], url);
    let t = s.get("/customers/1234/people/20/fields/resume/text").await;
    assert_eq!(t.status, 200);
    assert!(t.header("content-type").unwrap().starts_with("multipart/"));
    let text = t.text();
    assert!(text.contains("filename=\"Resume.txt\""));
    assert!(text.contains("text/plain"));
    assert!(text.contains("COBOL, compilers"));
    // A binary document has no extractable text here.
    let (ct, body) = multipart("cv.pdf", "application/pdf", b"%PDF-1.4 binary");
    assert_eq!(
        s.send(
            Method::PATCH,
            &url,
            &[("authorization", &auth), ("content-type", &ct)],
            body
        )
        .await
        .status,
        204
    );
    assert_eq!(
        s.get("/customers/1234/people/20/fields/resume/binary")
            .await
            .header("content-type"),
        Some("application/pdf")
    );
    assert_eq!(
        s.get("/customers/1234/people/20/fields/resume/text")
            .await
            .status,
        404
    );
    // Raw body, POST and DELETE are refused.
    let r = s
        .send(
            Method::PATCH,
            &url,
            &[
                ("authorization", &auth),
                ("content-type", "application/pdf"),
            ],
            "%PDF",
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        s.call(
            Method::POST,
            "/customers/1234/people/20/fields/resume/binary",
            ""
        )
        .await
        .status,
        405
    );
    let r = s
        .call(
            Method::DELETE,
            "/customers/1234/people/20/fields/resume/binary",
            "",
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.error().1.contains("cannot be deleted"));
}

#[tokio::test]
async fn s7_generated_resume_and_missing_resume() {
    let mut cfg = config();
    cfg.customers[0].generator.resume_rate = 0.5;
    let s = Sim::start(cfg).await;
    let all = s
        .state()
        .snapshots(1234, RecordType::People, 0, 1000)
        .unwrap();
    let with = all.iter().find(|p| p.get("resume").is_some()).unwrap();
    let without = all.iter().find(|p| p.get("resume").is_none()).unwrap();
    let r = s
        .get(&format!(
            "/customers/1234/people/{}/fields/resume/binary",
            with["id"]
        ))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains(with["lastname"].as_str().unwrap()));
    let t = s
        .get(&format!(
            "/customers/1234/people/{}/fields/resume/text",
            with["id"]
        ))
        .await;
    assert!(t.text().contains(with["email"].as_str().unwrap()));
    let r = s
        .get(&format!(
            "/customers/1234/people/{}/fields/resume/binary",
            without["id"]
        ))
        .await;
    assert_eq!(r.status, 404);
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(r.error().0, 2);
}

// ---- §8 lists ---------------------------------------------------------------------------

#[tokio::test]
async fn s8_lists() {
    let s = Sim::start(config()).await;
    let v = s.get("/customers/1234/v2/lists").await.json();
    let names: Vec<&str> = v["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    for n in [
        "lists.person.folders",
        "lists.job.folders",
        "lists.sources",
        "lists.notes.rejection",
    ] {
        assert!(names.contains(&n));
    }
    let v = s
        .get("/customers/1234/v2/lists/lists.person.folders")
        .await
        .json();
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    assert_eq!(
        nodes[0],
        json!({"id":"C16801","value":"Candidate: Active","formattedvalue":"Candidate: Active"})
    );
    assert!(v["_links"]["self"]["href"].is_string());
    let v = s
        .get("/customers/1234/v2/lists/lists.job.folders?size=2")
        .await
        .json();
    assert_eq!(v["nodes"].as_array().unwrap().len(), 2);
    assert!(
        v["_links"]["next"]["href"]
            .as_str()
            .unwrap()
            .contains("page=1")
    );
    assert_eq!(
        s.get("/customers/1234/v2/lists/lists.nope").await.status,
        404
    );
    assert_eq!(s.state().counters().endpoint("lists"), 4);
}

// ---- §11 errors and permissions ---------------------------------------------------------

#[tokio::test]
async fn s11_denied_permissions_are_404_code_3_before_validation_and_lookup() {
    let mut cfg = config();
    cfg.customers[0].denied_permissions = vec![
        Permission::PeopleAdd,
        Permission::PeopleUpdate,
        Permission::StatusGet,
        Permission::JobsList,
        Permission::PersonFoldersList,
        Permission::StatusList,
        Permission::WorkflowsAdd,
    ];
    let denied = Sim::start(cfg).await;
    let granted = Sim::start(config()).await;
    let code = |r: &Resp| (r.status, r.error().0);
    // people-add: POST an empty body.
    assert_eq!(
        code(
            &denied
                .call(Method::POST, "/customers/1234/people", "")
                .await
        ),
        (404, 3)
    );
    assert_eq!(
        code(
            &granted
                .call(Method::POST, "/customers/1234/people", "")
                .await
        ),
        (400, 1)
    );
    // people-update: PATCH a nonexistent id (and even a malformed body).
    assert_eq!(
        code(
            &denied
                .call(Method::PATCH, "/customers/1234/people/99999", "{}")
                .await
        ),
        (404, 3)
    );
    assert_eq!(
        code(
            &denied
                .call(Method::PATCH, "/customers/1234/people/99999", "nope")
                .await
        ),
        (404, 3)
    );
    assert_eq!(
        code(
            &granted
                .call(Method::PATCH, "/customers/1234/people/99999", "{}")
                .await
        ),
        (404, 2)
    );
    // status-get: explicit status read refused, default read omits it.
    assert_eq!(
        code(
            &denied
                .get("/customers/1234/applicantworkflows/10001?fields=status")
                .await
        ),
        (404, 3)
    );
    assert!(
        denied
            .get("/customers/1234/applicantworkflows/10001")
            .await
            .json()
            .get("status")
            .is_none()
    );
    // jobs-list, status-list, person-folders-list, workflows-add
    let jq = json!({"filters":[{"name":"job.id","value":["0"],"operator":">"}]});
    assert_eq!(code(&denied.search("jobs", &jq).await), (404, 3));
    let sq = json!({"filters":[{"name":"applicantworkflow.status","value":["D10100"]}]});
    assert_eq!(
        code(&denied.search("applicantworkflows", &sq).await),
        (404, 3)
    );
    assert_eq!(granted.search("applicantworkflows", &sq).await.status, 200);
    assert_eq!(
        code(
            &denied
                .get("/customers/1234/v2/lists/lists.person.folders")
                .await
        ),
        (404, 3)
    );
    assert_eq!(
        code(
            &denied
                .call(Method::POST, "/customers/1234/applicantworkflows", "")
                .await
        ),
        (404, 3)
    );
    assert_eq!(
        code(
            &granted
                .call(Method::POST, "/customers/1234/applicantworkflows", "")
                .await
        ),
        (400, 1)
    );
    // Granted permissions keep working on the denied customer.
    assert_eq!(
        denied
            .get("/customers/1234/people/1?fields=lastname")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn s11_error_bodies_carry_x_error() {
    let s = Sim::start(config()).await;
    let r = s.get("/customers/1234/jobs/5").await;
    assert_eq!(
        (r.status, r.error()),
        (404, (2, "Job not found.".to_string()))
    );
    assert_eq!(r.header("x-error"), Some("2:Job not found."));
    let r = s.get("/customers/1234/unknownthing/1/x").await;
    assert_eq!(r.status, 404);
    let r = s.call(Method::DELETE, "/customers/1234/people/1", "").await;
    assert_eq!(r.status, 405);
    assert!(r.header("x-error").unwrap().ends_with("Not Supported"));
}

// ---- §12 quota --------------------------------------------------------------------------

#[tokio::test]
async fn s12_rate_limit_headers_and_reset_to_midnight() {
    let s = Sim::start(config()).await;
    let r = s.get("/customers/1234").await;
    assert_eq!(r.header("x-ratelimit-limit"), Some("10000"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("9999"));
    assert_eq!(r.header("x-ratelimit-reset"), Some("9299"));
    s.state().advance_clock(Duration::from_secs(2606));
    let r = s
        .search(
            "people",
            &json!({"filters":[{"name":"person.id","value":["1"]}]}),
        )
        .await;
    assert_eq!(
        r.header("x-ratelimit-remaining"),
        Some("9998"),
        "searches count"
    );
    assert_eq!(r.header("x-ratelimit-reset"), Some("6693"));
    // Failed requests count too.
    let r = s.get("/customers/1234/people/99999").await;
    assert_eq!(r.header("x-ratelimit-remaining"), Some("9997"));
    // The login host does not.
    s.token().await;
    assert_eq!(s.state().quota(1234).unwrap().used, 3);
}

#[tokio::test]
async fn s12_quota_exhaustion_and_window_reset() {
    let mut cfg = config();
    cfg.quota.limit = 3;
    cfg.quota.window_secs = 60;
    let s = Sim::start(cfg).await;
    for _ in 0..3 {
        assert_eq!(s.get("/customers/1234").await.status, 200);
    }
    let r = s.get("/customers/1234").await;
    assert_eq!(r.status, 429);
    assert_eq!(r.error().0, 429);
    assert!(r.error().1.contains("daily limit"));
    assert!(r.header("retry-after").is_none());
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let reset: i64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert_eq!(reset, 60 - START % 60);
    s.state().advance_clock(Duration::from_secs(reset as u64));
    assert_eq!(s.get("/customers/1234").await.status, 200);
}

#[tokio::test]
async fn s12_quota_status_and_retry_after_are_settings() {
    let mut cfg = config();
    cfg.quota.limit = 1;
    cfg.quota.exhausted_status = 403;
    cfg.quota.retry_after = true;
    let s = Sim::start(cfg).await;
    s.get("/customers/1234").await;
    let r = s.get("/customers/1234").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.header("retry-after"), Some("9299"));
    let mut cfg = config();
    cfg.quota.enabled = false;
    cfg.quota.limit = 1;
    let s = Sim::start(cfg).await;
    for _ in 0..5 {
        assert_eq!(s.get("/customers/1234").await.status, 200);
    }
}

// ---- faults -----------------------------------------------------------------------------

fn script(endpoint: &str, fault: FaultKind, count: u32) -> FaultScript {
    FaultScript {
        matcher: FaultMatch {
            endpoint: Some(endpoint.into()),
            path_prefix: None,
        },
        fault,
        count,
    }
}

#[tokio::test]
async fn faults_status_kinds_use_icims_error_bodies() {
    let s = Sim::start(config()).await;
    let st = s.state();
    for (kind, status) in [
        (FaultKind::TooManyRequests, 429),
        (FaultKind::InternalError, 500),
        (FaultKind::Unavailable, 503),
    ] {
        st.push_fault(script("get.people", kind, 1));
        let r = s.get("/customers/1234/people/1").await;
        assert_eq!(r.status, status);
        assert!(r.json()["errors"][0]["errorCode"].is_number());
        assert!(r.header("x-error").is_some());
        assert_eq!(
            s.get("/customers/1234/people/1").await.status,
            200,
            "only the next request"
        );
    }
    let c = st.counters();
    assert_eq!(c.faulted, 3);
    assert_eq!(c.endpoint("get.people"), 3);
    assert_eq!(c.total, 6);
    // Scripts match endpoint prefixes and leave other endpoints alone.
    st.push_fault(script("search", FaultKind::Unavailable, 2));
    assert_eq!(s.get("/customers/1234/people/1").await.status, 200);
    let q = json!({"filters":[{"name":"job.id","value":["0"],"operator":">"}]});
    assert_eq!(s.search("jobs", &q).await.status, 503);
    assert_eq!(s.search("jobs", &q).await.status, 503);
    assert_eq!(s.search("jobs", &q).await.status, 200);
}

#[tokio::test]
async fn faults_retry_after_is_a_setting() {
    let mut cfg = config();
    cfg.faults.retry_after_secs = Some(30);
    let s = Sim::start(cfg).await;
    s.state()
        .push_fault(script("get", FaultKind::TooManyRequests, 1));
    s.state()
        .push_fault(script("get", FaultKind::InternalError, 1));
    let r = s.get("/customers/1234/people/1").await;
    assert_eq!((r.status, r.header("retry-after")), (429, Some("30")));
    let r = s.get("/customers/1234/people/1").await;
    assert_eq!((r.status, r.header("retry-after")), (500, None));
}

#[tokio::test]
async fn faults_token_endpoint_can_fail() {
    let s = Sim::start(config()).await;
    s.state()
        .push_fault(script("token", FaultKind::Unavailable, 1));
    assert_eq!(s.token_form(&s.good_token_form()).await.status, 503);
    s.token().await;
    assert_eq!(
        s.state().counters().token,
        1,
        "faulted token calls are counted apart"
    );
}

#[tokio::test]
async fn faults_reset_closes_without_response() {
    let s = Sim::start(config()).await;
    s.state()
        .push_fault(script("get.people", FaultKind::Reset, 1));
    let out = s.raw(&s.raw_get("/customers/1234/people/1")).await;
    match out {
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
        Ok(bytes) => assert!(
            bytes.is_empty(),
            "got a response: {}",
            String::from_utf8_lossy(&bytes)
        ),
    }
    assert!(
        s.raw(&s.raw_get("/customers/1234/people/1"))
            .await
            .unwrap()
            .starts_with(b"HTTP/1.1 200")
    );
}

#[tokio::test]
async fn faults_timeout_holds_then_drops() {
    let mut cfg = config();
    cfg.faults.timeout_hold_ms = 50;
    let s = Sim::start(cfg).await;
    s.state()
        .push_fault(script("search", FaultKind::Timeout, 1));
    let body = json!({"filters":[{"name":"person.id","value":["1"]}]}).to_string();
    let req = format!(
        "POST /customers/1234/search/people HTTP/1.1\r\nHost: sim\r\nAuthorization: {}\r\nContent-Length: {}\r\n\r\n{body}",
        s.basic,
        body.len()
    );
    let out = s.raw(&req).await.unwrap_or_default();
    assert!(
        out.is_empty(),
        "no response expected: {}",
        String::from_utf8_lossy(&out)
    );
    assert_eq!(s.state().counters().faulted, 1);
}

#[tokio::test]
async fn faults_truncated_body_is_shorter_than_content_length() {
    let s = Sim::start(config()).await;
    s.state()
        .push_fault(script("get.people", FaultKind::Truncated, 1));
    let out = s
        .raw(&s.raw_get("/customers/1234/people/1"))
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&out).to_string();
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("content-length");
    assert!(
        body.len() < len && !body.is_empty(),
        "{} of {len}",
        body.len()
    );
    assert!(serde_json::from_str::<Value>(body).is_err());
}

#[tokio::test]
async fn faults_malformed_and_rate_based() {
    let mut cfg = config();
    cfg.faults.rates.insert(FaultKind::Malformed, 1.0);
    let s = Sim::start(cfg).await;
    let r = s.get("/customers/1234/people/1").await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    s.state().clear_faults();
    assert!(
        s.get("/customers/1234/people/1")
            .await
            .json()
            .get("lastname")
            .is_some()
    );
}

// ---- generator ground truth and side door ------------------------------------------------

#[tokio::test]
async fn generator_duplicates_are_recorded() {
    let mut cfg = config();
    cfg.customers[0].generator.people = 1000;
    cfg.customers[0].generator.duplicate_people_rate = 0.1;
    let s = Sim::start(cfg).await;
    let groups = s.state().duplicate_groups(1234).unwrap();
    assert!(groups.len() > 20);
    for g in groups.iter().take(20) {
        let a = s
            .get(&format!(
                "/customers/1234/people/{}?fields=email,lastname",
                g[0]
            ))
            .await
            .json();
        let b = s
            .get(&format!(
                "/customers/1234/people/{}?fields=email,lastname",
                g[1]
            ))
            .await
            .json();
        assert_eq!(a["lastname"], b["lastname"]);
        let norm = |v: &Value| v["email"].as_str().unwrap().to_lowercase().replace('.', "");
        assert_eq!(norm(&a), norm(&b));
    }
}

#[tokio::test]
async fn admin_http_api_mirrors_the_side_door() {
    let s = Sim::start(config()).await;
    let admin = s.sim.admin_base_url();
    let call = |m: Method, p: &str, body: Value| {
        let url = format!("{admin}{p}");
        let s = &s;
        async move {
            let b = if body.is_null() {
                String::new()
            } else {
                body.to_string()
            };
            s.send(m, &url, &[("content-type", "application/json")], b)
                .await
        }
    };
    assert_eq!(
        call(Method::GET, "/health", Value::Null).await.json()["ok"],
        true
    );
    assert_eq!(
        call(Method::GET, "/credentials", Value::Null).await.json()["customer_ids"],
        json!([1234])
    );
    let r = call(
        Method::PATCH,
        "/customers/1234/people/8",
        json!({"lastname":"Renamed"}),
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        call(Method::GET, "/customers/1234/people/8", Value::Null)
            .await
            .json()["lastname"],
        "Renamed"
    );
    let r = call(
        Method::POST,
        "/customers/1234/people",
        json!({"firstname":"Side","lastname":"Door"}),
    )
    .await;
    let id = r.json()["id"].as_u64().unwrap();
    assert_eq!(
        call(
            Method::DELETE,
            &format!("/customers/1234/people/{id}"),
            Value::Null
        )
        .await
        .status,
        204
    );
    assert_eq!(
        s.get(&format!("/customers/1234/people/{id}")).await.status,
        404
    );
    assert_eq!(
        call(
            Method::PUT,
            "/customers/1234/applicantworkflows/10001/status",
            json!({"id":"C23505"})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        s.get("/customers/1234/applicantworkflows/10001?fields=status")
            .await
            .json()["status"]["value"],
        "Hired"
    );
    let before = s.state().now();
    call(Method::POST, "/clock/advance", json!({"minutes": 2})).await;
    assert_eq!(s.state().now(), before + 120);
    call(
        Method::POST,
        "/faults",
        json!({"endpoint":"customer","fault":"500","count":1}),
    )
    .await;
    assert_eq!(s.get("/customers/1234").await.status, 500);
    let c = call(Method::GET, "/counters", Value::Null).await.json();
    assert_eq!(c["faulted"], 1);
    assert_eq!(
        call(Method::PUT, "/customers/1234/quota", json!({"used": 9999}))
            .await
            .json()["remaining"],
        1
    );
    assert_eq!(
        call(Method::GET, "/customers/1234/duplicates", Value::Null)
            .await
            .status,
        200
    );
    call(Method::POST, "/counters/reset", Value::Null).await;
    assert_eq!(s.state().counters().total, 0);
    // The admin listener is not the iCIMS surface.
    assert_eq!(
        call(Method::GET, "/customers/1234", Value::Null)
            .await
            .status,
        404
    );
}

#[test]
fn background_start_serves_sync_callers_and_stops_on_drop() {
    let mut cfg = config();
    cfg.customers[0].generator.people = 10;
    let sim = icims_sim::IcimsSim::start_in_background(cfg).unwrap();
    let addr = sim.api_base_url().trim_start_matches("http://").to_string();
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all(b"GET /customers/1234 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 401"), "{out}");
    assert_eq!(sim.state().counters().total, 1);
    drop(sim);
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "listener closed after drop"
    );
}

// ---- transport ----------------------------------------------------------------------------

#[tokio::test]
async fn many_concurrent_keep_alive_clients_are_served() {
    let s = std::sync::Arc::new(Sim::start(config()).await);
    let mut tasks = Vec::new();
    for t in 0..48u64 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0;
            for i in 0..10u64 {
                let id = 1 + (t * 10 + i) % 200;
                let r = s
                    .get(&format!("/customers/1234/people/{id}?fields=lastname"))
                    .await;
                ok += usize::from(r.status == 200 && r.json().get("lastname").is_some());
            }
            ok
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert_eq!(total, 480);
    assert_eq!(s.state().counters().endpoint("get.people"), 480);
    assert_eq!(s.state().quota(1234).unwrap().used, 480);
}

#[tokio::test]
async fn only_http_1_1_is_served() {
    let s = Sim::start(config()).await;
    let out = s
        .raw(&format!(
            "GET /customers/1234 HTTP/1.0\r\nHost: sim\r\nAuthorization: {}\r\n\r\n",
            s.basic
        ))
        .await
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out).starts_with("HTTP/1.0 505")
            || String::from_utf8_lossy(&out).starts_with("HTTP/1.1 505")
    );
}

#[tokio::test]
async fn hostile_input_gets_icims_errors_not_crashes() {
    let s = Sim::start(config()).await;
    let nested = (0..100).fold(
        json!({"filters":[{"name":"person.id","value":["1"]}]}),
        |acc, _| json!({"filters":[{"name":"person.id","value":["1"]}],"children":[acc]}),
    );
    let cases: Vec<(Method, String, String)> = vec![
        (Method::POST, "/customers/1234/search/people?staleness=99999999999999999999".into(), json!({"filters":[{"name":"person.id","value":["1"]}]}).to_string()),
        (Method::POST, "/customers/1234/search/people?staleness=18446744073709551615".into(), json!({"filters":[{"name":"person.id","value":["1"]}]}).to_string()),
        (Method::POST, "/customers/1234/search/people".into(), nested.to_string()),
        (Method::POST, "/customers/1234/search/people".into(), json!({"filters":[{"name":"person.id","value":["-5","x"]}]}).to_string()),
        (Method::POST, "/customers/1234/search/people".into(), json!({"filters":[{"name":"person.id","value":[]}]}).to_string()),
        (Method::POST, "/customers/1234/search/people".into(), json!({"filters":[{"name":"person.updateddate","value":["9999-12-31 11:59 PM"],"operator":">"}]}).to_string()),
        (Method::POST, "/customers/1234/search/jobs".into(), "\u{0}\u{1}".into()),
        (Method::GET, "/customers/1234/people/99999999999999999999999".into(), String::new()),
        (Method::GET, "/customers/1234/people/1?fields=%E2%9C%93,,,id".into(), String::new()),
        (Method::PATCH, "/customers/1234/people/1".into(), json!({"firstname":[1,2],"email":"x"}).to_string()),
        (Method::PATCH, "/customers/1234/people/1".into(), json!({"folder":{"id":"nope"}}).to_string()),
        (Method::PATCH, "/customers/1234/people/1".into(), "[1,2,3]".into()),
        (Method::POST, "/customers/1234/applicantworkflows".into(), json!({"baseprofile":"x","associatedprofile":{"id":-1}}).to_string()),
        (Method::PATCH, "/customers/1234/people/1/fields/resume/binary".into(), "--x\r\n".into()),
        (Method::GET, "/customers/1234/v2/lists/lists.sources?size=0&page=18446744073709551615".into(), String::new()),
        (Method::PUT, "/customers/1234/jobs/1001".into(), "{}".into()),
    ];
    for (m, path, body) in cases {
        let r = s.call(m.clone(), &path, &body).await;
        assert!(r.status < 500, "{m} {path}: {}", r.status);
        if r.status >= 400 {
            assert!(r.json()["errors"][0]["errorCode"].is_number(), "{m} {path}");
        }
    }
    assert_eq!(
        s.get("/customers/1234/people/1?fields=lastname")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn default_field_set_without_fields_param_is_a_setting() {
    let mut cfg = config();
    cfg.profiles.default_fields.jobs = vec!["jobid".into(), "jobtitle".into(), "folder".into()];
    let s = Sim::start(cfg).await;
    let v = s.get("/customers/1234/jobs/1001").await.json();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["folder", "jobid", "jobtitle", "links"]);
    // Other types keep "every field"; explicit fields= still wins.
    assert!(
        s.get("/customers/1234/people/1")
            .await
            .json()
            .get("email")
            .is_some()
    );
    assert!(
        s.get("/customers/1234/jobs/1001?fields=overview")
            .await
            .json()
            .get("overview")
            .is_some()
    );
}
