//! Charts drawn on the server as SVG (R10.5): horizontal bars (side by side or stacked) and
//! lines, each series told apart by a pattern or a dash and a marker as well as by colour, with
//! its value written at the end of each bar, so a chart reads in greyscale, printed, or zoomed.
//! The page puts the chart's data table beside it; the SVG carries a title and the table's
//! summary for screen readers.
//!
//! This module only lays shapes out; `templates/chart.html` writes them, escaping every label.

/// How many series a chart tells apart: a fill pattern, a dash and a marker each.
pub(crate) const STYLES: usize = 6;

/// Width of every chart's drawing, in SVG units (it scales to the page).
const WIDTH: f64 = 640.0;
/// Room on the left of a bar chart for the groups' names.
const BAR_LABELS: f64 = 190.0;
/// Room on the right of a bar for its value.
const VALUE_ROOM: f64 = 44.0;
const BAR: f64 = 16.0;
const GROUP_GAP: f64 = 14.0;
const TOP: f64 = 10.0;
/// Room below the plot for the axis numbers.
const AXIS: f64 = 26.0;
/// The longest group name drawn in full; the table beside has every name whole.
const LABEL_CHARS: usize = 28;

/// One series: its name and a value per category.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub(crate) name: String,
    pub(crate) values: Vec<f64>,
}

/// A bar, a segment of a stacked bar, or a marker on a line: where it is, which series it is,
/// and what it says when read out or hovered.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    pub(crate) x: String,
    pub(crate) y: String,
    pub(crate) width: String,
    pub(crate) height: String,
    pub(crate) style: usize,
    pub(crate) tip: String,
}

/// Words drawn on the chart.
#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub(crate) x: String,
    pub(crate) y: String,
    pub(crate) text: String,
    /// `start`, `middle` or `end`.
    pub(crate) anchor: &'static str,
    /// The whole text, when `text` was shortened.
    pub(crate) full: Option<String>,
}

/// A line of the axis grid with its number.
#[derive(Debug, Clone)]
pub(crate) struct Tick {
    pub(crate) x1: String,
    pub(crate) y1: String,
    pub(crate) x2: String,
    pub(crate) y2: String,
    pub(crate) label: Label,
}

/// A line of a line chart.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) points: String,
    pub(crate) style: usize,
}

/// A chart laid out, ready for `chart.html`.
#[derive(Debug, Clone)]
pub(crate) struct Chart {
    /// Unique on the page: the patterns' and the title's ids start with it.
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) height: String,
    pub(crate) bars: Vec<Mark>,
    pub(crate) markers: Vec<Mark>,
    pub(crate) lines: Vec<Line>,
    pub(crate) labels: Vec<Label>,
    pub(crate) ticks: Vec<Tick>,
    /// The series' names with their style, for the legend.
    pub(crate) legend: Vec<(usize, String)>,
}

fn at(value: f64) -> String {
    format!("{value:.1}")
}

/// The number as the chart writes it: whole numbers without decimals.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// A round top for the axis, at least `max`, and how many equal steps reach it so that every
/// step is a round number too: 1 in 5 steps, 2 in 4, 5 in 5, times a power of ten.
fn axis_top(max: f64) -> (f64, u32) {
    if max <= 0.0 {
        return (1.0, 1);
    }
    let power = 10f64.powf(max.log10().floor());
    [(1.0, 5), (2.0, 4), (5.0, 5), (10.0, 5)]
        .iter()
        .map(|(top, steps)| (top * power, *steps))
        .find(|(top, _)| *top >= max)
        .unwrap_or((10.0 * power, 5))
}

fn shortened(text: &str) -> (String, Option<String>) {
    if text.chars().count() <= LABEL_CHARS {
        (text.to_owned(), None)
    } else {
        let short: String = text.chars().take(LABEL_CHARS - 1).collect();
        (format!("{short}…"), Some(text.to_owned()))
    }
}

/// Grid lines from zero to `top` in `steps`, along x (`horizontal`) or y.
fn ticks(axis: (f64, u32), plot: (f64, f64, f64, f64), horizontal: bool) -> Vec<Tick> {
    let (top, steps) = axis;
    let (left, right, upper, lower) = plot;
    let share = |step: u32| f64::from(step) / f64::from(steps);
    (0..=steps)
        .map(|step| {
            let value = top * share(step);
            if horizontal {
                let x = left + (right - left) * share(step);
                Tick {
                    x1: at(x),
                    y1: at(upper),
                    x2: at(x),
                    y2: at(lower),
                    label: Label {
                        x: at(x),
                        y: at(lower + 18.0),
                        text: number(value),
                        anchor: "middle",
                        full: None,
                    },
                }
            } else {
                let y = lower - (lower - upper) * share(step);
                Tick {
                    x1: at(left),
                    y1: at(y),
                    x2: at(right),
                    y2: at(y),
                    label: Label {
                        x: at(left - 6.0),
                        y: at(y + 5.0),
                        text: number(value),
                        anchor: "end",
                        full: None,
                    },
                }
            }
        })
        .collect()
}

