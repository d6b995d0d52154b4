//! Fit: how well a person fits a job, as named score parts a recruiter can read.
//!
//! A job is read once into a [`JobAsk`] (title words, seniority, required and nice-to-have
//! skills, city, the words of its description); a person into an [`Offer`] (current and past
//! titles, seniority from the title or the years of their work history, listed skills, the text
//! of their résumé and history, city). [`fit_parts`] compares the two:
//!
//! | part | points | what earns them |
//! | --- | --- | --- |
//! | `title` | 25 | the job title's words in the current title (a past title counts 60%) |
//! | `skills` | 28 | 24 for the required skills (all of them for two thirds, none for a third or less), 4 spread over the nice-to-have ones; listed or in the résumé / history, any known spelling |
//! | `seniority` | 15 | same level 15, one apart 12, further 0 |
//! | `location` | 25 | same city 25, same region 10 |
//! | `resume` | 7 | the job's description words in the résumé and history, rarer words weighing more |
//!
//! Review and rediscovery add their own parts (recency, stage) after these. Everything here is
//! pure: no mirror, no clock beyond the `now` passed in.

mod ask;
mod parts;
pub mod vocab;
pub mod words;

pub use ask::{JobAsk, Offer, SkillAsk};
pub use parts::{BEST_ELSEWHERE, Idf, fit_parts, location, resume, seniority, skills, title};

use serde::Serialize;

/// One named part of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorePart {
    pub name: &'static str,
    pub points: f64,
    pub reason: String,
}

/// The most points the fit parts give together.
pub const FIT_MAX: f64 = 100.0;
