//! `tandem match …` and `tandem bench match`: a thin adapter over `tandem_match`.
//!
//! This file owns what the matching crate may not touch: files, the clock and the terminal.
//! Every decision (parsing, solving, explaining, rendering, generating) is a call into
//! `tandem_match`; nothing here scores or solves.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use tandem_match::{
    GenerateParams, NetworkParams, PairVerdict, Problem, explain_pair, generate, generate_network,
    parse_problem, problem_to_json, render_arcs_csv, render_pair_verdict, render_pairs_csv,
    render_solution, solve, verify_certificate,
};

/// `tandem match …`: solve, list arcs, explain a pair, generate a problem.
#[derive(Debug, Subcommand)]
pub enum MatchCommand {
    /// Solve a problem file: the pairs, the unmatched with reasons, then `matched=N total_score=S`.
    Solve {
        /// The problem file (JSON, see docs/matching.md).
        #[arg(long)]
        problem: PathBuf,
        /// Also write the pairs as CSV (`mentee,mentor,score,pinned`) to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Show each pair's score factor by factor.
        #[arg(long)]
        explain: bool,
    },
    /// Every feasible pair with its score, as CSV (`mentee,mentor,score`).
    Arcs {
        /// The problem file.
        #[arg(long)]
        problem: PathBuf,
    },
    /// One pair's score factor by factor, or the hard rules that forbid it.
    Explain {
        /// The problem file.
        #[arg(long)]
        problem: PathBuf,
        /// The mentee's id.
        #[arg(long)]
        mentee: String,
        /// The mentor's id.
        #[arg(long)]
        mentor: String,
    },
    /// Write a realistic, seeded problem file (the one the benchmark uses).
    Generate {
        /// Number of mentees.
        #[arg(long)]
        mentees: usize,
        /// Number of mentors (capacity 1 to 3 each).
        #[arg(long)]
        mentors: usize,
        /// Same seed, same problem.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Share of pairs the hard rules allow, 0 to 1.
        #[arg(long, default_value_t = 1.0, conflicts_with = "network")]
        density: f64,
        /// A cross-organisation network instead (the cohort of `tandem bench match --shape
        /// network`: a mentor from another organisation, one or two grades up, three mentors
        /// per mentee and three mentees per mentor).
        #[arg(long)]
        network: bool,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `tandem bench match`: solve generated cohorts and print time, memory and the optimum.
#[derive(Debug, Args)]
pub struct BenchMatchArgs {
    /// Number of mentees (with --mentors); without both, the standard sizes run.
    #[arg(long, requires = "mentors")]
    pub mentees: Option<usize>,
    /// Number of mentors (with --mentees).
    #[arg(long, requires = "mentees")]
    pub mentors: Option<usize>,
    /// Share of pairs the hard rules allow, 0 to 1.
    #[arg(long, default_value_t = 1.0)]
    pub density: f64,
    /// Seed of the generated cohorts.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// What the cohorts look like: `realistic` (generated), `identical` (every mentor alike
    /// with one place, every mentee alike: nothing but ties), `zero-weights` (realistic
    /// people, every weight 0, so every allowed pair scores the same) or `network` (many
    /// organisations, a mentor from another one and one or two grades up, three mentors per
    /// mentee; each size also solved with one mentor each, the problem scipy can solve).
    #[arg(long, value_enum, default_value_t = BenchShape::Realistic)]
    pub shape: BenchShape,
    /// Write each one-mentor problem's score matrix here (`SHAPE-MxN.f64`, row-major
    /// little-endian f64, a column per mentor's place; its sizes and bonus in `SHAPE-MxN.json`)
    /// for `bench/scipy` to time scipy's `linear_sum_assignment` on the same problem.
    #[arg(long, value_name = "DIR")]
    pub scipy_matrices: Option<PathBuf>,
    /// Add this many coordinator forbids (distinct pairs, spread over the cohort) to each
    /// cohort, to time reading a problem file that holds many (`parse_s`).
    #[arg(long, default_value_t = 0)]
    pub forbids: usize,
    /// A generated mentor takes 1 to this many mentees (1: every problem is one to one).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=3))]
    pub max_capacity: u32,
}

/// The shapes of cohort `tandem bench match` can time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchShape {
    /// Generated people with the default weights.
    Realistic,
    /// Identical profiles, one place per mentor.
    Identical,
    /// Generated people, every weight 0.
    ZeroWeights,
    /// A cross-organisation network: rules as policy, three mentors per mentee.
    Network,
}

impl BenchShape {
    fn name(self) -> &'static str {
        match self {
            BenchShape::Realistic => "realistic",
            BenchShape::Identical => "identical",
            BenchShape::ZeroWeights => "zero-weights",
            BenchShape::Network => "network",
        }
    }
}

