//! Exact max-weight capacitated assignment by successive shortest paths with potentials.
//!
//! The network: every free mentee has one unit to send, either through a candidate arc to a
//! mentor (cost `-weight`) and on to the sink, or straight to the sink (its "unmatched" arc,
//! cost 0). A mentor passes at most its capacity to the sink. A minimum-cost flow is a
//! maximum-weight assignment; weights are integers, so everything is exact.
//!
//! The algorithm keeps node potentials with non-negative reduced costs on every residual arc
//! and routes one unit at a time along a shortest path (Dijkstra on reduced costs, stopped
//! as soon as a target is settled, potentials moved for settled nodes only). A target is the
//! sink while it still expects flow, or a mentor with a "deficit": a mentor whose outflow to
//! the sink is kept while a mentee was taken off it, which is how a solve restarts warm after
//! new arcs arrive without giving up the mentor prices already found. When all units are
//! routed, the reduced costs prove optimality over the arcs given; `solve` then prices the
//! arcs it left out and comes back here with the violators.
//!
//! Ties are broken by index (input order) everywhere, so the result is deterministic.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::compiled::NONE;

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

/// The flow, the potentials and the search scratch space.
#[derive(Debug)]
pub(crate) struct Flow {
    n: usize,
    m: usize,
    pub(crate) arcs: Arcs,
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
    pred_arc: Vec<u32>,
    seen: Vec<u32>,
    done: Vec<u32>,
    stamp: u32,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    settled: Vec<u32>,
}

impl Flow {
    /// A flow with nothing routed: every mentee not `fixed` has one unit to send.
    ///
    /// Mentor potentials start at zero, mentee potentials at their best arc weight (or zero),
    /// which makes every reduced cost non-negative.
    pub(crate) fn new(arcs: Arcs, capacity: Vec<u32>, fixed: &[bool]) -> Flow {
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
            let best = arcs.of(i).map(|a| arcs.weight[a]).max().unwrap_or(0);
            *potential = best.max(0);
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
                pred_arc: vec![NONE; nodes],
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
            let range = self.arcs.of(iu);
            if range.is_empty() {
                self.pot_mentee[iu] = self.pot_sink;
                self.attach_unmatched(i);
                self.sink_deficit -= 1;
                continue;
            }
            let tight = self.pot_mentee[iu];
            let mut placed = false;
            for a in range {
                let j = self.arcs.mentor[a] as usize;
                let reduced = -self.arcs.weight[a] + tight - self.pot_mentor[j];
                if reduced == 0
                    && self.pot_mentor[j] == self.pot_sink
                    && self.to_sink[j] < self.capacity[j]
                    && self.sink_deficit > 0
                {
                    self.attach(i, j as u32, self.arcs.weight[a]);
                    self.to_sink[j] += 1;
                    self.sink_deficit -= 1;
                    placed = true;
                    break;
                }
            }
            if !placed {
                left.push(i);
            }
        }
        self.excess = left;
    }

    /// Routes every unit still waiting, one shortest path each.
    pub(crate) fn route_all(&mut self) {
        let excess = std::mem::take(&mut self.excess);
        for i in excess {
            self.route_one(i);
        }
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
        for a in self.arcs.of(iu) {
            potential =
                potential.max(self.arcs.weight[a] + self.pot_mentor[self.arcs.mentor[a] as usize]);
        }
        self.pot_mentee[iu] = potential;
        self.excess.push(i);
    }

    /// Replaces the arcs (a superset of the old ones, same weights for the old ones).
    pub(crate) fn set_arcs(&mut self, arcs: Arcs) {
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

    fn potential(&self, node: u32) -> i64 {
        let node = node as usize;
        if node < self.n {
            self.pot_mentee[node]
        } else if node < self.n + self.m {
            self.pot_mentor[node - self.n]
        } else {
            self.pot_sink
        }
    }

    fn is_target(&self, node: u32) -> bool {
        let node = node as usize;
        if node == self.n + self.m {
            self.sink_deficit > 0
        } else if node >= self.n {
            let j = node - self.n;
            self.to_sink[j] > self.load[j]
        } else {
            false
        }
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
        let stamp = search.stamp;
        search.seen[source as usize] = stamp;
        search.dist[source as usize] = 0;
        search.pred[source as usize] = NONE;
        search.heap.push(Reverse((0, source)));

        let target = loop {
            let Some(Reverse((dist, node))) = self.search.heap.pop() else {
                // Unreachable by construction (the unmatched arc always leads to a target),
                // but stopping here leaves a valid, if partial, flow rather than a panic.
                return;
            };
            if self.search.done[node as usize] == stamp {
                continue;
            }
            self.search.done[node as usize] = stamp;
            self.search.settled.push(node);
            if self.is_target(node) {
                break (node, dist);
            }
            self.relax_from(node, dist);
        };
        self.settled += self.search.settled.len() as u64;

        let (target, target_dist) = target;
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

    fn relax(&mut self, node: u32, dist: i64, pred: u32, pred_arc: u32) {
        let search = &mut self.search;
        let k = node as usize;
        if search.done[k] == search.stamp {
            return;
        }
        if search.seen[k] != search.stamp || dist < search.dist[k] {
            search.seen[k] = search.stamp;
            search.dist[k] = dist;
            search.pred[k] = pred;
            search.pred_arc[k] = pred_arc;
            search.heap.push(Reverse((dist, node)));
        }
    }

    fn relax_from(&mut self, node: u32, dist: i64) {
        let n = self.n;
        let sink = self.sink();
        let potential = self.potential(node);
        let k = node as usize;
        if k < n {
            let route = self.route[k];
            for a in self.arcs.of(k) {
                let j = self.arcs.mentor[a];
                if j == route {
                    continue;
                }
                let reduced = -self.arcs.weight[a] + potential - self.pot_mentor[j as usize];
                self.relax(n as u32 + j, dist + reduced, node, a as u32);
            }
            if route != UNMATCHED {
                self.relax(sink, dist + potential - self.pot_sink, node, NONE);
            }
        } else if k < n + self.m {
            let j = k - n;
            if self.to_sink[j] < self.capacity[j] {
                self.relax(sink, dist + potential - self.pot_sink, node, NONE);
            }
            let mut i = self.first_mentee[j];
            while i != NONE {
                let reduced =
                    self.route_weight[i as usize] + potential - self.pot_mentee[i as usize];
                self.relax(i, dist + reduced, node, NONE);
                i = self.next_mentee[i as usize];
            }
        } else {
            for j in 0..self.m {
                if self.to_sink[j] > 0 {
                    let reduced = potential - self.pot_mentor[j];
                    self.relax((n + j) as u32, dist + reduced, node, NONE);
                }
            }
            for u in 0..self.unmatched.len() {
                let i = self.unmatched[u];
                let reduced = potential - self.pot_mentee[i as usize];
                self.relax(i, dist + reduced, node, NONE);
            }
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
            let arc = self.search.pred_arc[node as usize];
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
                    let weight = self.arcs.weight[arc as usize];
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
