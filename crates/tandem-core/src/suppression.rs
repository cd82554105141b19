//! Small-number suppression for equality monitoring (R10.3): a funnel table of one protected
//! characteristic (a row per group, a column per stage, with a total per stage) becomes a table
//! that can be published without anyone reading or working out a count below the threshold.
//!
//! Counts below the threshold show as "fewer than" it, zero included (primary suppression).
//! Further counts are then hidden (secondary suppression) until a reader who knows every shown
//! number, what each mark implies ("fewer than t" is 0 to t-1; "hidden" is at least t, or it
//! would say "fewer than"), that totals add up, that counts are whole and that no stage has more
//! people than the one before, still cannot pin any suppressed count or total to one value.
//!
//! # Why the check is exact
//!
//! The table is a circulation. Each person of group g flows from a source along g's stages and
//! leaves at the furthest stage they reached into that stage's collector; collectors drain into
//! the one before, the first into a sink, and the sink back into the source:
//!
//! ```text
//! source -> (g,0) -> (g,1) -> ...        cells: the flow is the count
//! (g,s) -> collector s                   people whose furthest stage is s: at least 0
//! collector s+1 -> collector s           total of stage s+1 (collector 0 -> sink: of stage 0)
//! sink -> source                         the grand total again
//! ```
//!
//! Conservation makes the flow from (g,s) to its collector the people who stopped at stage s,
//! whose bound of 0 is the rule that no stage grows; conservation at collectors is the totals
//! adding up. So the tables a reader cannot rule out are exactly the whole-number circulations
//! within the bounds each mark gives. A count can have another value if and only if the true
//! circulation's residual graph has a cycle through the count's arc (not merely along it and
//! straight back): one person pushed round such a cycle is another consistent table; and the
//! difference between the true table and any other consistent one is a circulation that splits
//! into cycles agreeing in direction with it on every arc, so one person round the cycle through
//! that arc stays between the two tables, hence in bounds. The check is exact, not conservative.
//!
//! Where a count has no such cycle, Dijkstra finds the cheapest path that would close one if
//! some shown counts were hidden (fewest counts, then smallest), and those are hidden. Every arc
//! on a cycle is free, and hiding only widens what a reader allows, so each suppressed count is
//! checked once. A count may stay pinned even with every other count hidden (two groups of 1
//! at threshold 2: hidden totals say "at least 2", each count "at most 1", so both are 1); then
//! the totals are withheld, saying nothing, and hiding always succeeds: with no totals to keep,
//! a count below t-1 can grow with the equal counts before it in its row, one above 0 can
//! shrink with the equal counts after it, and a hidden one can grow with those before it (at
//! least t, so hidden or hideable).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The smallest count an equality report shows as a number: an organisation setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Threshold(u32);

impl Threshold {
    /// The threshold unless an organisation sets another.
    pub const DEFAULT: u32 = 5;
    /// The largest threshold accepted: beyond it nearly every table would be blank.
    pub const MAX: u32 = 100;

    /// A threshold from its number, when it is from 1 to [`Self::MAX`].
    pub fn new(value: u32) -> Option<Self> {
        (1..=Self::MAX).contains(&value).then_some(Self(value))
    }

    /// A threshold from a setting's value.
    pub fn parse(raw: &str) -> Result<Self, ThresholdError> {
        let raw = raw.trim();
        raw.parse()
            .ok()
            .and_then(Self::new)
            .ok_or_else(|| ThresholdError {
                raw: raw.chars().take(40).collect(),
            })
    }

    /// The number: counts below it are not shown.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for Threshold {
    fn default() -> Self {
        Self(Self::DEFAULT)
    }
}

/// A threshold setting that is not a whole number from 1 to 100.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the small-number threshold '{raw}' is not a whole number from 1 to 100; enter one such as 5, \
     or 1 to show every count"
)]
pub struct ThresholdError {
    /// What was given.
    pub raw: String,
}

