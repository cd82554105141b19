//! Programme dashboards (R10.1, R10.5): what a scheme, a division or a whole organisation's
//! programme did over a period, against the period before, as tables the page charts and the
//! download and `tandem export report` write. Counts only: no person and no pair is named.

use crate::{App, AppError};
use std::collections::BTreeMap;
use tandem_core::application::FormProblem;
use tandem_core::authz::{Action, Actor, ReportScope, Scope, authorize};
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::programme::Scheme;
use tandem_core::reports::{Cell, Column, Period, ReportName, Table};
use tandem_core::{Organisation, OrganisationId, local_time};
use tandem_store::Tx;
use tandem_store::reports::{QualityBand, ReportFilter, Spread, Standing, Window};

mod reads;
mod tallies;

use reads::{Ask, Reads};
use tallies::{BY_DIVISION, BY_FORCE, BY_SCHEME, When};
use time::{Date, Duration, PrimitiveDateTime, Time};

/// What a person asked a dashboard for, as typed: each blank for the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportRequest {
    /// A scheme's key, or blank for every scheme.
    pub scheme: String,
    /// A division, or blank for every division.
    pub division: String,
    /// The first day, `YYYY-MM-DD`.
    pub from: String,
    /// The last day, `YYYY-MM-DD`.
    pub to: String,
}

/// A dashboard: its scope, its period and its tables.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The organisation whose programme it reports.
    pub organisation: Organisation,
    /// Only this scheme, if one was chosen.
    pub scheme: Option<Scheme>,
    /// Only this division, if one was chosen.
    pub division: Option<String>,
    /// The days reported.
    pub period: Period,
    /// The days compared with.
    pub previous: Period,
    /// The schemes that can be chosen.
    pub schemes: Vec<Scheme>,
    /// The divisions that can be chosen.
    pub divisions: Vec<String>,
    /// Its tables, in the order the page shows them.
    pub tables: Vec<Table>,
}

impl Dashboard {
    /// What the figures cover, in words: "Reverse mentoring, Response, 1 Dec 2025 to 30 Nov
    /// 2026".
    pub fn covers(&self) -> String {
        covers(
            &self.organisation,
            self.scheme.as_ref(),
            self.division.as_deref(),
            None,
            self.period,
        )
    }

    /// One table as a CSV file with the organisation's protective marking.
    pub fn csv(&self, name: ReportName) -> Option<String> {
        let table = self.tables.iter().find(|table| table.name == name)?;
        Some(table.csv(
            self.organisation.protective_marking.as_ref(),
            &self.covers(),
        ))
    }
}

/// What a report's figures cover, in words: the organisation, the scheme and division if one
/// was chosen, which applications if only some, and the days.
pub(crate) fn covers(
    organisation: &Organisation,
    scheme: Option<&Scheme>,
    division: Option<&str>,
    applications: Option<&str>,
    period: Period,
) -> String {
    let mut parts = vec![organisation.name.clone()];
    parts.extend(scheme.map(|it| it.definition.name.clone()));
    parts.extend(division.map(|it| format!("{it} division")));
    parts.extend(applications.map(str::to_owned));
    parts.push(period.words());
    parts.join(", ")
}

/// The figures of one group (a scheme, a division, a force, or the whole) over a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Figures {
    applications: u64,
    matches: u64,
    running: u64,
    completed: u64,
    ended_early: u64,
    sessions: u64,
}

/// One of a group's figures.
type Count = fn(&Figures) -> u64;
/// The median or the 90th percentile of a spread.
type SpreadValue = fn(&Spread) -> Option<f64>;

const BREAKDOWN_COLUMNS: [&str; 6] = [
    "Applications",
    "Matches",
    "Running",
    "Completed",
    "Ended early",
    "Sessions held",
];

impl Figures {
    fn cells(self) -> [Cell; 6] {
        [
            Cell::Count(self.applications),
            Cell::Count(self.matches),
            Cell::Count(self.running),
            Cell::Count(self.completed),
            Cell::Count(self.ended_early),
            Cell::Count(self.sessions),
        ]
    }
}

/// The window of instants a period covers, midnight to midnight in `zone`.
pub(crate) fn window(period: Period, zone: &str) -> Result<Window, AppError> {
    let midnight = |day: Date| {
        local_time::to_utc(PrimitiveDateTime::new(day, Time::MIDNIGHT), zone)
            .map_err(|reason| AppError::Conflict(format!("the organisation's {reason}")))
    };
    Ok(Window {
        start: midnight(period.from)?,
        end: midnight(period.to + Duration::days(1))?,
    })
}

