//! The index's fields: the text columns FTS5 indexes, with the same weights, and what ranking,
//! filters and upkeep need besides (row id, connection, facets, update time).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// The searchable texts of a candidate, in the order of [`crate::IndexDoc::texts`].
pub const FIELDS: [&str; 7] = [
    "name", "emails", "title", "company", "skills", "resume", "location",
];

/// How much a match in each of [`FIELDS`] counts: those of SQLite's `bm25()` call, so both
/// rank a name above a résumé mention.
pub const FIELD_WEIGHTS: [f32; 7] = [10.0, 8.0, 4.0, 3.0, 3.0, 1.0, 1.0];

/// `updated_at` of a candidate without one: every document has a value, so the column is
/// dense and read without a lookup of which documents have one.
pub(crate) const NO_UPDATE: i64 = i64::MIN;

pub(crate) struct Fields {
    pub(crate) rid: Field,
    pub(crate) conn: Field,
    /// The store's facets of the candidate (`stage:interview`, `status:…`), whole.
    pub(crate) facet: Field,
    pub(crate) updated_at: Field,
    pub(crate) texts: [Field; FIELDS.len()],
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let rid = b.add_i64_field("rid", INDEXED | FAST);
    let conn = b.add_text_field("conn", STRING);
    let facet = b.add_text_field("facet", STRING);
    let updated_at = b.add_i64_field("updated_at", FAST);
    // Text arrives cut into terms (see `IndexDoc`), joined by spaces; frequencies and field
    // lengths are kept for BM25, positions are not (a search is an AND of words, no phrases).
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("whitespace")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let texts = FIELDS.map(|name| b.add_text_field(name, text.clone()));
    (
        b.build(),
        Fields {
            rid,
            conn,
            facet,
            updated_at,
            texts,
        },
    )
}
