//! The quota chart: requests spent per hour of the current window, stacked by lane, drawn here
//! as plain inline SVG (no script, no external asset), with a `<title>` per bar for the exact
//! numbers.

use ats_model::Timestamp;
use ats_sync::quota::{Lane, SpentHour};
use std::fmt::Write;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 12.0;

/// Each lane's colour, in [`Lane::ALL`]'s order.
pub const LANE_COLOURS: [&str; 5] = ["#7b3fa0", "#1f77b4", "#2ca02c", "#ff7f0e", "#8c8c8c"];

fn hour_of(t: Timestamp) -> Timestamp {
    t - t.rem_euclid(3600)
}

fn clock(t: Timestamp) -> String {
    format!("{:02}:00", t.rem_euclid(86_400) / 3600)
}

/// The hours the chart shows: from the window's start (a day before it resets, else a day ago)
/// to the hour of `now`.
fn hours(reset_at: Option<Timestamp>, now: Timestamp) -> Vec<Timestamp> {
    let end = hour_of(now);
    let start =
        hour_of(reset_at.map_or(now - 23 * 3600, |r| r - 86_400)).clamp(end - 24 * 3600, end);
    (0..)
        .map(|i| start + i * 3600)
        .take_while(|h| *h <= end)
        .collect()
}

/// The chart of `spent` over the window ending at `reset_at`.
pub fn quota_chart(spent: &[SpentHour], reset_at: Option<Timestamp>, now: Timestamp) -> String {
    let hours = hours(reset_at, now);
    let totals: Vec<[u64; 5]> = hours
        .iter()
        .map(|h| {
            spent
                .iter()
                .find(|s| s.hour == *h)
                .map_or([0; 5], |s| s.spent)
        })
        .collect();
    let top = totals
        .iter()
        .map(|t| t.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - BOTTOM - TOP;
    let slot = plot_w / hours.len().max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" id="quota-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Requests spent per hour of the current quota window, by lane" xmlns="http://www.w3.org/2000/svg">"#
    );
    let base = TOP + plot_h;
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{base}" x2="{}" y2="{base}" stroke="#444"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#444"/>"##,
        WIDTH - 8.0
    );
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="end" class="axis">{top}</text><text x="{}" y="{base}" text-anchor="end" class="axis">0</text>"#,
        LEFT - 6.0,
        TOP + 10.0,
        LEFT - 6.0
    );
    for (i, (hour, spent)) in hours.iter().zip(&totals).enumerate() {
        let x = LEFT + i as f64 * slot + slot * 0.15;
        let w = slot * 0.7;
        let mut y = base;
        let total: u64 = spent.iter().sum();
        let detail: Vec<String> = Lane::ALL
            .iter()
            .zip(spent)
            .filter(|(_, n)| **n > 0)
            .map(|(lane, n)| format!("{} {n}", lane.as_str()))
            .collect();
        let _ = write!(
            svg,
            r#"<g class="bar" data-hour="{hour}" data-total="{total}"><title>{} UTC: {total} requests{}{}</title>"#,
            clock(*hour),
            if detail.is_empty() { "" } else { " — " },
            detail.join(", ")
        );
        for (lane, n) in spent.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let h = plot_h * *n as f64 / top as f64;
            y -= h;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{}"/>"#,
                LANE_COLOURS[lane]
            );
        }
        svg.push_str("</g>");
        // An hour label every few bars, so they do not overlap.
        if i % 3 == 0 || i + 1 == hours.len() {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" text-anchor="middle" class="axis">{}</text>"#,
                x + w / 2.0,
                HEIGHT - 6.0,
                clock(*hour)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_has_a_bar_per_hour_of_the_window_with_its_total() {
        let now = 10 * 3600 + 120;
        let spent = [
            SpentHour {
                hour: 8 * 3600,
                spent: [1, 0, 0, 0, 9],
            },
            SpentHour {
                hour: 10 * 3600,
                spent: [0, 3, 0, 0, 0],
            },
        ];
        let svg = quota_chart(&spent, Some(now + 3600), now);
        // The window started a day before the reset: 23 hours ago, floored, to now's hour.
        assert_eq!(svg.matches("<g class=\"bar\"").count(), 24);
        assert!(
            svg.contains(r#"data-hour="28800" data-total="10""#),
            "{svg}"
        );
        assert!(svg.contains("08:00 UTC: 10 requests — interactive 1, backfill 9"));
        assert!(svg.contains(r#"data-hour="36000" data-total="3""#));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn an_unknown_reset_shows_the_last_day() {
        let svg = quota_chart(&[], None, 50 * 3600);
        assert_eq!(svg.matches("<g class=\"bar\"").count(), 24);
    }
}
