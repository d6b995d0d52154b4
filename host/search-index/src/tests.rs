use super::*;

fn doc(rid: i64, conn: &str, updated_at: i64, name: &str, title: &str) -> IndexDoc {
    let mut texts: [Option<String>; FIELDS.len()] = Default::default();
    texts[0] = Some(name.to_string());
    texts[2] = Some(title.to_string());
    IndexDoc {
        rid,
        conn: conn.to_string(),
        updated_at: Some(updated_at),
        texts,
        facets: Vec::new(),
    }
}

fn at(through: i64) -> Position {
    Position {
        mirror: "m".into(),
        through,
        built_to: None,
        format: FORMAT,
    }
}

fn rids(index: &SearchIndex, conn: &str, all: &str, any: Option<&str>) -> Vec<i64> {
    index
        .rank(
            conn,
            &Words::new(Some(all), any),
            &Narrowing::default(),
            1_000,
            100,
        )
        .unwrap()
        .hits
        .iter()
        .map(|h| h.rid)
        .collect()
}

#[test]
fn ranks_name_over_title_then_newer_and_keeps_connections_apart() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.position().unwrap(), None);
    index
        .apply(
            vec![
                doc(1, "a", 900, "Ada Rust", "Engineer"),
                doc(2, "a", 100, "Bob Stone", "Rust engineer"),
                doc(3, "a", 950, "Cy Stone", "Rust engineer"),
                doc(4, "b", 999, "Ada Rust", "Engineer"),
            ],
            &[],
            &at(7),
            false,
        )
        .unwrap();
    assert_eq!(index.position().unwrap(), Some(at(7)));
    // The name weighs most; among equal relevance, the newer first.
    assert_eq!(rids(&index, "a", "rust", None), vec![1, 3, 2]);
    assert_eq!(rids(&index, "a", "stone engineer", None), vec![3, 2]);
    assert_eq!(rids(&index, "b", "rust", None), vec![4]);
    assert_eq!(rids(&index, "c", "rust", None), Vec::<i64>::new());
    // Prefixes and alternatives, and diacritics folded as FTS5 folds them.
    assert_eq!(rids(&index, "a", "sto*", None), vec![3, 2]);
    // Bob's name is the rarer word across the index, so he comes first.
    assert_eq!(rids(&index, "a", "engineer", Some("ada bob")), vec![2, 1]);
    assert_eq!(rids(&index, "a", "ádá", None), vec![1]);
    let ranked = index
        .rank(
            "a",
            &Words::new(Some("rust"), None),
            &Narrowing::default(),
            1_000,
            10,
        )
        .unwrap();
    assert_eq!(ranked.matches, 3);
    let top = ranked.hits[0];
    assert!((top.score - top.relevance - top.recency).abs() < 1e-9);
    assert!((top.recency - recency(1_000, Some(900))).abs() < 1e-12);
}

#[test]
fn a_change_replaces_the_document_and_a_removal_drops_it() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    index
        .apply(
            vec![
                doc(1, "a", 1, "Ada Rust", ""),
                doc(2, "a", 1, "Bo Rust", ""),
            ],
            &[],
            &at(2),
            false,
        )
        .unwrap();
    index
        .apply(
            vec![doc(1, "a", 2, "Ada Lovelace", "")],
            &[2],
            &at(4),
            false,
        )
        .unwrap();
    assert_eq!(rids(&index, "a", "rust", None), Vec::<i64>::new());
    assert_eq!(rids(&index, "a", "lovelace", None), vec![1]);
    assert_eq!(index.docs(), 1);
    index.apply(vec![], &[], &at(5), true).unwrap();
    assert_eq!(index.docs(), 0);
}

#[test]
fn a_window_keeps_the_best_and_counts_every_match() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let docs = (1..=500).map(|i| doc(i, "a", i, "Pat Smith", "")).collect();
    index.apply(docs, &[], &at(1), false).unwrap();
    let ranked = index
        .rank(
            "a",
            &Words::new(Some("smith"), None),
            &Narrowing::default(),
            1_000,
            5,
        )
        .unwrap();
    assert_eq!(ranked.matches, 500);
    let got: Vec<i64> = ranked.hits.iter().map(|h| h.rid).collect();
    assert_eq!(got, vec![500, 499, 498, 497, 496]);
}