/// The standard benchmark sizes (mentees, mentors).
const STANDARD_SIZES: [(usize, usize); 4] =
    [(100, 50), (1_000, 500), (5_000, 2_000), (20_000, 8_000)];

/// The sizes at which tied cohorts used to stall the solver (and a realistic larger one).
const TIED_SIZES: [(usize, usize); 5] = [
    (250, 250),
    (500, 500),
    (1_000, 1_000),
    (3_000, 3_000),
    (2_000, 800),
];

/// The sizes of the network comparison (mentees, mentors).
const NETWORK_SIZES: [(usize, usize); 3] = [(500, 500), (2_000, 2_000), (5_000, 5_000)];

/// A generated cohort in the shape asked for (for `network`, its three-mentor form).
fn bench_cohort(shape: BenchShape, params: &GenerateParams) -> Result<tandem_match::ProblemSpec> {
    if shape == BenchShape::Network {
        return network_cohort(params, 3);
    }
    let mut spec = generate(params).map_err(|error| anyhow::anyhow!("cannot generate: {error}"))?;
    match shape {
        BenchShape::Realistic | BenchShape::Network => {}
        BenchShape::ZeroWeights => {
            spec.scheme.weights = tandem_match::Weights {
                topic_fit: zero_weight()?,
                location_fit: zero_weight()?,
                rank_gap: zero_weight()?,
                experience: zero_weight()?,
                availability: zero_weight()?,
                preference: zero_weight()?,
                diversity: zero_weight()?,
            };
        }
        BenchShape::Identical => {
            let (Some(mentor), Some(mentee)) = (spec.mentors.first(), spec.mentees.first()) else {
                return Ok(spec);
            };
            let (mentor, mentee) = (mentor.clone(), mentee.clone());
            for (k, it) in spec.mentors.iter_mut().enumerate() {
                let id = tandem_match::PersonId::parse(&format!("MR{k}"))
                    .map_err(|error| anyhow::anyhow!("a generated id: {error}"))?;
                *it = tandem_match::Mentor {
                    id,
                    capacity: 1,
                    ..mentor.clone()
                };
            }
            for (k, it) in spec.mentees.iter_mut().enumerate() {
                let id = tandem_match::PersonId::parse(&format!("ME{k}"))
                    .map_err(|error| anyhow::anyhow!("a generated id: {error}"))?;
                *it = tandem_match::Mentee {
                    id,
                    preferred_mentor: None,
                    ..mentee.clone()
                };
            }
            spec.rules.forbids.clear();
            spec.rules.pins.clear();
        }
    }
    Ok(spec)
}

/// Adds `count` coordinator forbids on distinct pairs, every mentee's in turn.
fn add_forbids(spec: &mut tandem_match::ProblemSpec, count: usize) -> Result<()> {
    if count == 0 {
        return Ok(());
    }
    let (mentees, mentors) = (spec.mentees.len(), spec.mentors.len());
    if count > mentees.saturating_mul(mentors) {
        bail!(
            "{count} forbids do not fit in {mentees} x {mentors} pairs: ask for fewer, or a larger cohort"
        );
    }
    // The generator's own few forbids would repeat some of these pairs.
    spec.rules.forbids.clear();
    spec.rules.forbids.reserve(count);
    for k in 0..count {
        let (mentee, mentor) = (&spec.mentees[k % mentees], &spec.mentors[k / mentees]);
        spec.rules.forbids.push(tandem_match::Forbid {
            mentee: mentee.id.clone(),
            mentor: mentor.id.clone(),
            rule: tandem_match::ForbidRule::Forbidden,
            reason: String::new(),
        });
    }
    Ok(())
}

/// The network cohort of these sizes and seed, each mentee wanting `mentors` mentors and each
/// mentor taking as many mentees.
fn network_cohort(params: &GenerateParams, mentors: u8) -> Result<tandem_match::ProblemSpec> {
    generate_network(&NetworkParams {
        mentees: params.mentees,
        mentors: params.mentors,
        seed: params.seed,
        mentors_per_mentee: mentors,
        mentor_capacity: u32::from(mentors),
        ..NetworkParams::default()
    })
    .map_err(|error| anyhow::anyhow!("cannot generate: {error}"))
}

