//! De-duplication over the simulator's generated people, whose duplicates are known: the pass
//! links pairs in the mirror (never merging in iCIMS), and its precision and recall against the
//! generator's ground truth stay above floors. The figures are printed.

mod feature_support;

use ats_features::dedupe::{pairs_from_groups, precision_recall};
use ats_features::{DedupeOptions, unix_now};
use feature_support::*;
use icims_sim::RecordType;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_found_across_the_generated_set() {
    let mut sim = config(600, 5, 50);
    sim.customers[0].generator.duplicate_people_rate = 0.1;
    let f = start(sim).await;
    f.sync().await;
    let truth = f.state().duplicate_groups(f.cid).unwrap();
    assert!(
        truth.len() >= 10,
        "the generator made duplicates: {}",
        truth.len()
    );
    let people_before = f.ids(RecordType::People).len();

    f.state().reset_counters();
    let report = ats_features::find_duplicates(f.mirror(), CONN, &DedupeOptions::at(unix_now()))
        .await
        .expect("dedupe pass");
    println!("{report:?}");
    assert_eq!(
        f.state().counters().total,
        0,
        "the pass reads the mirror only"
    );
    assert_eq!(
        f.ids(RecordType::People).len(),
        people_before,
        "nothing merged"
    );

    let truth_pairs = pairs_from_groups(
        &truth
            .iter()
            .map(|g| g.iter().map(u32::to_string).collect::<Vec<_>>())
            .collect::<Vec<_>>(),
    );
    let all = precision_recall(report.pairs(), truth_pairs.clone());
    let certain: Vec<(String, String)> = report
        .links
        .iter()
        .filter(|l| l.status == "confirmed")
        .map(|l| (l.a_id.clone(), l.b_id.clone()))
        .collect();
    let confirmed = precision_recall(certain, truth_pairs.clone());
    println!(
        "duplicates: {} true pairs; all links: precision {:.3} recall {:.3} (tp {} fp {} fn {}); confirmed only: precision {:.3} recall {:.3}",
        truth_pairs.len(),
        all.precision,
        all.recall,
        all.true_positives,
        all.false_positives,
        all.false_negatives,
        confirmed.precision,
        confirmed.recall
    );
    assert!(
        confirmed.precision >= 0.95,
        "confirmed links are near certain"
    );
    assert!(all.precision >= 0.9, "precision {:.3}", all.precision);
    assert!(all.recall >= 0.9, "recall {:.3}", all.recall);

    // A second pass keeps the links as they are.
    let again = ats_features::find_duplicates(f.mirror(), CONN, &DedupeOptions::at(unix_now()))
        .await
        .expect("second pass");
    assert_eq!(again.pairs().len(), report.pairs().len());
}
