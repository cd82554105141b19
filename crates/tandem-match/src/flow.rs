//! Exact max-weight capacitated assignment by successive shortest paths with potentials.
//!
//! The network: every free mentee has one unit to send, either through an arc to a mentor
//! (cost `-weight`) and on to the sink, or straight to the sink (its "unmatched" arc, cost 0).
//! A mentor passes at most its capacity to the sink. A minimum-cost flow is a maximum-weight
//! assignment; weights are integers, so everything is exact.
//!
//! The algorithm keeps node potentials with non-negative reduced costs on every residual arc
//! and routes one unit at a time along a shortest path (Dijkstra on reduced costs). A search
//! stops as soon as the nearest target is known, which is before any node at its distance is
//! settled: on a plateau of equal distances (identical profiles, zero weights) a search ends
//! at the first place it finds instead of walking the whole plateau. A mentor with room is
//! looked through to the sink when it is reached, not when it is settled, for the same reason.
//! Potentials move for settled nodes only.
//!
//! A target is the sink while it still expects flow, or a mentor with a "deficit": a mentor
//! whose outflow to the sink is kept while a mentee was taken off it, which is how a solve
//! restarts warm after new arcs arrive without giving up the mentor prices already found.
//! When all units are routed, the reduced costs prove optimality over the arcs given.
//!
//! The arcs are either a sparse candidate set (`ArcSet::Sparse`, which `solve` grows by
//! pricing) or every feasible pair, scored when a search looks at it (`ArcSet::Every`), which
//! bounds the work whatever the weights: at most one search per mentee and per reopening, each
//! scanning at most every feasible pair once.
//!
//! Ties are broken by index (input order) everywhere, so the result is deterministic.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::certificate::Weighting;
use crate::compiled::{Compiled, NONE};

/// `route` value of a mentee sent straight to the sink.
pub(crate) const UNMATCHED: u32 = u32::MAX - 1;
/// `route` value of a mentee whose unit is not routed yet.
pub(crate) const EXCESS: u32 = u32::MAX - 2;
/// `route` value of a mentee outside the solve (pinned).
pub(crate) const FIXED: u32 = u32::MAX - 3;

/// Candidate arcs grouped by mentee (CSR), each group sorted by mentor index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Arcs {
    pub(crate) start: Vec<u32>,
    pub(crate) mentor: Vec<u32>,
    pub(crate) weight: Vec<i64>,
}

impl Arcs {
    /// Builds the CSR from `(mentee, mentor, weight)` triples sorted by mentee then mentor.
    pub(crate) fn from_sorted(n_mentees: usize, triples: &[(u32, u32, i64)]) -> Arcs {
        let mut start = vec![0u32; n_mentees + 1];
        for &(i, _, _) in triples {
            start[i as usize + 1] += 1;
        }
        for k in 0..n_mentees {
            start[k + 1] += start[k];
        }
        Arcs {
            start,
            mentor: triples.iter().map(|t| t.1).collect(),
            weight: triples.iter().map(|t| t.2).collect(),
        }
    }

    pub(crate) fn of(&self, i: usize) -> std::ops::Range<usize> {
        self.start[i] as usize..self.start[i + 1] as usize
    }

    pub(crate) fn len(&self) -> usize {
        self.mentor.len()
    }

    /// Merges extra arcs (absent from `self`) into a new CSR.
    pub(crate) fn merged(&self, mut extra: Vec<(u32, u32, i64)>) -> Arcs {
        let n = self.start.len() - 1;
        let mut all = Vec::with_capacity(self.len() + extra.len());
        for i in 0..n {
            for a in self.of(i) {
                all.push((i as u32, self.mentor[a], self.weight[a]));
            }
        }
        all.append(&mut extra);
        all.sort_unstable();
        Arcs::from_sorted(n, &all)
    }
}

/// The arcs the flow may use.
#[derive(Debug)]
pub(crate) enum ArcSet<'a> {
    /// A candidate set, grown by pricing.
    Sparse(Arcs),
    /// Every feasible pair with a mentor who has room, scored on demand.
    Every {
        compiled: &'a Compiled,
        weighting: Weighting,
    },
}

