//! A dashboard's reads, shared out between two connections as each becomes free.
//!
//! A fixed split of the reads into two halves balanced on one backend and not on the other
//! (the divisions cost four times as much on PostgreSQL as on SQLite), so each connection takes
//! the next read of one list, costliest first, when it finishes the last: the two finish
//! within one small read of each other on either backend.

use super::tallies::{Applied, Held, Tallies};
use crate::AppError;
use std::sync::atomic::{AtomicUsize, Ordering};
use tandem_core::OrganisationId;
use tandem_store::Tx;
use tandem_store::reports::{
    ApplicationTally, PairCounts, PairTally, Place, QualityBand, ReportFilter, Spread, Window,
};

/// What a dashboard asks of the store.
pub(super) struct Ask<'a> {
    pub(super) organisation: OrganisationId,
    pub(super) filter: &'a ReportFilter,
    /// The period reported.
    pub(super) now: Window,
    /// The period compared with.
    pub(super) before: Window,
    /// Each month of the period.
    pub(super) months: &'a [Window],
}

/// Everything a dashboard reads.
pub(super) struct Reads {
    pub(super) tallies: Tallies,
    /// The spreads of the period, then of the previous period.
    pub(super) spreads: Vec<[Spread; 3]>,
    pub(super) quality: Vec<QualityBand>,
    /// The divisions that can be chosen.
    pub(super) divisions: Vec<String>,
}

/// One read.
#[derive(Debug, Clone, Copy)]
enum Piece {
    Spreads,
    PairsByPlace,
    Sessions,
    Divisions,
    Quality,
    Applications,
    SessionsByPlace,
    Pairs,
    ApplicationsByPlace,
}

/// Every read, costliest first on the benchmark's force (`docs/benchmarks.md`), so that the
/// last ones to be handed out are small.
const PIECES: [Piece; 9] = [
    Piece::Spreads,
    Piece::PairsByPlace,
    Piece::Sessions,
    Piece::Divisions,
    Piece::Quality,
    Piece::Applications,
    Piece::SessionsByPlace,
    Piece::Pairs,
    Piece::ApplicationsByPlace,
];

/// What one read gave.
enum Read {
    Spreads(Vec<[Spread; 3]>),
    PairsByPlace(Vec<(Place, PairCounts)>),
    Sessions(Vec<u64>),
    Divisions(Vec<String>),
    Quality(Vec<QualityBand>),
    Applications(Vec<ApplicationTally>),
    SessionsByPlace(Vec<(Place, u64)>),
    Pairs(PairTally),
    ApplicationsByPlace(Vec<(Place, u64)>),
}

/// Reads everything a dashboard shows on `tx` and `beside` at once.
pub(super) async fn read(tx: &mut Tx, beside: &mut Tx, ask: &Ask<'_>) -> Result<Reads, AppError> {
    let next = AtomicUsize::new(0);
    let (first, second) = tokio::try_join!(take(tx, &next, ask), take(beside, &next, ask))?;
    let (mut held, mut applied) = (Held::default(), Applied::default());
    let (mut spreads, mut quality, mut divisions) = (Vec::new(), Vec::new(), Vec::new());
    // Every piece was read once: a failed read ended the dashboard above.
    for read in first.into_iter().chain(second) {
        match read {
            Read::Spreads(it) => spreads = it,
            Read::PairsByPlace(it) => held.pairs_by_place = it,
            Read::Sessions(it) => held.sessions = it,
            Read::Divisions(it) => divisions = it,
            Read::Quality(it) => quality = it,
            Read::Applications(it) => applied.applications = it,
            Read::SessionsByPlace(it) => held.sessions_by_place = it,
            Read::Pairs(it) => held.pairs = it,
            Read::ApplicationsByPlace(it) => applied.applications_by_place = it,
        }
    }
    Ok(Reads {
        tallies: Tallies::new(held, applied),
        spreads,
        quality,
        divisions,
    })
}

/// Takes the next read not yet taken, on `tx`, until none is left.
async fn take(tx: &mut Tx, next: &AtomicUsize, ask: &Ask<'_>) -> Result<Vec<Read>, AppError> {
    let mut done = Vec::new();
    while let Some(piece) = PIECES.get(next.fetch_add(1, Ordering::Relaxed)) {
        done.push(one(tx, *piece, ask).await?);
    }
    Ok(done)
}

async fn one(tx: &mut Tx, piece: Piece, ask: &Ask<'_>) -> Result<Read, AppError> {
    let Ask {
        organisation,
        filter,
        now,
        before,
        months,
    } = *ask;
    Ok(match piece {
        Piece::Spreads => Read::Spreads(tx.report_spreads(filter, &[now, before]).await?),
        Piece::PairsByPlace => {
            Read::PairsByPlace(tx.report_pair_tallies_by_place(filter, now).await?)
        }
        Piece::Sessions => {
            // The previous period, then each month: stretches end to end.
            let mut bounds = vec![before.start];
            bounds.extend(months.iter().map(|it| it.start));
            bounds.push(now.end);
            Read::Sessions(tx.report_sessions(filter, &bounds).await?)
        }
        Piece::Divisions => Read::Divisions(tx.report_divisions(organisation).await?),
        Piece::Quality => Read::Quality(tx.report_quality(filter, now).await?),
        Piece::Applications => Read::Applications(
            tx.report_application_tallies(filter, &[now, before])
                .await?,
        ),
        Piece::SessionsByPlace => Read::SessionsByPlace(
            tx.report_sessions_by_place(filter, &[now.start, now.end])
                .await?
                .into_iter()
                .map(|(place, counts)| (place, counts.iter().sum()))
                .collect(),
        ),
        Piece::Pairs => {
            let mut windows = vec![now, before];
            windows.extend_from_slice(months);
            Read::Pairs(tx.report_pair_tallies(filter, &windows).await?)
        }
        Piece::ApplicationsByPlace => {
            Read::ApplicationsByPlace(tx.report_applications_by_place(filter, now).await?)
        }
    })
}