/// How one count of a published table appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shown {
    /// The count itself.
    Count(u64),
    /// Below the threshold (the number held), zero included.
    FewerThan(u32),
    /// At least the threshold, hidden so that a smaller count cannot be worked out.
    Hidden,
    /// Not published, and implying nothing about the count: the totals of a table that hiding
    /// alone cannot protect.
    Withheld,
}

/// Counts of one protected characteristic: a row per group, a column per funnel stage in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funnel {
    rows: Vec<Vec<u64>>,
    totals: Vec<u64>,
}

/// Why counts cannot be a funnel: a fault in the counting, which suppression relies on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FunnelError {
    /// Groups counted at different numbers of stages.
    #[error(
        "group {group} has {found} stage counts where group 1 has {expected}; count every group \
         at every stage"
    )]
    Ragged {
        /// The group (from 1).
        group: usize,
        /// Stages of the first group.
        expected: usize,
        /// Stages of this group.
        found: usize,
    },
    /// A stage with more people than the one before.
    #[error(
        "group {group} has {later} at stage {stage} but {earlier} at the stage before; count \
         each stage among the people of the one before"
    )]
    Grows {
        /// The group (from 1).
        group: usize,
        /// The stage that grew (from 1).
        stage: usize,
        /// The count at the stage before.
        earlier: u64,
        /// The count at this stage.
        later: u64,
    },
    /// A total beyond what a count can hold.
    #[error("the counts of stage {stage} add up to more than a count can hold; check the counting")]
    TooLarge {
        /// The stage (from 1).
        stage: usize,
    },
}

impl Funnel {
    /// A funnel from its rows (`rows[group][stage]`): all as long, none growing along the way.
    pub fn new(rows: Vec<Vec<u64>>) -> Result<Self, FunnelError> {
        let stages = rows.first().map_or(0, Vec::len);
        let mut totals = vec![0_u64; stages];
        for (idx, row) in rows.iter().enumerate() {
            if row.len() != stages {
                return Err(FunnelError::Ragged {
                    group: idx + 1,
                    expected: stages,
                    found: row.len(),
                });
            }
            if let Some(stage) = row.windows(2).position(|pair| pair[1] > pair[0]) {
                return Err(FunnelError::Grows {
                    group: idx + 1,
                    stage: stage + 2,
                    earlier: row[stage],
                    later: row[stage + 1],
                });
            }
            for (stage, (total, &count)) in totals.iter_mut().zip(row).enumerate() {
                *total = total
                    .checked_add(count)
                    .ok_or(FunnelError::TooLarge { stage: stage + 1 })?;
            }
        }
        Ok(Self { rows, totals })
    }

    /// The counts, `rows()[group][stage]`.
    pub fn rows(&self) -> &[Vec<u64>] {
        &self.rows
    }

    /// The total of each stage across groups.
    pub fn totals(&self) -> &[u64] {
        &self.totals
    }
}

/// A funnel as it may be published: `cells[group][stage]`, and a total per stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressedFunnel {
    /// The counts, as shown.
    pub cells: Vec<Vec<Shown>>,
    /// The totals, as shown.
    pub totals: Vec<Shown>,
}

/// The funnel as it may be published: counts below `threshold` shown as fewer than it, and
/// enough others hidden that none of them can be worked out.
pub fn suppress(funnel: &Funnel, threshold: Threshold) -> SuppressedFunnel {
    let network = Network::new(funnel);
    let t = u64::from(threshold.get());
    let primary: Vec<Shown> = network
        .arcs
        .iter()
        .map(|arc| match arc.published {
            false => Shown::Withheld,
            // "Fewer than 1" would say "0", so threshold 1 shows everything.
            true if t > 1 && arc.flow < t => Shown::FewerThan(threshold.get()),
            true => Shown::Count(arc.flow),
        })
        .collect();
    let shown = protect(&network, t, primary.clone())
        .or_else(|| {
            let mut withheld = primary;
            for mark in &mut withheld[network.totals.clone()] {
                *mark = Shown::Withheld;
            }
            protect(&network, t, withheld)
        })
        // Not reached (with totals withheld, every count can be freed by hiding, as the module
        // documentation argues), but a table must never go out unprotected.
        .unwrap_or_else(|| vec![Shown::Withheld; network.arcs.len()]);
    SuppressedFunnel {
        cells: (0..network.groups)
            .map(|group| shown[group * network.stages..(group + 1) * network.stages].to_vec())
            .collect(),
        totals: shown[network.totals].to_vec(),
    }
}