/// The scope `actor` may see a report of: the one asked for, or, when nothing was asked for
/// and the whole organisation is beyond them, the first scheme or division they look after.
fn scope_for(
    actor: &Actor,
    organisation: OrganisationId,
    scheme: Option<&Scheme>,
    division: Option<&str>,
) -> Result<ReportScope, AppError> {
    let asked = ReportScope {
        organisation,
        scheme: scheme.map(|it| it.id),
        division: division.map(str::to_owned),
    };
    let denied = match authorize(actor, &Action::ViewReports(asked.clone())) {
        Ok(()) => return Ok(asked),
        Err(denied) => denied,
    };
    if scheme.is_some() || division.is_some() {
        return Err(denied.into());
    }
    let Actor::Person { grants, .. } = actor else {
        return Err(denied.into());
    };
    grants
        .iter()
        .find_map(|grant| match &grant.scope {
            Scope::Scheme {
                organisation: it,
                scheme,
            } if *it == organisation => Some(ReportScope {
                organisation,
                scheme: Some(*scheme),
                division: None,
            }),
            Scope::Division {
                organisation: it,
                division,
            } if *it == organisation => Some(ReportScope {
                organisation,
                scheme: None,
                division: Some(division.clone()),
            }),
            _ => None,
        })
        .ok_or_else(|| denied.into())
}

/// Whether `actor` sees any of `organisation`'s reports: its whole programme, or a scheme or a
/// division of it they look after.
pub fn may_see_reports(actor: &Actor, organisation: OrganisationId) -> bool {
    scope_for(actor, organisation, None, None).is_ok()
}

fn change(now: Option<f64>, before: Option<f64>) -> Cell {
    Cell::Change(now.zip(before).map(|(now, before)| now - before))
}

#[allow(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
fn number(count: u64) -> Option<f64> {
    Some(count as f64)
}

fn headline(
    now: (&Figures, &[Spread; 3]),
    before: (&Figures, &[Spread; 3]),
    period: Period,
) -> Table {
    let counts: [(&str, Count); 6] = [
        ("Applications received", |it| it.applications),
        ("Matches made", |it| it.matches),
        ("Relationships running", |it| it.running),
        ("Relationships completed", |it| it.completed),
        ("Relationships ended early", |it| it.ended_early),
        ("Sessions held", |it| it.sessions),
    ];
    let mut rows: Vec<Vec<Cell>> = counts
        .iter()
        .map(|(measure, count)| {
            let (this, last) = (count(now.0), count(before.0));
            vec![
                Cell::Text((*measure).to_owned()),
                Cell::Count(this),
                Cell::Count(last),
                change(number(this), number(last)),
            ]
        })
        .collect();
    let spreads: [(&str, usize, SpreadValue); 5] = [
        ("Median wait for a match after approval (days)", 0, |it| {
            it.median
        }),
        ("90th percentile wait for a match (days)", 0, |it| it.p90),
        ("Median time from application to match (days)", 1, |it| {
            it.median
        }),
        ("90th percentile time to match (days)", 1, |it| it.p90),
        ("Median length of completed relationships (days)", 2, |it| {
            it.median
        }),
    ];
    for (measure, span, value) in spreads {
        let (this, last) = (value(&now.1[span]), value(&before.1[span]));
        rows.push(vec![
            Cell::Text(measure.to_owned()),
            Cell::Days(this),
            Cell::Days(last),
            change(this, last),
        ]);
    }
    let wait = now.1[0].median.map_or_else(String::new, |days| {
        format!(" The median wait for a match was {days:.0} days.")
    });
    let summary = format!(
        "From {}: {} matches were made ({} the period before), {} relationships completed and {} sessions were held.{wait}",
        period.words(),
        now.0.matches,
        before.0.matches,
        now.0.completed,
        now.0.sessions,
    );
    Table {
        name: ReportName::Headline,
        columns: vec![
            Column::text("Measure"),
            Column::value("This period"),
            Column::value("Previous period"),
            Column::value("Change"),
        ],
        rows,
        summary,
    }
}

