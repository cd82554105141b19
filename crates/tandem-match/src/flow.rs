//! Exact max-weight capacitated assignment by successive shortest paths with potentials.
//!
//! The network: every free mentee has as many units to send as the mentors it still wants
//! (its supply, 1 to 3), each either through an arc to a mentor (cost `-weight`, capacity 1:
//! never the same pair twice) and on to the sink, or straight to the sink (its "unmatched"
//! arc, cost 0). A mentor passes at most its capacity to the sink. A minimum-cost flow is a
//! maximum-weight b-matching; weights are integers, so everything is exact. A mentee's units
//! are its slots: each slot is routed to one mentor, to the sink, or waits.
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

/// `route` value of a slot sent straight to the sink.
pub(crate) const UNMATCHED: u32 = u32::MAX - 1;
/// `route` value of a slot whose unit is not routed yet.
pub(crate) const EXCESS: u32 = u32::MAX - 2;

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
    /// Every feasible pair with a mentor who has room (pins left out), scored on demand.
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
            } => compiled.for_each_open(i, true, |j| {
                f(j as u32, weighting.weight(compiled.score(i, j)));
            }),
        }
    }

    /// Whether mentee `i` has no arc at all.
    fn is_empty(&self, i: usize) -> bool {
        let mut empty = true;
        match self {
            ArcSet::Sparse(arcs) => empty = arcs.of(i).is_empty(),
            ArcSet::Every { compiled, .. } => compiled.for_each_open(i, true, |_| empty = false),
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
    /// Each mentee's slots, `slot_start[i]..slot_start[i + 1]` (none for a mentee outside
    /// the solve).
    slot_start: Vec<u32>,
    /// The mentee of each slot.
    slot_mentee: Vec<u32>,
    /// Per slot: its mentor, `UNMATCHED` or `EXCESS`.
    pub(crate) route: Vec<u32>,
    route_weight: Vec<i64>,
    /// Each mentor's slots as a doubly linked list in arrival order (memory grows with the
    /// slots, never with the capacities).
    first_slot: Vec<u32>,
    last_slot: Vec<u32>,
    next_slot: Vec<u32>,
    prev_slot: Vec<u32>,
    load: Vec<u32>,
    to_sink: Vec<u32>,
    /// The slots sent straight to the sink.
    unmatched: Vec<u32>,
    unmatched_pos: Vec<u32>,
    sink_deficit: u64,
    /// The slots waiting to be routed.
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
    /// A flow with nothing routed: mentee `i` has `supply[i]` units to send (0: outside the
    /// solve).
    ///
    /// Mentor potentials start at zero, mentee potentials at their best arc weight (or zero),
    /// which makes every reduced cost non-negative.
    pub(crate) fn new(arcs: ArcSet<'a>, capacity: Vec<u32>, supply: &[u8]) -> Flow<'a> {
        let n = supply.len();
        let m = capacity.len();
        let mut slot_start = Vec::with_capacity(n + 1);
        let mut slot_mentee = Vec::new();
        slot_start.push(0u32);
        for (i, &units) in supply.iter().enumerate() {
            slot_mentee.extend(std::iter::repeat_n(i as u32, usize::from(units)));
            slot_start.push(slot_mentee.len() as u32);
        }
        let slots = slot_mentee.len();
        // More room than units is never used; one spare place keeps such a mentor from ever
        // looking full, so its price stays zero as its real capacity requires.
        let capacity: Vec<u32> = capacity
            .into_iter()
            .map(|c| c.min(slots as u32 + 1))
            .collect();
        let mut pot_mentee = vec![0i64; n];
        for (i, potential) in pot_mentee.iter_mut().enumerate() {
            if supply[i] == 0 {
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
            slot_start,
            slot_mentee,
            route: vec![EXCESS; slots],
            route_weight: vec![0; slots],
            first_slot: vec![NONE; m],
            last_slot: vec![NONE; m],
            next_slot: vec![NONE; slots],
            prev_slot: vec![NONE; slots],
            load: vec![0; m],
            to_sink: vec![0; m],
            unmatched: Vec::new(),
            unmatched_pos: vec![NONE; slots],
            sink_deficit: slots as u64,
            excess: (0..slots as u32).collect(),
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

    /// A mentee's slots.
    #[inline]
    fn slots(&self, i: usize) -> std::ops::Range<usize> {
        self.slot_start[i] as usize..self.slot_start[i + 1] as usize
    }

    /// The mentors a mentee is routed to, one per slot that has one.
    pub(crate) fn mentors_of(&self, i: usize) -> impl Iterator<Item = (u32, i64)> + '_ {
        self.slots(i)
            .filter(|&s| (self.route[s] as usize) < self.m)
            .map(|s| (self.route[s], self.route_weight[s]))
    }

    /// Whether one of the mentee's slots is routed to mentor `j` (its arc is then full).
    #[inline]
    pub(crate) fn is_routed(&self, i: usize, j: u32) -> bool {
        self.slots(i).any(|s| self.route[s] == j)
    }

    /// Routes the easy units first: a slot whose mentee's best arc leads to a mentor with room.
    ///
    /// This keeps every invariant (the arc and the mentor's sink arc are tight) and leaves
    /// the contested units to the shortest-path searches.
    pub(crate) fn route_greedily(&mut self) {
        let excess = std::mem::take(&mut self.excess);
        let mut left = Vec::new();
        for slot in excess {
            let iu = self.slot_mentee[slot as usize] as usize;
            if self.arcs.is_empty(iu) {
                self.pot_mentee[iu] = self.pot_sink;
                self.attach_unmatched(slot);
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
                let this = &*self;
                self.arcs.each(iu, |j, weight| {
                    let ju = j as usize;
                    if placed.is_none()
                        && -weight + tight - pot_mentor[ju] == 0
                        && pot_mentor[ju] == pot_sink
                        && to_sink[ju] < capacity[ju]
                        && !this.is_routed(iu, j)
                    {
                        placed = Some((j, weight));
                    }
                });
            }
            match placed {
                Some((j, weight)) if self.sink_deficit > 0 => {
                    self.attach(slot, j, weight);
                    self.to_sink[j as usize] += 1;
                    self.sink_deficit -= 1;
                }
                _ => left.push(slot),
            }
        }
        self.excess = left;
    }

    /// Routes every unit still waiting, one shortest path each; `keep_going` is asked every
    /// so often and stops the work (leaving units unrouted) when it answers false.
    pub(crate) fn route_all(&mut self, keep_going: &mut dyn FnMut(usize, usize) -> bool) -> bool {
        let excess = std::mem::take(&mut self.excess);
        let total = excess.len();
        for (done, &slot) in excess.iter().enumerate() {
            if done % 64 == 0 && !keep_going(done, total) {
                self.excess = excess[done..].to_vec();
                return false;
            }
            self.route_one(slot);
        }
        true
    }

    /// Takes every slot of a mentee off its route and raises the mentee's potential to cover
    /// its (new) arcs.
    ///
    /// Its mentors keep their flow to the sink, so each becomes a target with a deficit and
    /// its price stays valid; an unmatched slot gives its unit back to the sink.
    pub(crate) fn reopen(&mut self, i: u32) {
        let iu = i as usize;
        for slot in self.slots(iu) {
            let slot = slot as u32;
            match self.route[slot as usize] {
                EXCESS => continue,
                UNMATCHED => {
                    self.detach_unmatched(slot);
                    self.sink_deficit += 1;
                }
                j => self.detach(slot, j),
            }
            self.route[slot as usize] = EXCESS;
            self.excess.push(slot);
        }
        let mut potential = self.pot_sink;
        let pot_mentor = &self.pot_mentor;
        self.arcs.each(iu, |j, weight| {
            potential = potential.max(weight + pot_mentor[j as usize]);
        });
        self.pot_mentee[iu] = potential;
    }

    /// Replaces the arcs (a superset of the old ones, same weights for the old ones).
    pub(crate) fn set_arcs(&mut self, arcs: ArcSet<'a>) {
        self.arcs = arcs;
    }

    fn attach(&mut self, slot: u32, j: u32, weight: i64) {
        let (su, ju) = (slot as usize, j as usize);
        let last = self.last_slot[ju];
        self.prev_slot[su] = last;
        self.next_slot[su] = NONE;
        if last == NONE {
            self.first_slot[ju] = slot;
        } else {
            self.next_slot[last as usize] = slot;
        }
        self.last_slot[ju] = slot;
        self.load[ju] += 1;
        self.route[su] = j;
        self.route_weight[su] = weight;
    }

    /// Unlinks a slot from its mentor's list (its `route` is left to the caller).
    fn detach(&mut self, slot: u32, j: u32) {
        let (su, ju) = (slot as usize, j as usize);
        let (prev, next) = (self.prev_slot[su], self.next_slot[su]);
        if prev == NONE {
            self.first_slot[ju] = next;
        } else {
            self.next_slot[prev as usize] = next;
        }
        if next == NONE {
            self.last_slot[ju] = prev;
        } else {
            self.prev_slot[next as usize] = prev;
        }
        self.prev_slot[su] = NONE;
        self.next_slot[su] = NONE;
        self.load[ju] -= 1;
    }

    fn attach_unmatched(&mut self, slot: u32) {
        self.unmatched_pos[slot as usize] = self.unmatched.len() as u32;
        self.unmatched.push(slot);
        self.route[slot as usize] = UNMATCHED;
        self.route_weight[slot as usize] = 0;
    }

    fn detach_unmatched(&mut self, slot: u32) {
        let pos = self.unmatched_pos[slot as usize] as usize;
        self.unmatched.swap_remove(pos);
        if let Some(&moved) = self.unmatched.get(pos) {
            self.unmatched_pos[moved as usize] = pos as u32;
        }
        self.unmatched_pos[slot as usize] = NONE;
    }

    fn sink(&self) -> u32 {
        (self.n + self.m) as u32
    }

    /// One Dijkstra from an excess slot's mentee to the nearest target, then the augmentation.
    fn route_one(&mut self, slot: u32) {
        self.searches += 1;
        let source = self.slot_mentee[slot as usize];
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
            self.excess.push(slot);
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
        self.augment(source, slot, target);
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
            let potential = self.pot_mentee[k];
            let slots = self.slots(k);
            let single = slots.len() == 1;
            // The arcs are read while the search is written: collect the offers first.
            let mut offers = std::mem::take(&mut self.search.offers);
            {
                let pot_mentor = &self.pot_mentor;
                let route = &self.route[slots.clone()];
                // An arc already carrying one of the mentee's units is full (capacity 1).
                self.arcs.each(k, |j, weight| {
                    let full = if single {
                        route[0] == j
                    } else {
                        route.contains(&j)
                    };
                    if !full {
                        offers.push((j, -weight + potential - pot_mentor[j as usize], weight));
                    }
                });
            }
            for &(j, reduced, weight) in &offers {
                self.relax_mentor(j as usize, dist + reduced, node, weight);
            }
            offers.clear();
            self.search.offers = offers;
            // The unmatched arc has room for every unit of the mentee not already on it.
            if self.route[slots].iter().any(|&r| r != UNMATCHED) {
                self.relax_sink(dist + potential - self.pot_sink, node);
            }
        } else if k < n + self.m {
            let j = k - n;
            let potential = self.pot_mentor[j];
            if self.to_sink[j] < self.capacity[j] {
                self.relax_sink(dist + potential - self.pot_sink, node);
            }
            let mut slot = self.first_slot[j];
            while slot != NONE {
                let i = self.slot_mentee[slot as usize];
                let reduced =
                    self.route_weight[slot as usize] + potential - self.pot_mentee[i as usize];
                self.search.relax(i, dist + reduced, node, 0);
                slot = self.next_slot[slot as usize];
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
                let i = self.slot_mentee[self.unmatched[u] as usize];
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

    /// The slot of mentee `i` that moves on along the path: the source slot, the slot the path
    /// took back from a mentor, or an unmatched slot the path took back from the sink. It is
    /// taken off its mentor's list or the unmatched list.
    fn moving_slot(&mut self, i: u32, source: u32, source_slot: u32) -> u32 {
        if i == source {
            return source_slot;
        }
        let pred = self.search.pred[i as usize];
        let wanted = if pred == self.sink() {
            UNMATCHED
        } else {
            pred - self.n as u32
        };
        let found = self
            .slots(i as usize)
            .find(|&s| self.route[s] == wanted)
            .map(|s| s as u32);
        // The path reached the mentee along one of its own routed arcs, so a slot is found.
        let Some(slot) = found else {
            return source_slot;
        };
        if wanted == UNMATCHED {
            self.detach_unmatched(slot);
        } else {
            self.detach(slot, wanted);
        }
        slot
    }

    /// Moves one unit along the predecessor chain from `target` back to `source`.
    fn augment(&mut self, source: u32, source_slot: u32, target: u32) {
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
                    // A unit of the mentee leaves its mentor (if any) for its unmatched arc.
                    let slot = self.moving_slot(prev, source, source_slot);
                    self.attach_unmatched(slot);
                } else {
                    self.to_sink[(prev - n) as usize] += 1;
                }
            } else if node >= n {
                let j = node - n;
                if prev == sink {
                    self.to_sink[j as usize] -= 1;
                } else {
                    // The unit leaves where it was (the reverse arc that brought the path to
                    // the mentee, processed next, then has nothing left to do).
                    let slot = self.moving_slot(prev, source, source_slot);
                    let weight = self.search.pred_weight[node as usize];
                    self.attach(slot, j, weight);
                }
            }
            node = prev;
        }
    }

    /// Whether every unit is routed and no mentor has a deficit.
    pub(crate) fn is_complete(&self) -> bool {
        self.excess.is_empty() && self.sink_deficit == 0 && self.to_sink == self.load
    }
}