const SOURCE: usize = 0;
const SINK: usize = 1;

/// An arc of the circulation, carrying `flow` people.
#[derive(Debug, Clone, Copy)]
struct Arc {
    from: usize,
    to: usize,
    flow: u64,
    /// A cell or a total, rather than an arc only the model needs.
    published: bool,
}

/// The funnel as a circulation (see the module documentation).
#[derive(Debug)]
struct Network {
    groups: usize,
    stages: usize,
    nodes: usize,
    /// Cells row by row, then totals, then the rest: an arc's index is its place in the table.
    arcs: Vec<Arc>,
    totals: std::ops::Range<usize>,
}

impl Network {
    fn new(funnel: &Funnel) -> Self {
        let groups = funnel.rows.len();
        let stages = funnel.totals.len();
        let cell = |group: usize, stage: usize| 2 + group * stages + stage;
        let collector = |stage: usize| 2 + groups * stages + stage;
        let mut arcs = Vec::with_capacity(2 * groups * stages + stages + 1);
        let mut add = |from, to, flow, published| {
            arcs.push(Arc {
                from,
                to,
                flow,
                published,
            });
        };
        for (group, row) in funnel.rows.iter().enumerate() {
            for (stage, &count) in row.iter().enumerate() {
                let from = stage.checked_sub(1).map_or(SOURCE, |it| cell(group, it));
                add(from, cell(group, stage), count, true);
            }
        }
        for (stage, &total) in funnel.totals.iter().enumerate() {
            let to = stage.checked_sub(1).map_or(SINK, collector);
            add(collector(stage), to, total, true);
        }
        for (group, row) in funnel.rows.iter().enumerate() {
            for (stage, &count) in row.iter().enumerate() {
                let went_on = row.get(stage + 1).copied().unwrap_or(0);
                add(cell(group, stage), collector(stage), count - went_on, false);
            }
        }
        let grand_total = funnel.totals.first().copied().unwrap_or(0);
        add(SINK, SOURCE, grand_total, false);
        Self {
            groups,
            stages,
            nodes: collector(stages),
            arcs,
            totals: groups * stages..(groups + 1) * stages,
        }
    }

    /// Every way one more person could go round as a reader sees the table, with what it costs
    /// to open: nothing for the slack a reader already allows, or hiding a shown count.
    fn steps(&self, shown: &[Shown], threshold: u64) -> Vec<Vec<Step>> {
        let mut steps = vec![Vec::new(); self.nodes];
        for (idx, (arc, &mark)) in self.arcs.iter().zip(shown).enumerate() {
            let ((low, high), cost) = match mark {
                // A shown count is at least the threshold, so hiding it says only that.
                Shown::Count(count) => ((threshold, None), (1, count)),
                mark => (bounds(mark, threshold), FREE),
            };
            let more = high.is_none_or(|high| arc.flow < high);
            for (open, at, to) in [(more, arc.from, arc.to), (arc.flow > low, arc.to, arc.from)] {
                if open {
                    steps[at].push(Step { to, arc: idx, cost });
                }
            }
        }
        steps
    }
}

/// What a reader knows of a count from its mark: at least the first, at most the second
/// (`None`: no limit).
fn bounds(mark: Shown, threshold: u64) -> (u64, Option<u64>) {
    match mark {
        Shown::Count(count) => (count, Some(count)),
        Shown::FewerThan(below) => (0, Some(u64::from(below).saturating_sub(1))),
        Shown::Hidden => (threshold, None),
        Shown::Withheld => (0, None),
    }
}