impl ArcSet<'_> {
    /// Calls `f(mentor, weight)` for every arc of mentee `i`, in mentor order.
    #[inline]
    fn each(&self, i: usize, mut f: impl FnMut(u32, i64)) {
        match self {
            ArcSet::Sparse(arcs) => {
                for a in arcs.of(i) {
                    f(arcs.mentor[a], arcs.weight[a]);
                }
            }
            ArcSet::Every {
                compiled,
                weighting,
            } => compiled.for_each_allowed(i, true, |j| {
                f(j as u32, weighting.weight(compiled.score(i, j)));
            }),
        }
    }

    /// Whether mentee `i` has no arc at all.
    fn is_empty(&self, i: usize) -> bool {
        let mut empty = true;
        match self {
            ArcSet::Sparse(arcs) => empty = arcs.of(i).is_empty(),
            ArcSet::Every { compiled, .. } => compiled.for_each_allowed(i, true, |_| empty = false),
        }
        empty
    }

    /// Arcs held in memory (every feasible pair counts as none: they are never stored).
    pub(crate) fn stored(&self) -> usize {
        match self {
            ArcSet::Sparse(arcs) => arcs.len(),
            ArcSet::Every { .. } => 0,
        }
    }
}

/// The flow, the potentials and the search scratch space.
#[derive(Debug)]
pub(crate) struct Flow<'a> {
    n: usize,
    m: usize,
    pub(crate) arcs: ArcSet<'a>,
    capacity: Vec<u32>,
    pub(crate) pot_mentee: Vec<i64>,
    pub(crate) pot_mentor: Vec<i64>,
    pub(crate) pot_sink: i64,
    /// Per mentee: its mentor, `UNMATCHED`, `EXCESS` or `FIXED`.
    pub(crate) route: Vec<u32>,
    route_weight: Vec<i64>,
    /// Each mentor's mentees as a doubly linked list in arrival order (memory grows with the
    /// mentees, never with the capacities).
    first_mentee: Vec<u32>,
    last_mentee: Vec<u32>,
    next_mentee: Vec<u32>,
    prev_mentee: Vec<u32>,
    load: Vec<u32>,
    to_sink: Vec<u32>,
    unmatched: Vec<u32>,
    unmatched_pos: Vec<u32>,
    sink_deficit: u64,
    excess: Vec<u32>,
    /// Counters for the statistics.
    pub(crate) searches: u64,
    pub(crate) settled: u64,
    search: Search,
}

#[derive(Debug, Default)]
struct Search {
    dist: Vec<i64>,
    pred: Vec<u32>,
    /// The weight of the mentee-to-mentor arc that reached a mentor node.
    pred_weight: Vec<i64>,
    seen: Vec<u32>,
    done: Vec<u32>,
    stamp: u32,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    settled: Vec<u32>,
    /// The nearest target reached so far: its distance and node.
    best: (i64, u32),
    /// A mentee's arcs as `(mentor, reduced cost, weight)`, read before they are offered.
    offers: Vec<(u32, i64, i64)>,
}

impl Search {
    /// Offers `node` at `dist`; true when that improves its tentative distance.
    #[inline]
    fn relax(&mut self, node: u32, dist: i64, pred: u32, pred_weight: i64) -> bool {
        let k = node as usize;
        if self.done[k] == self.stamp {
            return false;
        }
        if self.seen[k] != self.stamp || dist < self.dist[k] {
            self.seen[k] = self.stamp;
            self.dist[k] = dist;
            self.pred[k] = pred;
            self.pred_weight[k] = pred_weight;
            self.heap.push(Reverse((dist, node)));
            true
        } else {
            false
        }
    }

    /// Records a target reached at `dist` if it is the nearest so far (earlier wins ties).
    #[inline]
    fn reach_target(&mut self, node: u32, dist: i64) {
        if dist < self.best.0 {
            self.best = (dist, node);
        }
    }
}