fn zero_weight() -> Result<tandem_match::Weight> {
    tandem_match::Weight::parse(0).map_err(|error| anyhow::anyhow!("weight 0: {error}"))
}

/// Runs one `tandem match` command.
pub fn run(cmd: MatchCommand) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match cmd {
        MatchCommand::Solve {
            problem,
            out: csv_path,
            explain,
        } => {
            let problem = read_problem(&problem)?;
            let solution = solve(&problem);
            let verification =
                verify_certificate(&problem, solution.assignment(), solution.certificate());
            if let Some(csv_path) = csv_path {
                fs::write(&csv_path, render_pairs_csv(&problem, &solution))
                    .with_context(|| format!("cannot write {}", csv_path.display()))?;
            }
            out.write_all(render_solution(&problem, &solution, &verification, explain).as_bytes())?;
            out.flush()?;
            if let Err(error) = verification {
                bail!("the solution's optimality certificate was refused: {error}");
            }
        }
        MatchCommand::Arcs { problem } => {
            let problem = read_problem(&problem)?;
            write!(out, "{}", render_arcs_csv(&problem))?;
            out.flush()?;
        }
        MatchCommand::Explain {
            problem,
            mentee,
            mentor,
        } => {
            let problem = read_problem(&problem)?;
            let Some(mentee_idx) = problem.mentee_index(&mentee) else {
                bail!("no mentee has id {mentee}");
            };
            let Some(mentor_idx) = problem.mentor_index(&mentor) else {
                bail!("no mentor has id {mentor}");
            };
            let verdict: PairVerdict = explain_pair(&problem, mentee_idx, mentor_idx);
            out.write_all(
                render_pair_verdict(&problem, mentee_idx, mentor_idx, &verdict).as_bytes(),
            )?;
            out.flush()?;
        }
        MatchCommand::Generate {
            mentees,
            mentors,
            seed,
            density,
            network,
            out: path,
        } => {
            let params = GenerateParams {
                mentees,
                mentors,
                seed,
                density,
                ..GenerateParams::default()
            };
            let spec = if network {
                network_cohort(&params, 3)?
            } else {
                generate(&params).map_err(|error| anyhow::anyhow!("cannot generate: {error}"))?
            };
            let json = problem_to_json(&spec);
            match path {
                Some(path) => fs::write(&path, json)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => {
                    out.write_all(json.as_bytes())?;
                    out.flush()?;
                }
            }
        }
    }
    Ok(())
}