#[test]
fn a_prefix_of_many_words_still_finds_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let docs = (0..MAX_PREFIX_TERMS as i64 + 1)
        .map(|i| doc(i, "a", 1, &format!("x{i}"), ""))
        .collect();
    index.apply(docs, &[], &at(1), false).unwrap();
    // Past the limit, each match scores the field's weight.
    let wide = index
        .rank(
            "a",
            &Words::new(Some("x*"), None),
            &Narrowing::default(),
            1,
            1_000,
        )
        .unwrap();
    assert_eq!(wide.matches, MAX_PREFIX_TERMS + 1);
    assert!(
        wide.hits
            .iter()
            .all(|h| h.relevance == f64::from(FIELD_WEIGHTS[0]))
    );
    assert_eq!(rids(&index, "a", "x12*", None).len(), 11); // x12, x120..x129
    assert!(rids(&index, "a", "y*", None).is_empty());
}

#[test]
fn a_second_keeper_of_one_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _first = SearchIndex::open(dir.path()).unwrap();
    assert!(matches!(SearchIndex::open(dir.path()), Err(Error::Busy(_))));
}

#[test]
fn facets_narrow_a_search_and_without_words_the_newest_come_first() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let with = |rid, updated, facets: &[&str]| IndexDoc {
        facets: facets.iter().map(|f| f.to_string()).collect(),
        ..doc(rid, "a", updated, "Pat Smith", "")
    };
    index
        .apply(
            vec![
                with(1, 10, &["stage:interview", "status:7"]),
                with(2, 30, &["stage:hired"]),
                with(3, 20, &["stage:interview"]),
                with(4, 40, &[]),
            ],
            &[],
            &at(1),
            false,
        )
        .unwrap();
    let ranked = |words: &str, facets: &[&[&str]]| -> Vec<i64> {
        let facets: Vec<Vec<String>> = facets
            .iter()
            .map(|g| g.iter().map(|f| f.to_string()).collect())
            .collect();
        index
            .rank(
                "a",
                &Words::new(Some(words), None),
                &Narrowing {
                    facets,
                    ..Default::default()
                },
                100,
                10,
            )
            .unwrap()
            .hits
            .iter()
            .map(|h| h.rid)
            .collect()
    };
    assert_eq!(ranked("", &[&["stage:interview"]]), vec![3, 1]);
    assert_eq!(
        ranked("", &[&["stage:interview", "stage:hired"]]),
        vec![2, 3, 1]
    );
    assert_eq!(ranked("", &[&["stage:interview"], &["status:7"]]), vec![1]);
    assert_eq!(ranked("smith", &[&["stage:hired"]]), vec![2]);
    assert_eq!(ranked("", &[]), vec![4, 2, 3, 1]);
}

#[test]
fn an_index_of_another_schema_is_started_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = tantivy::schema::Schema::builder();
    let old = b.add_text_field("old", tantivy::schema::TEXT);
    let other = tantivy::Index::create_in_dir(dir.path(), b.build()).unwrap();
    let mut writer: tantivy::IndexWriter = other.writer(15_000_000).unwrap();
    writer
        .add_document(tantivy::doc!(old => "left over"))
        .unwrap();
    writer.commit().unwrap();
    drop((writer, other));
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.docs(), 0);
    assert_eq!(index.position().unwrap(), None);
    index
        .apply(vec![doc(1, "a", 1, "Ada", "")], &[], &at(1), false)
        .unwrap();
    assert_eq!(rids(&index, "a", "ada", None), vec![1]);
}

#[test]
fn an_update_range_keeps_candidates_updated_within_it() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut never = doc(4, "a", 0, "Pat Smith", "");
    never.updated_at = None;
    let docs = vec![
        doc(1, "a", 10, "Pat Smith", ""),
        doc(2, "a", 20, "Pat Smith", ""),
        doc(3, "a", 30, "Pat Smith", ""),
        never,
    ];
    index.apply(docs, &[], &at(1), false).unwrap();
    let within = |from, to| -> Vec<i64> {
        let narrowing = Narrowing {
            updated_from: from,
            updated_to: to,
            ..Default::default()
        };
        let words = Words::new(Some("smith"), None);
        let ranked = index.rank("a", &words, &narrowing, 100, 10).unwrap();
        ranked.hits.iter().map(|h| h.rid).collect()
    };
    assert_eq!(within(Some(20), None), vec![3, 2]);
    assert_eq!(within(None, Some(20)), vec![2, 1]);
    assert_eq!(within(Some(15), Some(25)), vec![2]);
    assert_eq!(within(None, None), vec![3, 2, 1, 4]);
}