/// Counts newly hidden, then the people in them: fewer counts first, then smaller ones.
type Cost = (u32, u64);

const FREE: Cost = (0, 0);

/// One person more along an arc, or one fewer (going against it), to node `to`.
#[derive(Debug, Clone, Copy)]
struct Step {
    to: usize,
    arc: usize,
    cost: Cost,
}

/// `shown` with counts hidden until no suppressed count or total can be pinned, or `None` when
/// one cannot be freed even with every other count hidden.
fn protect(network: &Network, threshold: u64, mut shown: Vec<Shown>) -> Option<Vec<Shown>> {
    // Every arc on a cycle can move, and hiding only widens what a reader allows, so an arc
    // once on a cycle stays free and needs no second look.
    let mut free = vec![false; network.arcs.len()];
    let mut steps = network.steps(&shown, threshold);
    for (idx, arc) in network.arcs.iter().enumerate() {
        if free[idx] || !arc.published || matches!(shown[idx], Shown::Count(_)) {
            continue;
        }
        let (low, high) = bounds(shown[idx], threshold);
        let more = high
            .is_none_or(|high| arc.flow < high)
            .then(|| cheapest_path(&steps, arc.to, arc.from, idx))
            .flatten();
        let fewer = match &more {
            Some((FREE, _)) => None,
            _ if arc.flow > low => cheapest_path(&steps, arc.from, arc.to, idx),
            _ => None,
        };
        let (cost, cycle) = more
            .into_iter()
            .chain(fewer)
            .min_by_key(|(cost, _)| *cost)?;
        for it in cycle {
            free[it] = true;
            if let Shown::Count(_) = shown[it] {
                shown[it] = Shown::Hidden;
            }
        }
        if cost != FREE {
            steps = network.steps(&shown, threshold);
        }
    }
    Some(shown)
}