impl<'a> Flow<'a> {
    /// A flow with nothing routed: every mentee not `fixed` has one unit to send.
    ///
    /// Mentor potentials start at zero, mentee potentials at their best arc weight (or zero),
    /// which makes every reduced cost non-negative.
    pub(crate) fn new(arcs: ArcSet<'a>, capacity: Vec<u32>, fixed: &[bool]) -> Flow<'a> {
        let n = fixed.len();
        let m = capacity.len();
        let free = fixed.iter().filter(|f| !**f).count();
        // More room than mentees is never used; one spare place keeps such a mentor from ever
        // looking full, so its price stays zero as its real capacity requires.
        let capacity: Vec<u32> = capacity
            .into_iter()
            .map(|c| c.min(free as u32 + 1))
            .collect();
        let mut pot_mentee = vec![0i64; n];
        for (i, potential) in pot_mentee.iter_mut().enumerate() {
            if fixed[i] {
                continue;
            }
            let mut best = 0i64;
            arcs.each(i, |_, weight| best = best.max(weight));
            *potential = best;
        }
        let nodes = n + m + 1;
        Flow {
            n,
            m,
            capacity,
            pot_mentee,
            pot_mentor: vec![0; m],
            pot_sink: 0,
            route: fixed
                .iter()
                .map(|f| if *f { FIXED } else { EXCESS })
                .collect(),
            route_weight: vec![0; n],
            first_mentee: vec![NONE; m],
            last_mentee: vec![NONE; m],
            next_mentee: vec![NONE; n],
            prev_mentee: vec![NONE; n],
            load: vec![0; m],
            to_sink: vec![0; m],
            unmatched: Vec::new(),
            unmatched_pos: vec![NONE; n],
            sink_deficit: free as u64,
            excess: (0..n as u32).filter(|i| !fixed[*i as usize]).collect(),
            searches: 0,
            settled: 0,
            search: Search {
                dist: vec![0; nodes],
                pred: vec![NONE; nodes],
                pred_weight: vec![0; nodes],
                seen: vec![0; nodes],
                done: vec![0; nodes],
                ..Search::default()
            },
            arcs,
        }
    }

    /// Routes the easy units first: a mentee whose best arc leads to a mentor with room.
    ///
    /// This keeps every invariant (the arc and the mentor's sink arc are tight) and leaves
    /// the contested mentees to the shortest-path searches.
    pub(crate) fn route_greedily(&mut self) {
        let excess = std::mem::take(&mut self.excess);
        let mut left = Vec::new();
        for i in excess {
            let iu = i as usize;
            if self.arcs.is_empty(iu) {
                self.pot_mentee[iu] = self.pot_sink;
                self.attach_unmatched(i);
                self.sink_deficit -= 1;
                continue;
            }
            let tight = self.pot_mentee[iu];
            let mut placed = None;
            {
                let (pot_mentor, pot_sink, to_sink, capacity) = (
                    &self.pot_mentor,
                    self.pot_sink,
                    &self.to_sink,
                    &self.capacity,
                );
                self.arcs.each(iu, |j, weight| {
                    let ju = j as usize;
                    if placed.is_none()
                        && -weight + tight - pot_mentor[ju] == 0
                        && pot_mentor[ju] == pot_sink
                        && to_sink[ju] < capacity[ju]
                    {
                        placed = Some((j, weight));
                    }
                });
            }
            match placed {
                Some((j, weight)) if self.sink_deficit > 0 => {
                    self.attach(i, j, weight);
                    self.to_sink[j as usize] += 1;
                    self.sink_deficit -= 1;
                }
                _ => left.push(i),
            }
        }
        self.excess = left;
    }

    /// Routes every unit still waiting, one shortest path each; `keep_going` is asked every
    /// so often and stops the work (leaving units unrouted) when it answers false.
    pub(crate) fn route_all(&mut self, keep_going: &mut dyn FnMut(usize, usize) -> bool) -> bool {
        let excess = std::mem::take(&mut self.excess);
        let total = excess.len();
        for (done, &i) in excess.iter().enumerate() {
            if done % 64 == 0 && !keep_going(done, total) {
                self.excess = excess[done..].to_vec();
                return false;
            }
            self.route_one(i);
        }
        true
    }

    /// Takes a mentee off its route and raises its potential to cover its (new) arcs.
    ///
    /// Its mentor keeps its flow to the sink, so the mentor becomes a target with a deficit
    /// and its price stays valid; an unmatched mentee gives its unit back to the sink.
    pub(crate) fn reopen(&mut self, i: u32) {
        let iu = i as usize;
        match self.route[iu] {
            FIXED | EXCESS => return,
            UNMATCHED => {
                self.detach_unmatched(i);
                self.sink_deficit += 1;
            }
            j => self.detach(i, j),
        }
        self.route[iu] = EXCESS;
        let mut potential = self.pot_sink;
        let pot_mentor = &self.pot_mentor;
        self.arcs.each(iu, |j, weight| {
            potential = potential.max(weight + pot_mentor[j as usize]);
        });
        self.pot_mentee[iu] = potential;
        self.excess.push(i);
    }

    /// Replaces the arcs (a superset of the old ones, same weights for the old ones).
    pub(crate) fn set_arcs(&mut self, arcs: ArcSet<'a>) {
        self.arcs = arcs;
    }

    /// The weight of the arc a mentee is routed on (0 when unmatched).
    pub(crate) fn route_weight(&self, i: usize) -> i64 {
        self.route_weight[i]
    }

    fn attach(&mut self, i: u32, j: u32, weight: i64) {
        let (iu, ju) = (i as usize, j as usize);
        let last = self.last_mentee[ju];
        self.prev_mentee[iu] = last;
        self.next_mentee[iu] = NONE;
        if last == NONE {
            self.first_mentee[ju] = i;
        } else {
            self.next_mentee[last as usize] = i;
        }
        self.last_mentee[ju] = i;
        self.load[ju] += 1;
        self.route[iu] = j;
        self.route_weight[iu] = weight;
    }

    /// Unlinks a mentee from its mentor's list (its `route` is left to the caller).
    fn detach(&mut self, i: u32, j: u32) {
        let (iu, ju) = (i as usize, j as usize);
        let (prev, next) = (self.prev_mentee[iu], self.next_mentee[iu]);
        if prev == NONE {
            self.first_mentee[ju] = next;
        } else {
            self.next_mentee[prev as usize] = next;
        }
        if next == NONE {
            self.last_mentee[ju] = prev;
        } else {
            self.prev_mentee[next as usize] = prev;
        }
        self.prev_mentee[iu] = NONE;
        self.next_mentee[iu] = NONE;
        self.load[ju] -= 1;
    }

    fn attach_unmatched(&mut self, i: u32) {
        self.unmatched_pos[i as usize] = self.unmatched.len() as u32;
        self.unmatched.push(i);
        self.route[i as usize] = UNMATCHED;
        self.route_weight[i as usize] = 0;
    }

    fn detach_unmatched(&mut self, i: u32) {
        let pos = self.unmatched_pos[i as usize] as usize;
        self.unmatched.swap_remove(pos);
        if let Some(&moved) = self.unmatched.get(pos) {
            self.unmatched_pos[moved as usize] = pos as u32;
        }
        self.unmatched_pos[i as usize] = NONE;
    }

    fn sink(&self) -> u32 {
        (self.n + self.m) as u32
    }

    /// One Dijkstra from an excess mentee to the nearest target, then the augmentation.
    fn route_one(&mut self, source: u32) {
        self.searches += 1;
        let search = &mut self.search;
        search.stamp = search.stamp.wrapping_add(1);
        if search.stamp == 0 {
            search.seen.fill(0);
            search.done.fill(0);
            search.stamp = 1;
        }
        search.heap.clear();
        search.settled.clear();
        search.best = (i64::MAX, NONE);
        let stamp = search.stamp;
        search.seen[source as usize] = stamp;
        search.dist[source as usize] = 0;
        search.pred[source as usize] = NONE;
        search.heap.push(Reverse((0, source)));

        while let Some(&Reverse((dist, node))) = self.search.heap.peek() {
            // Every node left is at least as far as the nearest target: stop before settling
            // any of them (this is what keeps plateaus of equal distances cheap).
            if self.search.best.0 <= dist {
                break;
            }
            self.search.heap.pop();
            if self.search.done[node as usize] == stamp {
                continue;
            }
            self.search.done[node as usize] = stamp;
            self.search.settled.push(node);
            self.relax_from(node, dist);
        }
        let (target_dist, target) = self.search.best;
        if target == NONE {
            // Unreachable by construction (the unmatched arc always leads to a target), but
            // stopping here leaves a valid, if partial, flow rather than a panic.
            return;
        }
        self.settled += self.search.settled.len() as u64;
        for k in 0..self.search.settled.len() {
            let node = self.search.settled[k];
            let shift = self.search.dist[node as usize] - target_dist;
            let node = node as usize;
            if node < self.n {
                self.pot_mentee[node] += shift;
            } else if node < self.n + self.m {
                self.pot_mentor[node - self.n] += shift;
            } else {
                self.pot_sink += shift;
            }
        }
        self.augment(source, target);
    }

    /// Offers a mentor node, and through it the sink when the mentor has room.
    #[inline]
    fn relax_mentor(&mut self, j: usize, dist: i64, pred: u32, pred_weight: i64) {
        let node = (self.n + j) as u32;
        if !self.search.relax(node, dist, pred, pred_weight) {
            return;
        }
        if self.to_sink[j] > self.load[j] {
            self.search.reach_target(node, dist);
        }
        if self.to_sink[j] < self.capacity[j] && self.sink_deficit > 0 {
            let sink = self.sink();
            let through = dist + self.pot_mentor[j] - self.pot_sink;
            if self.search.relax(sink, through, node, 0) {
                self.search.reach_target(sink, through);
            }
        }
    }

    /// Offers the sink.
    #[inline]
    fn relax_sink(&mut self, dist: i64, pred: u32) {
        let sink = self.sink();
        if self.search.relax(sink, dist, pred, 0) && self.sink_deficit > 0 {
            self.search.reach_target(sink, dist);
        }
    }

    fn relax_from(&mut self, node: u32, dist: i64) {
        let n = self.n;
        let k = node as usize;
        if k < n {
            let route = self.route[k];
            let potential = self.pot_mentee[k];
            // The arcs are read while the search is written: collect the offers first.
            let mut offers = std::mem::take(&mut self.search.offers);
            {
                let pot_mentor = &self.pot_mentor;
                self.arcs.each(k, |j, weight| {
                    if j != route {
                        offers.push((j, -weight + potential - pot_mentor[j as usize], weight));
                    }
                });
            }
            for &(j, reduced, weight) in &offers {
                self.relax_mentor(j as usize, dist + reduced, node, weight);
            }
            offers.clear();
            self.search.offers = offers;
            if route != UNMATCHED {
                self.relax_sink(dist + potential - self.pot_sink, node);
            }
        } else if k < n + self.m {
            let j = k - n;
            let potential = self.pot_mentor[j];
            if self.to_sink[j] < self.capacity[j] {
                self.relax_sink(dist + potential - self.pot_sink, node);
            }
            let mut i = self.first_mentee[j];
            while i != NONE {
                let reduced =
                    self.route_weight[i as usize] + potential - self.pot_mentee[i as usize];
                self.search.relax(i, dist + reduced, node, 0);
                i = self.next_mentee[i as usize];
            }
        } else {
            let potential = self.pot_sink;
            for j in 0..self.m {
                if self.to_sink[j] > 0 {
                    let reduced = potential - self.pot_mentor[j];
                    self.relax_mentor_from_sink(j, dist + reduced);
                }
            }
            for u in 0..self.unmatched.len() {
                let i = self.unmatched[u];
                let reduced = potential - self.pot_mentee[i as usize];
                self.search.relax(i, dist + reduced, node, 0);
            }
        }
    }

    /// Offers a mentor along the reverse of its sink arc (it gives back a unit it sends).
    #[inline]
    fn relax_mentor_from_sink(&mut self, j: usize, dist: i64) {
        let node = (self.n + j) as u32;
        if self.search.relax(node, dist, self.sink(), 0) && self.to_sink[j] > self.load[j] {
            self.search.reach_target(node, dist);
        }
    }

    /// Moves one unit along the predecessor chain from `target` back to `source`.
    fn augment(&mut self, source: u32, target: u32) {
        let n = self.n as u32;
        let sink = self.sink();
        if target == sink {
            self.sink_deficit -= 1;
        }
        let mut node = target;
        while node != source {
            let prev = self.search.pred[node as usize];
            if node == sink {
                if prev < n {
                    // The mentee leaves its mentor (if any) for its unmatched arc.
                    self.unlink(prev);
                    self.attach_unmatched(prev);
                } else {
                    self.to_sink[(prev - n) as usize] += 1;
                }
            } else if node >= n {
                let j = node - n;
                if prev == sink {
                    self.to_sink[j as usize] -= 1;
                } else {
                    // The mentee leaves its old mentor here; the reverse arc that brought the
                    // path to it (processed next) then has nothing left to do.
                    self.unlink(prev);
                    let weight = self.search.pred_weight[node as usize];
                    self.attach(prev, j, weight);
                }
            } else if prev == sink {
                self.detach_unmatched(node);
            }
            node = prev;
        }
    }

    /// Takes a mentee off its mentor's list if it is on one.
    fn unlink(&mut self, i: u32) {
        let route = self.route[i as usize];
        if (route as usize) < self.m {
            self.detach(i, route);
        }
    }

    /// Whether every unit is routed and no mentor has a deficit.
    pub(crate) fn is_complete(&self) -> bool {
        self.excess.is_empty() && self.sink_deficit == 0 && self.to_sink == self.load
    }
}
