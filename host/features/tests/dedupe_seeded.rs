//! The de-duplication pass on a seeded set with known duplicates: precision and recall are
//! computed, printed and held above floors; links are stored in the mirror, nothing in the ATS.

mod common;

use ats_features::dedupe::{DedupeOptions, find_duplicates, pairs_from_groups, precision_recall};
use ats_mirror::{FeatureState, LinkStatus};
use ats_model::{AtsRecord, Candidate, Phone, ProfileUrl, UrlKind};
use common::*;

fn c(id: &str, first: &str, last: &str, email: &str) -> Candidate {
    person(id, first, last, email)
}
fn phone(mut x: Candidate, p: &str) -> Candidate {
    x.phones.push(Phone {
        number: p.into(),
        kind: None,
    });
    x
}
fn url(mut x: Candidate, u: &str) -> Candidate {
    x.urls.push(ProfileUrl {
        url: u.into(),
        kind: UrlKind::Linkedin,
    });
    x
}
fn at(mut x: Candidate, company: &str, title: &str) -> Candidate {
    x.current_company = Some(company.into());
    x.current_title = Some(title.into());
    x
}

#[tokio::test]
async fn seeded_duplicates_precision_and_recall() {
    let t = mirror();
    let people = vec![
        // Same email, different case.
        c("1", "Jane", "Doe", "jane.doe@example.com"),
        c("2", "Jane", "Doe", "Jane.Doe@Example.COM"),
        // Same LinkedIn profile written differently.
        url(
            c("3", "Raj", "Patel", "raj@a.example"),
            "https://www.linkedin.com/in/rajpatel/",
        ),
        url(
            c("4", "Raj", "Patel", "rpatel@b.example"),
            "linkedin.com/in/RajPatel?trk=x",
        ),
        // Same phone, compatible names.
        phone(c("5", "Li", "Wei", "li@c.example"), "(415) 555-0101"),
        phone(c("6", "Li", "Wei", ""), "+1 415 555 0101"),
        // Accented vs plain name, same company.
        at(
            c("7", "José", "Núñez", "jose@d.example"),
            "Acme Inc.",
            "Data Engineer",
        ),
        at(
            c("8", "Jose", "Nunez", "jnunez@e.example"),
            "ACME",
            "Analyst",
        ),
        // Initial and same title.
        at(
            c("9", "Maria", "Schmidt", "maria@f.example"),
            "Foo",
            "Product Manager",
        ),
        at(
            c("10", "M.", "Schmidt", "ms@g.example"),
            "Bar",
            "Product Manager",
        ),
        // Nickname: Bob vs Robert, same company (different initials: the name block misses it).
        at(c("11", "Robert", "King", "rk@h.example"), "Globex", "SRE"),
        at(c("12", "Bob", "King", "bob@i.example"), "Globex", "SRE"),
        // Not duplicates: same switchboard phone, different people.
        phone(
            c("13", "Mark", "Okafor", "mark@j.example"),
            "(212) 555-0199",
        ),
        phone(c("14", "Susan", "Lee", "susan@k.example"), "(212) 555-0199"),
        // Not duplicates: same name, nothing else in common.
        at(
            c("15", "John", "Smith", "js1@l.example"),
            "Initech",
            "Accountant",
        ),
        at(
            c("16", "John", "Smith", "js2@m.example"),
            "Umbrella",
            "Chemist",
        ),
        // Not duplicates: similar names, same company.
        at(
            c("17", "Anna", "Berg", "anna@n.example"),
            "Hooli",
            "Designer",
        ),
        at(
            c("18", "Hanna", "Berger", "hanna@o.example"),
            "Hooli",
            "Designer",
        ),
        c("19", "Grace", "Hopper", "grace@p.example"),
        c("20", "Alan", "Turing", "alan@q.example"),
    ];
    for p in people {
        t.mirror_upsert(p).await;
    }
    let truth = pairs_from_groups(&[
        vec!["1", "2"],
        vec!["3", "4"],
        vec!["5", "6"],
        vec!["7", "8"],
        vec!["9", "10"],
        vec!["11", "12"],
    ]);
    let report = find_duplicates(&t.mirror, CONN, &DedupeOptions::at(NOW))
        .await
        .unwrap();
    println!("{report:?}");
    let pr = precision_recall(report.pairs(), truth.iter().cloned());
    println!("seeded set: {pr}");
    assert!(pr.precision >= 0.99, "{pr}");
    assert!(pr.recall >= 0.8, "{pr}");

    // Certain rules are confirmed links, fuzzy ones suggested for review.
    let status = async |a: &str| t.mirror.duplicate_links(CONN, a).await.unwrap()[0].status;
    assert_eq!(status("1").await, LinkStatus::Confirmed);
    assert_eq!(status("7").await, LinkStatus::Suggested);
    assert!(
        t.mirror
            .duplicate_links(CONN, "13")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(t.mirror.cluster(CONN, "9").await.unwrap(), vec!["10", "9"]);

    // A dismissal by a person survives the next pass.
    let mut dismissed = t.mirror.duplicate_links(CONN, "7").await.unwrap()[0].clone();
    dismissed.status = LinkStatus::Dismissed;
    t.mirror.put_duplicate_link(CONN, &dismissed).await.unwrap();
    find_duplicates(&t.mirror, CONN, &DedupeOptions::at(NOW + 1))
        .await
        .unwrap();
    assert_eq!(status("7").await, LinkStatus::Dismissed);
}

trait Upsert {
    async fn mirror_upsert(&self, c: Candidate);
}
impl Upsert for TestMirror {
    async fn mirror_upsert(&self, c: Candidate) {
        mirrored(self, AtsRecord::Candidate(c)).await;
    }
}
