//! Times `SearchIndex::rank` on an index directory: `rank_probe DIR CONN WORDS...`.
use ats_search_index::{SearchIndex, Words};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("DIR");
    let conn = args.next().expect("CONN");
    let index = SearchIndex::open(std::path::Path::new(&dir)).expect("open");
    println!("{} docs", index.docs());
    for text in args {
        let words = Words::new(Some(&text), None);
        for window in [50usize, 400] {
            let mut times = Vec::new();
            let mut matches = 0;
            for _ in 0..7 {
                let t = Instant::now();
                let r = index
                    .rank(&conn, &words, &Default::default(), 1_760_000_000, window)
                    .unwrap();
                times.push(t.elapsed().as_secs_f64() * 1e3);
                matches = r.matches;
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{text:<20} window {window:>4}: median {:.2} ms, {matches} matches",
                times[3]
            );
        }
    }
}