fn standing((snapshot, waiting): (Standing, u64)) -> Table {
    let rows = [
        ("Mentees approved and waiting for a match", waiting),
        (
            "Pairs before their introductory meeting",
            snapshot.introductory,
        ),
        ("Relationships active", snapshot.active),
        ("Relationships on hold", snapshot.on_hold),
        ("Relationships closing", snapshot.closing),
    ];
    Table {
        name: ReportName::Now,
        columns: vec![Column::text("Measure"), Column::value("Today")],
        rows: rows
            .iter()
            .map(|(measure, count)| vec![Cell::Text((*measure).to_owned()), Cell::Count(*count)])
            .collect(),
        summary: format!(
            "Today {} mentees are waiting for a match, and {} relationships are active ({} on hold).",
            waiting, snapshot.active, snapshot.on_hold
        ),
    }
}

/// Application states in the order a person follows them, with their words.
const STATES: [(&str, &str); 6] = [
    ("awaiting_manager", "Awaiting line manager"),
    ("awaiting_coordinator", "Awaiting coordinator"),
    ("approved", "Approved"),
    ("matched", "Matched"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
];

fn applications(rows: &[(String, String, u64)]) -> Table {
    let mut table_rows = Vec::new();
    let mut totals = Vec::new();
    for (role, words) in [("mentor", "To mentor"), ("mentee", "To be mentored")] {
        let count = |state: &str| {
            rows.iter()
                .filter(|(it, status, _)| it == role && status == state)
                .map(|(_, _, count)| *count)
                .sum::<u64>()
        };
        let mut row = vec![Cell::Text(words.to_owned())];
        row.extend(STATES.iter().map(|(state, _)| Cell::Count(count(state))));
        let total: u64 = STATES.iter().map(|(state, _)| count(state)).sum();
        row.push(Cell::Count(total));
        totals.push(total);
        table_rows.push(row);
    }
    let mut columns = vec![Column::text("Role")];
    columns.extend(STATES.iter().map(|(_, words)| Column::value(words)));
    columns.push(Column::value("Total"));
    Table {
        name: ReportName::Applications,
        columns,
        rows: table_rows,
        summary: format!(
            "{} applications to mentor and {} to be mentored were received.",
            totals.first().copied().unwrap_or(0),
            totals.get(1).copied().unwrap_or(0)
        ),
    }
}

fn monthly(months: &[Period], figures: &BTreeMap<Option<String>, Figures>) -> Table {
    let mut busiest: Option<(u64, String)> = None;
    let rows = months
        .iter()
        .enumerate()
        .map(|(position, month)| {
            let it = figures
                .get(&Some(position.to_string()))
                .copied()
                .unwrap_or_default();
            if it.matches > 0 && busiest.as_ref().is_none_or(|(most, _)| it.matches > *most) {
                busiest = Some((it.matches, month.month_words()));
            }
            vec![
                Cell::Text(month.month_words()),
                Cell::Count(it.matches),
                Cell::Count(it.completed),
                Cell::Count(it.ended_early),
                Cell::Count(it.sessions),
            ]
        })
        .collect();
    Table {
        name: ReportName::Monthly,
        columns: vec![
            Column::value("Month"),
            Column::value("Matches"),
            Column::value("Completed"),
            Column::value("Ended early"),
            Column::value("Sessions held"),
        ],
        rows,
        summary: busiest.map_or_else(
            || "No matches were made in the period.".to_owned(),
            |(most, month)| format!("The most matches in one month were made in {month}: {most}."),
        ),
    }
}

fn by_group(
    name: ReportName,
    heading: &str,
    figures: BTreeMap<Option<String>, Figures>,
    label: impl Fn(Option<&str>) -> String,
) -> Table {
    let mut rows: Vec<(String, Figures)> = figures
        .into_iter()
        .map(|(key, it)| (label(key.as_deref()), it))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let most = rows
        .iter()
        .filter(|(_, it)| it.matches > 0)
        .max_by_key(|(_, it)| it.matches);
    let summary = most.map_or_else(
        || "No matches were made in the period.".to_owned(),
        |(group, it)| format!("{group} made the most matches: {}.", it.matches),
    );
    let mut columns = vec![Column::text(heading)];
    columns.extend(BREAKDOWN_COLUMNS.iter().map(|it| Column::value(it)));
    Table {
        name,
        columns,
        rows: rows
            .into_iter()
            .map(|(group, it)| {
                let mut row = vec![Cell::Text(group)];
                row.extend(it.cells());
                row
            })
            .collect(),
        summary,
    }
}

/// What a report request comes to once read and authorised: the organisation, the scheme and
/// division it covers (narrowed to the actor's own when they asked for nothing), the period,
/// and the filter the store counts with. The dashboard and the equality report share it.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) owner: Organisation,
    pub(crate) scheme: Option<Scheme>,
    pub(crate) division: Option<String>,
    pub(crate) period: Period,
    pub(crate) filter: ReportFilter,
    /// The schemes the actor may choose, within the division chosen.
    pub(crate) schemes: Vec<Scheme>,
}