impl Chart {
    fn empty(id: &str, title: &str, summary: &str, series: &[Series]) -> Self {
        Self {
            id: id.to_owned(),
            title: title.to_owned(),
            summary: summary.to_owned(),
            height: String::new(),
            bars: Vec::new(),
            markers: Vec::new(),
            lines: Vec::new(),
            labels: Vec::new(),
            ticks: Vec::new(),
            legend: series
                .iter()
                .enumerate()
                .map(|(style, it)| (style % STYLES, it.name.clone()))
                .collect(),
        }
    }

    /// Horizontal bars, a group per category: side by side (`stacked` false) or one bar of
    /// segments (`stacked` true).
    pub(crate) fn bars(
        id: &str,
        title: &str,
        summary: &str,
        categories: &[String],
        series: &[Series],
        stacked: bool,
    ) -> Self {
        let mut chart = Self::empty(id, title, summary, series);
        let per_group = if stacked {
            1.0
        } else {
            series.len().max(1) as f64
        };
        let group_height = per_group * BAR + GROUP_GAP;
        let lower = TOP + group_height * categories.len() as f64;
        let (left, right) = (BAR_LABELS, WIDTH - VALUE_ROOM);
        let value = |series: &Series, category: usize| {
            series.values.get(category).copied().unwrap_or(0.0).max(0.0)
        };
        let max = (0..categories.len())
            .map(|category| {
                let values = series.iter().map(|it| value(it, category));
                if stacked {
                    values.sum()
                } else {
                    values.fold(0.0, f64::max)
                }
            })
            .fold(0.0, f64::max);
        let axis = axis_top(max);
        let top = axis.0;
        let scale = |value: f64| (right - left) * value / top;
        for (category, name) in categories.iter().enumerate() {
            let group_top = TOP + group_height * category as f64 + GROUP_GAP / 2.0;
            let (text, full) = shortened(name);
            chart.labels.push(Label {
                x: at(left - 8.0),
                y: at(group_top + per_group * BAR / 2.0 + 5.0),
                text,
                anchor: "end",
                full,
            });
            let mut along = left;
            for (index, it) in series.iter().enumerate() {
                let amount = value(it, category);
                let y = if stacked {
                    group_top
                } else {
                    group_top + BAR * index as f64
                };
                let x = if stacked { along } else { left };
                chart.bars.push(Mark {
                    x: at(x),
                    y: at(y),
                    width: at(scale(amount)),
                    height: at(BAR - 2.0),
                    style: index % STYLES,
                    tip: format!("{name}, {}: {}", it.name, number(amount)),
                });
                along += scale(amount);
                if !stacked {
                    chart.labels.push(Label {
                        x: at(left + scale(amount) + 4.0),
                        y: at(y + BAR - 4.0),
                        text: number(amount),
                        anchor: "start",
                        full: None,
                    });
                }
            }
            if stacked {
                let total: f64 = series.iter().map(|it| value(it, category)).sum();
                chart.labels.push(Label {
                    x: at(along + 4.0),
                    y: at(group_top + BAR - 4.0),
                    text: number(total),
                    anchor: "start",
                    full: None,
                });
            }
        }
        chart.ticks = ticks(axis, (left, right, TOP, lower), true);
        chart.height = at(lower + AXIS);
        chart
    }