/// Runs `tandem bench match`: per size, generate (seeded), solve, check the certificate.
pub fn bench(args: BenchMatchArgs) -> Result<()> {
    if let Some(dir) = &args.scipy_matrices {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let sizes = match (args.mentees, args.mentors) {
        (Some(mentees), Some(mentors)) => vec![(mentees, mentors)],
        _ => match args.shape {
            BenchShape::Realistic => STANDARD_SIZES.to_vec(),
            BenchShape::Network => NETWORK_SIZES.to_vec(),
            BenchShape::Identical | BenchShape::ZeroWeights => TIED_SIZES.to_vec(),
        },
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(
        out,
        "{:<13} {:>12} {:>7} {:>9} {:>9} {:>9} {:>9} {:>11} {:>9} {:>7} {:>8} {:>12}",
        "size",
        "shape",
        "density",
        "parse_s",
        "solve_s",
        "verify_s",
        "peak_mib",
        "pairs",
        "arcs",
        "rounds",
        "matched",
        "total_score"
    )?;
    for (mentees, mentors) in sizes {
        let params = GenerateParams {
            mentees,
            mentors,
            seed: args.seed,
            density: args.density,
            max_capacity: args.max_capacity,
        };
        let mut spec = bench_cohort(args.shape, &params)?;
        add_forbids(&mut spec, args.forbids)?;
        // A network's share of allowed pairs comes from its rules, not from --density.
        let density = (args.shape != BenchShape::Network).then_some(args.density);
        let problem = bench_row(&mut out, args.shape.name(), density, spec)?;
        let problem = if args.shape == BenchShape::Network {
            // scipy solves one mentor each; the network's own problem is a b-matching.
            let spec = network_cohort(&params, 1)?;
            bench_row(&mut out, "network-1:1", density, spec)?
        } else {
            problem
        };
        if let Some(dir) = &args.scipy_matrices {
            let name = format!("{}-{mentees}x{mentors}", args.shape.name());
            write_scipy_matrix(&problem, dir, &name)?;
        }
    }
    Ok(())
}

/// Reads one generated cohort as a problem file is read (parse and validation: `parse_s`),
/// solves it, checks its certificate and prints its row; gives the problem back for the scipy
/// matrix.
fn bench_row(
    out: &mut impl Write,
    shape: &str,
    density: Option<f64>,
    spec: tandem_match::ProblemSpec,
) -> Result<Problem> {
    let (mentees, mentors) = (spec.mentees.len(), spec.mentors.len());
    let json = problem_to_json(&spec);
    drop(spec);
    let started = Instant::now();
    let problem = parse_problem(&json)
        .map_err(|errors| anyhow::anyhow!("generated problem refused: {errors}"))?;
    let parse_s = started.elapsed().as_secs_f64();
    drop(json);

    crate::bench::reset_peak_memory();
    let started = Instant::now();
    let solution = solve(&problem);
    let solve_s = started.elapsed().as_secs_f64();
    let peak = crate::bench::peak_memory_bytes();

    let started = Instant::now();
    let verified = verify_certificate(&problem, solution.assignment(), solution.certificate())
        .map_err(|error| anyhow::anyhow!("{mentees}x{mentors}: certificate refused: {error}"))?;
    let verify_s = started.elapsed().as_secs_f64();

    let stats = solution.stats();
    let peak_mib = peak.map_or_else(
        || "n/a".to_owned(),
        |bytes| format!("{:.1}", bytes as f64 / 1_048_576.0),
    );
    writeln!(
        out,
        "{:<13} {:>12} {:>7} {:>9.3} {:>9.3} {:>9.3} {:>9} {:>11} {:>9} {:>7} {:>8} {:>12}",
        format!("{mentees}x{mentors}"),
        shape,
        density.map_or_else(|| "-".to_owned(), |density| format!("{density:.2}")),
        parse_s,
        solve_s,
        verify_s,
        peak_mib,
        verified.pairs_checked,
        stats.arcs,
        stats.pricing_rounds,
        solution.matched(),
        solution.total_score()
    )?;
    out.flush()?;
    Ok(problem)
}

/// The most cells of a matrix written for scipy (400 MB of f64).
const MAX_SCIPY_CELLS: usize = 50_000_000;

/// Writes a one-mentor problem as the dense matrix scipy maximises, a column per mentor's
/// place: an allowed pair is worth a bonus larger than any total of scores plus its score, a
/// forbidden pair 0. The bonus makes scipy match as many mentees as it can first, then
/// maximise the score, as Tandem does, so both answers have the same matched count and total.
fn write_scipy_matrix(problem: &Problem, dir: &Path, name: &str) -> Result<()> {
    let mentees = problem.mentees().len();
    if problem.mentees().iter().any(|it| it.mentors != 1) || !problem.rules().pins.is_empty() {
        bail!("{name}: scipy's assignment has one mentor per mentee and no pins");
    }
    // Each mentor's first column; a mentor's places are its columns.
    let mut first_column = Vec::with_capacity(problem.mentors().len());
    let mut columns = 0usize;
    for mentor in problem.mentors() {
        first_column.push(columns);
        columns += mentor.capacity as usize;
    }
    if mentees.saturating_mul(columns) > MAX_SCIPY_CELLS {
        eprintln!(
            "{name}: not written for scipy: {mentees} x {columns} places is over {MAX_SCIPY_CELLS} cells"
        );
        return Ok(());
    }
    let bonus = f64::from(tandem_match::max_pair_score(&problem.scheme().weights))
        * mentees.max(1) as f64
        + 1.0;
    let path = dir.join(format!("{name}.f64"));
    let file =
        fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut file = BufWriter::new(file);
    let mut row = vec![0.0f64; columns];
    for mentee in problem.mentee_indices() {
        row.fill(0.0);
        problem.for_each_allowed_pair(mentee, |mentor, score| {
            let first = first_column[mentor.index()];
            let places = problem.mentor(mentor).capacity as usize;
            row[first..first + places].fill(bonus + f64::from(score));
        });
        for value in &row {
            file.write_all(&value.to_le_bytes())?;
        }
    }
    file.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    let about = dir.join(format!("{name}.json"));
    let json = format!(
        "{{\"name\": \"{name}\", \"mentees\": {mentees}, \"mentors\": {}, \"columns\": {columns}, \"bonus\": {bonus}}}\n",
        problem.mentors().len()
    );
    fs::write(&about, json).with_context(|| format!("cannot write {}", about.display()))?;
    Ok(())
}

fn read_problem(path: &Path) -> Result<Problem> {
    let json =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_problem(&json).with_context(|| format!("{} is not a valid problem", path.display()))
}