/// Reads `request` for `actor` and checks they may see what it covers.
pub(crate) async fn resolve(
    tx: &mut Tx,
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    request: &ReportRequest,
) -> Result<Resolved, AppError> {
    let owner = tx
        .organisations()
        .await?
        .into_iter()
        .find(|it| it.id == organisation)
        .ok_or_else(|| AppError::NotFound("there is no such organisation".to_owned()))?;
    let schemes = tx.schemes_of(organisation).await?;
    let scheme = match request.scheme.trim() {
        "" => None,
        raw => {
            let key = SchemeKey::parse(raw).map_err(|err| {
                AppError::Invalid(vec![FormProblem::at("scheme", err.to_string())])
            })?;
            Some(
                schemes
                    .iter()
                    .find(|it| it.definition.key == key)
                    .cloned()
                    .ok_or_else(|| {
                        AppError::NotFound(format!("there is no scheme called {key}"))
                    })?,
            )
        }
    };
    let division = Some(request.division.trim())
        .filter(|it| !it.is_empty())
        .map(|it| it.chars().take(200).collect::<String>());
    let scope = scope_for(actor, organisation, scheme.as_ref(), division.as_deref())?;
    let scheme = scope
        .scheme
        .and_then(|id| schemes.iter().find(|it| it.id == id).cloned());
    let today = local_time::to_local(app.clock.now(), &owner.time_zone).date();
    let period =
        Period::parse(Some(&request.from), Some(&request.to), today).map_err(|problem| {
            let field = match problem {
                tandem_core::reports::PeriodProblem::NotADate { field, .. } => field,
                _ => "from",
            };
            AppError::Invalid(vec![FormProblem::at(field, problem.to_string())])
        })?;
    let visible: Vec<Scheme> = schemes
        .into_iter()
        .filter(|it| {
            authorize(
                actor,
                &Action::ViewReports(ReportScope {
                    organisation,
                    scheme: Some(it.id),
                    division: scope.division.clone(),
                }),
            )
            .is_ok()
        })
        .collect();
    Ok(Resolved {
        owner,
        scheme,
        division: scope.division.clone(),
        period,
        filter: ReportFilter {
            organisation,
            scheme: scope.scheme,
            division: scope.division,
        },
        schemes: visible,
    })
}

#[allow(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
fn share(part: u64, whole: u64) -> Cell {
    Cell::Percent((whole > 0).then(|| part as f64 * 100.0 / whole as f64))
}

fn quality(bands: &[QualityBand]) -> Table {
    const QUARTERS: [&str; 4] = [
        "Lowest quarter",
        "Second quarter",
        "Third quarter",
        "Highest quarter",
    ];
    let rows = bands
        .iter()
        .map(|it| {
            vec![
                Cell::Text(
                    QUARTERS
                        .get(usize::from(it.band.saturating_sub(1)))
                        .copied()
                        .unwrap_or("Band")
                        .to_owned(),
                ),
                Cell::Text(format!("{} to {}", it.scores.0, it.scores.1)),
                Cell::Count(it.matches),
                share(it.met, it.matches),
                share(it.reviewed, it.matches),
                share(it.completed, it.matches),
                Cell::Decimal(it.pulse),
            ]
        })
        .collect();
    let rate = |it: &QualityBand| share(it.completed, it.matches).shown();
    let summary = match (bands.first(), bands.last()) {
        (Some(low), Some(high)) if bands.len() > 1 => format!(
            "Of the best-scored quarter's {} matches, {}% completed, against {}% of the lowest quarter's {}. Relationships still under way have not had their chance to complete.",
            high.matches,
            rate(high),
            rate(low),
            low.matches
        ),
        _ => "Too few scored matches were made in the period to compare.".to_owned(),
    };
    Table {
        name: ReportName::Quality,
        columns: vec![
            Column::value("Score band"),
            Column::value("Scores"),
            Column::value("Matches"),
            Column::value("Reached the first meeting %"),
            Column::value("Reached a progress review %"),
            Column::value("Completed %"),
            Column::value("Mean check-in score (1 to 5)"),
        ],
        rows,
        summary,
    }
}