    /// A line per series across the categories (months), each point marked.
    pub(crate) fn lines(
        id: &str,
        title: &str,
        summary: &str,
        categories: &[String],
        series: &[Series],
    ) -> Self {
        let mut chart = Self::empty(id, title, summary, series);
        // Room on the right for the last month's name, centred on its point.
        let (left, right, upper, lower) = (48.0, WIDTH - 36.0, TOP, 230.0);
        let max = series
            .iter()
            .flat_map(|it| it.values.iter().copied())
            .fold(0.0, f64::max);
        let axis = axis_top(max);
        let top = axis.0;
        let step = if categories.len() > 1 {
            (right - left) / (categories.len() - 1) as f64
        } else {
            0.0
        };
        let x_of = |index: usize| {
            if categories.len() > 1 {
                left + step * index as f64
            } else {
                (left + right) / 2.0
            }
        };
        let y_of = |value: f64| lower - (lower - upper) * value.max(0.0) / top;
        // Every month named when there is room; otherwise every other, or every third.
        let every = categories.len().div_ceil(12).max(1);
        for (index, name) in categories.iter().enumerate() {
            if index % every == 0 {
                chart.labels.push(Label {
                    x: at(x_of(index)),
                    y: at(lower + 18.0),
                    text: name.clone(),
                    anchor: "middle",
                    full: None,
                });
            }
        }
        for (index, it) in series.iter().enumerate() {
            let style = index % STYLES;
            let points: Vec<String> = it
                .values
                .iter()
                .enumerate()
                .map(|(position, value)| format!("{},{}", at(x_of(position)), at(y_of(*value))))
                .collect();
            chart.lines.push(Line {
                points: points.join(" "),
                style,
            });
            for (position, value) in it.values.iter().enumerate() {
                chart.markers.push(Mark {
                    x: at(x_of(position)),
                    y: at(y_of(*value)),
                    width: String::new(),
                    height: String::new(),
                    style,
                    tip: format!(
                        "{}, {}: {}",
                        categories.get(position).map_or("", String::as_str),
                        it.name,
                        number(*value)
                    ),
                });
            }
        }
        chart.ticks = ticks(axis, (left, right, upper, lower), false);
        chart.height = at(lower + AXIS);
        chart
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, values: &[f64]) -> Series {
        Series {
            name: name.to_owned(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn the_axis_ends_at_a_round_number_at_or_above_the_largest_value() {
        // (largest value, (top of the axis, steps to it))
        let cases = [
            (0.0, (1.0, 1)),
            (1.0, (1.0, 5)),
            (3.0, (5.0, 5)),
            (7.0, (10.0, 5)),
            (12.0, (20.0, 4)),
            (250.0, (500.0, 5)),
        ];
        for (max, axis) in cases {
            assert_eq!(axis_top(max), axis, "{max}");
        }
    }

    #[test]
    fn bars_are_as_long_as_their_values_and_say_them() {
        let chart = Chart::bars(
            "schemes",
            "By scheme",
            "",
            &[
                "Reverse mentoring".to_owned(),
                "A scheme with a very long name indeed".to_owned(),
            ],
            &[
                series("Matches", &[10.0, 5.0]),
                series("Completed", &[2.0, 0.0]),
            ],
            false,
        );
        let widths: Vec<&str> = chart.bars.iter().map(|it| it.width.as_str()).collect();
        // The plot is 406 wide and the axis ends at 10.
        assert_eq!(widths, ["406.0", "81.2", "203.0", "0.0"]);
        assert_eq!(chart.bars[1].tip, "Reverse mentoring, Completed: 2");
        assert_eq!(
            chart.bars[1].style, 1,
            "the second series has the second pattern"
        );
        let names: Vec<(&str, Option<&str>)> = chart
            .labels
            .iter()
            .filter(|it| it.anchor == "end")
            .map(|it| (it.text.as_str(), it.full.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("Reverse mentoring", None),
                (
                    "A scheme with a very long n…",
                    Some("A scheme with a very long name indeed")
                ),
            ]
        );
        let values: Vec<&str> = chart
            .labels
            .iter()
            .filter(|it| it.anchor == "start")
            .map(|it| it.text.as_str())
            .collect();
        assert_eq!(values, ["10", "2", "5", "0"]);
    }

    #[test]
    fn stacked_segments_follow_each_other_and_the_total_is_written() {
        let chart = Chart::bars(
            "applications",
            "Applications",
            "",
            &["To mentor".to_owned()],
            &[series("Approved", &[3.0]), series("Matched", &[2.0])],
            true,
        );
        let xs: Vec<&str> = chart.bars.iter().map(|it| it.x.as_str()).collect();
        assert_eq!(xs, ["190.0", "433.6"]);
        assert!(
            chart
                .labels
                .iter()
                .any(|it| it.text == "5" && it.anchor == "start")
        );
    }

    #[test]
    fn a_line_has_a_point_per_month_and_each_is_marked() {
        let months: Vec<String> = ["Jan 2026", "Feb 2026", "Mar 2026"]
            .iter()
            .map(|it| (*it).to_owned())
            .collect();
        let chart = Chart::lines(
            "monthly",
            "Month by month",
            "",
            &months,
            &[
                series("Matches", &[0.0, 2.0, 1.0]),
                series("Sessions", &[4.0, 0.0, 0.0]),
            ],
        );
        assert_eq!(chart.lines.len(), 2);
        // The axis runs to 5, the round number above the largest value, 4.
        assert_eq!(chart.lines[0].points, "48.0,230.0 326.0,142.0 604.0,186.0");
        assert_eq!(chart.markers.len(), 6);
        assert_eq!(chart.markers[1].tip, "Feb 2026, Matches: 2");
        assert_eq!(
            chart.legend,
            [(0, "Matches".to_owned()), (1, "Sessions".to_owned())]
        );
    }
}