/// The cheapest way from `from` to `to` not using arc `skip`, and the arcs it goes along; ties
/// go the same way every time, so a table is always suppressed alike.
fn cheapest_path(
    steps: &[Vec<Step>],
    from: usize,
    to: usize,
    skip: usize,
) -> Option<(Cost, Vec<usize>)> {
    let mut best: Vec<Option<Cost>> = vec![None; steps.len()];
    let mut came_by: Vec<Option<(usize, usize)>> = vec![None; steps.len()];
    let mut queue = BinaryHeap::from([Reverse((FREE, from))]);
    best[from] = Some(FREE);
    while let Some(Reverse((cost, node))) = queue.pop() {
        if best[node].is_some_and(|known| known < cost) {
            continue;
        }
        if node == to {
            let mut arcs = Vec::new();
            let mut at = to;
            while let Some((before, arc)) = came_by[at] {
                arcs.push(arc);
                at = before;
            }
            return Some((cost, arcs));
        }
        for step in steps[node].iter().filter(|step| step.arc != skip) {
            let next = (cost.0 + step.cost.0, cost.1.saturating_add(step.cost.1));
            if best[step.to].is_none_or(|known| next < known) {
                best[step.to] = Some(next);
                came_by[step.to] = Some((node, step.arc));
                queue.push(Reverse((next, step.to)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};
    use proptest::prelude::*;

    /// Brute force, written apart from the product: every table consistent with what is
    /// published, each count at most `cap`, and the places (cells, then totals) that take a
    /// single value in all of them. Capping only drops tables, so it can only make the attacker
    /// stronger; a cap above every true count leaves room to move a hidden count up.
    fn pinned_by_search(published: &SuppressedFunnel, threshold: u32, cap: u64) -> Vec<String> {
        let stages = published.totals.len();
        let marks = [published.cells.concat(), published.totals.clone()].concat();
        let mut search = BruteForce {
            marks: &marks,
            groups: published.cells.len(),
            stages,
            threshold: u64::from(threshold),
            cap,
            table: Vec::new(),
            sums: vec![0; stages],
            first: vec![None; marks.len()],
            varied: vec![false; marks.len()],
        };
        search.fill(0);
        (0..marks.len())
            .filter(|&idx| !matches!(marks[idx], Shown::Count(_)) && !search.varied[idx])
            .map(|idx| match idx.checked_sub(search.groups * stages) {
                Some(stage) => format!("total {}", stage + 1),
                None => format!("group {} stage {}", idx / stages + 1, idx % stages + 1),
            })
            .collect()
    }

    struct BruteForce<'a> {
        marks: &'a [Shown],
        groups: usize,
        stages: usize,
        threshold: u64,
        cap: u64,
        table: Vec<u64>,
        sums: Vec<u64>,
        first: Vec<Option<u64>>,
        varied: Vec<bool>,
    }

    impl BruteForce<'_> {
        /// Fills cell `idx` onwards in every consistent way; true once every unpublished place
        /// has been seen with two values, when searching on can tell nothing more.
        fn fill(&mut self, idx: usize) -> bool {
            let cells = self.groups * self.stages;
            if idx == cells {
                let totals_fit = self
                    .sums
                    .iter()
                    .zip(&self.marks[cells..])
                    .all(|(&sum, &mark)| match mark {
                        Shown::Count(count) => sum == count,
                        Shown::FewerThan(below) => sum < u64::from(below),
                        Shown::Hidden => sum >= self.threshold,
                        Shown::Withheld => true,
                    });
                if totals_fit {
                    let values = self.table.iter().chain(&self.sums);
                    for ((first, varied), &value) in
                        self.first.iter_mut().zip(&mut self.varied).zip(values)
                    {
                        *varied |= first.is_some_and(|first| first != value);
                        first.get_or_insert(value);
                    }
                }
                return (0..self.marks.len())
                    .all(|it| self.varied[it] || matches!(self.marks[it], Shown::Count(_)));
            }
            let (group, stage) = (idx / self.stages, idx % self.stages);
            let (mut low, mut high) = match self.marks[idx] {
                Shown::Count(count) => (count, count),
                Shown::FewerThan(below) => (0, u64::from(below) - 1),
                Shown::Hidden => (self.threshold, self.cap),
                Shown::Withheld => (0, self.cap),
            };
            if stage > 0 {
                high = high.min(self.table[idx - 1]);
            }
            let so_far = self.sums[stage];
            match self.marks[cells + stage] {
                Shown::Count(total) if group + 1 == self.groups => {
                    let Some(rest) = total.checked_sub(so_far) else {
                        return false;
                    };
                    (low, high) = (low.max(rest), high.min(rest));
                }
                Shown::Count(total) => high = high.min(total.saturating_sub(so_far)),
                Shown::FewerThan(below) => {
                    high = high.min((u64::from(below) - 1).saturating_sub(so_far))
                }
                Shown::Hidden | Shown::Withheld => {}
            }
            for value in low..=high {
                self.table.push(value);
                self.sums[stage] = so_far + value;
                let done = self.fill(idx + 1);
                self.table.pop();
                self.sums[stage] = so_far;
                if done {
                    return true;
                }
            }
            false
        }
    }

    /// Shown counts are true, nothing below the threshold is shown, and each mark is honest.
    fn assert_truthful(funnel: &Funnel, threshold: u32, published: &SuppressedFunnel) {
        let t = u64::from(threshold);
        assert_eq!(published.cells.len(), funnel.rows().len());
        assert_eq!(published.totals.len(), funnel.totals().len());
        let truth = funnel.rows().iter().flatten().chain(funnel.totals());
        let marks = published.cells.iter().flatten().chain(&published.totals);
        for (&count, &mark) in truth.zip(marks) {
            match mark {
                Shown::Count(shown) => assert!(shown == count && (threshold == 1 || count >= t)),
                Shown::FewerThan(below) => assert!(below == threshold && count < t),
                Shown::Hidden => assert!(count >= t),
                Shown::Withheld => {}
            }
        }
    }

    /// Suppresses `rows`, checks the result as the property test does, and compares its layout.
    fn check(rows: &[&[u64]], threshold: u32, expected: Expect) {
        let funnel = Funnel::new(rows.iter().map(|row| row.to_vec()).collect()).unwrap();
        let published = suppress(&funnel, Threshold::new(threshold).unwrap());
        assert_truthful(&funnel, threshold, &published);
        let cap = rows.concat().into_iter().max().map_or(0, |max| max + 1);
        assert_eq!(pinned_by_search(&published, threshold, cap), [""; 0]);
        expected.assert_eq(&layout(&published));
    }

    /// The table as text: a count, `<t` for fewer than t, `x` hidden, `-` withheld.
    fn layout(published: &SuppressedFunnel) -> String {
        let line = |label: &str, marks: &[Shown]| {
            let marks: String = marks
                .iter()
                .map(|mark| match mark {
                    Shown::Count(count) => format!("{count:>4}"),
                    Shown::FewerThan(below) => format!("{:>4}", format!("<{below}")),
                    Shown::Hidden => "   x".to_owned(),
                    Shown::Withheld => "   -".to_owned(),
                })
                .collect();
            format!("{label}{marks}\n")
        };
        let rows = published.cells.iter().map(|row| line("group", row));
        rows.chain([line("total", &published.totals)]).collect()
    }

    #[test]
    fn thresholds_come_from_settings() {
        assert_eq!(Threshold::default().get(), 5);
        assert_eq!(Threshold::parse(" 10 ").map(Threshold::get), Ok(10));
        assert_eq!(Threshold::parse("1").map(Threshold::get), Ok(1));
        assert_eq!(Threshold::parse("100").map(Threshold::get), Ok(100));
        for raw in ["0", "101", "-3", "five", "", "2.5"] {
            assert!(Threshold::parse(raw).is_err(), "{raw}");
        }
        assert_eq!(
            Threshold::parse("0").unwrap_err().to_string(),
            "the small-number threshold '0' is not a whole number from 1 to 100; enter one such \
             as 5, or 1 to show every count"
        );
    }

    #[test]
    fn counts_that_are_not_a_funnel_are_refused() {
        let ragged = Funnel::new(vec![vec![5, 4], vec![3]]).unwrap_err();
        assert_eq!(
            ragged.to_string(),
            "group 2 has 1 stage counts where group 1 has 2; count every group at every stage"
        );
        let grows = Funnel::new(vec![vec![5, 4, 6]]).unwrap_err();
        assert_eq!(
            grows.to_string(),
            "group 1 has 6 at stage 3 but 4 at the stage before; count each stage among the \
             people of the one before"
        );
        let large = Funnel::new(vec![vec![u64::MAX], vec![1]]).unwrap_err();
        assert_eq!(large, FunnelError::TooLarge { stage: 1 });
    }

    #[test]
    fn one_small_count_hides_the_smallest_that_covers_it() {
        // The 3 alone in its column would be the total less the rest, so the 9 beside it goes:
        // the 3 and the 9 can then trade people, as can the 2 and the 7.
        check(
            &[&[20, 15, 10], &[8, 3, 2], &[12, 9, 7]],
            5,
            expect![[r#"
                group  20  15  10
                group   8  <5  <5
                group  12   x   x
                total  40  27  19
            "#]],
        );
    }

    #[test]
    fn a_count_wedged_between_equal_counts_is_not_hidden_alone() {
        // The first group's middle 10 is the smallest count beside the 3, but hidden alone it
        // would sit between 10 and 10 and be 10 again, as the naive table below shows; the 25
        // goes instead. A last stage has nothing below it, so the last 10 can cover the 3 there.
        check(
            &[&[10, 10, 10], &[12, 3, 3], &[30, 25, 20]],
            5,
            expect![[r#"
                group  10  10   x
                group  12  <5  <5
                group  30   x  20
                total  52  38  33
            "#]],
        );
        let naive = SuppressedFunnel {
            cells: vec![
                vec![Shown::Count(10), Shown::Hidden, Shown::Count(10)],
                vec![Shown::Count(12), Shown::FewerThan(5), Shown::FewerThan(5)],
                vec![Shown::Count(30), Shown::Count(25), Shown::Count(20)],
            ],
            totals: vec![Shown::Count(52), Shown::Count(38), Shown::Count(33)],
        };
        assert_eq!(
            pinned_by_search(&naive, 5, 31),
            ["group 1 stage 2", "group 2 stage 2", "group 2 stage 3"]
        );
    }

    #[test]
    fn threshold_one_shows_everything() {
        check(
            &[&[3, 1, 0], &[0, 0, 0]],
            1,
            expect![[r#"
                group   3   1   0
                group   0   0   0
                total   3   1   0
            "#]],
        );
    }

    #[test]
    fn an_empty_table_stays_empty() {
        check(
            &[],
            5,
            expect![[r#"
            total
        "#]],
        );
        check(
            &[&[], &[]],
            5,
            expect![[r#"
            group
            group
            total
        "#]],
        );
    }

    #[test]
    fn totals_are_withheld_when_hiding_cannot_protect_a_table() {
        // Hidden totals would say "at least 2" of two counts of at most 1: both 1.
        check(
            &[&[1, 1], &[1, 1]],
            2,
            expect![[r#"
                group  <2  <2
                group  <2  <2
                total   -   -
            "#]],
        );
    }

    #[test]
    fn a_single_group_is_its_own_total() {
        check(
            &[&[12, 7, 3]],
            5,
            expect![[r#"
                group  12   7  <5
                total  12   7  <5
            "#]],
        );
    }

    #[test]
    fn thirty_groups_by_five_stages_are_suppressed_truthfully_and_alike() {
        // From 0 to 40 people, halving every other stage: small counts, large ones, and equal
        // neighbours.
        let rows = (0..30_u64).map(|group| {
            let first = (group * 37 + 11) % 41;
            (0..5).map(|stage| first >> (stage / 2)).collect()
        });
        let funnel = Funnel::new(rows.collect()).unwrap();
        let published = suppress(&funnel, Threshold::default());
        assert_truthful(&funnel, 5, &published);
        assert_eq!(suppress(&funnel, Threshold::default()), published);
    }

    const MAX_COUNT: u64 = 12;

    /// One to three groups at two or three stages, each stage keeping some of the one before
    /// (often all, so that equal neighbours are common).
    fn funnels() -> impl Strategy<Value = Vec<Vec<u64>>> {
        (2_usize..=3).prop_flat_map(|stages| {
            let row = (
                0..=MAX_COUNT,
                prop::collection::vec(prop_oneof![Just(0_u64), 0_u64..=6], stages - 1),
            )
                .prop_map(|(first, drops)| {
                    let mut row = vec![first];
                    for drop in drops {
                        row.push(row[row.len() - 1].saturating_sub(drop));
                    }
                    row
                });
            prop::collection::vec(row, 1..=3)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Nothing suppressed can be worked out, by a reader who tries every table.
        #[test]
        fn no_suppressed_count_can_be_worked_out(rows in funnels(), threshold in 2_u32..=5) {
            let funnel = Funnel::new(rows).unwrap();
            let published = suppress(&funnel, Threshold::new(threshold).unwrap());
            assert_truthful(&funnel, threshold, &published);
            prop_assert_eq!(
                pinned_by_search(&published, threshold, MAX_COUNT + 1),
                [""; 0],
                "{:?} published as {:?}", funnel.rows(), published
            );
        }
    }
}