/// The dashboard of `organisation`'s programme for what `request` asks.
pub async fn dashboard(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    request: &ReportRequest,
) -> Result<Dashboard, AppError> {
    let mut tx = app.store.begin_read().await?;
    let Resolved {
        owner,
        scheme,
        division,
        period,
        filter,
        schemes: visible,
    } = resolve(&mut tx, app, actor, organisation, request).await?;
    let previous = period.previous();
    let (now, before) = (
        window(period, &owner.time_zone)?,
        window(previous, &owner.time_zone)?,
    );
    let mut tables = Vec::new();

    let months = period.months();
    let month_windows = months
        .iter()
        .map(|month| window(*month, &owner.time_zone))
        .collect::<Result<Vec<_>, _>>()?;
    // A second connection, on the same snapshot where the backend can share one.
    let mut beside = app.store.begin_read_beside(&mut tx).await?;
    let Reads {
        tallies,
        spreads,
        quality: quality_bands,
        divisions,
    } = reads::read(
        &mut tx,
        &mut beside,
        &Ask {
            organisation,
            filter: &filter,
            now,
            before,
            months: &month_windows,
        },
    )
    .await?;
    beside.rollback().await?;
    let whole = |when| tallies.whole(when);
    let empty = [Spread::default(); 3];
    tables.push(headline(
        (&whole(When::Period), spreads.first().unwrap_or(&empty)),
        (&whole(When::Previous), spreads.get(1).unwrap_or(&empty)),
        period,
    ));
    tables.push(standing(tallies.standing()));
    tables.push(applications(&tallies.applications()));

    let by_month: BTreeMap<Option<String>, Figures> = (0..months.len())
        .map(|month| (Some(month.to_string()), whole(When::Month(month))))
        .collect();
    tables.push(monthly(&months, &by_month));

    if filter.scheme.is_none() {
        let by_scheme = tallies.figures(BY_SCHEME);
        tables.push(by_group(ReportName::Schemes, "Scheme", by_scheme, |key| {
            visible
                .iter()
                .find(|it| Some(it.definition.key.as_ref()) == key)
                .map_or_else(
                    || key.unwrap_or_default().to_owned(),
                    |it| it.definition.name.clone(),
                )
        }));
    }
    if filter.division.is_none() {
        let by_division = tallies.figures(BY_DIVISION);
        tables.push(by_group(
            ReportName::Divisions,
            "Division",
            by_division,
            |key| key.map_or_else(|| "No division recorded".to_owned(), str::to_owned),
        ));
    }
    let by_force = tallies.figures(BY_FORCE);
    if by_force.len() > 1 || owner.kind == tandem_core::OrganisationKind::National {
        let forces = tx.organisations().await?;
        tables.push(by_group(ReportName::Forces, "Force", by_force, |key| {
            forces
                .iter()
                .find(|it| Some(it.code.as_ref()) == key)
                .map_or_else(|| key.unwrap_or_default().to_owned(), |it| it.name.clone())
        }));
    }
    tables.push(quality(&quality_bands));
    Ok(Dashboard {
        organisation: owner,
        scheme,
        division,
        period,
        previous,
        schemes: visible,
        divisions,
        tables,
    })
}

/// One table of an organisation's dashboard as CSV, for `tandem export report`.
pub async fn export(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    name: ReportName,
    request: &ReportRequest,
) -> Result<String, AppError> {
    let id = crate::organisations::by_code(app, organisation).await?.id;
    let dashboard = dashboard(app, actor, id, request).await?;
    dashboard.csv(name).ok_or_else(|| {
        AppError::NotFound(format!(
            "the {} table is not part of this report: {}",
            name.code(),
            match name {
                ReportName::Schemes => "it splits figures by scheme, so leave out --scheme",
                ReportName::Divisions => "it splits figures by division, so leave out the division",
                _ => "its participants all come from one force",
            }
        ))
    })
}
