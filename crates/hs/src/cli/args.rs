//! Raw arguments: the clap definitions of every subcommand and flag.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::flags::{ANY, CATEGORIES};

/// `hs --version`: the version, then the US schedule the data folder
/// (`$HS_DATA_DIR` or the built-in one) holds (`-V` prints the first line).
fn long_version() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let schedule = crate::load::resolve_data_dir(None)
            .and_then(|d| crate::load::find_schedule(&d))
            .map_or_else(|_| "no US schedule found".to_string(), |s| s.name());
        format!("{}\nschedule: {schedule}", env!("CARGO_PKG_VERSION"))
    })
}

#[derive(Debug, Parser)]
#[command(
    name = "hs",
    version,
    long_version = long_version(),
    about = "Classify goods into Harmonized System codes and look up US tariffs",
    long_about = "Classify goods into Harmonized System (HS 2022) codes and the US tariff lines under them.\n\nExit codes: 0 found, 1 nothing found (or some rows got no result), 2 usage, input or data error, 130 a bulk run stopped by Ctrl-C (its output holds whole lines only)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct Global {
    /// Reference data folder (default: $HS_DATA_DIR, then the folder recorded at build time)
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Index folder (default: $HS_INDEX_DIR, then index/ in the repository, then the user cache)
    #[arg(long, global = true, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// No progress or notices on stderr
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Use this precedent file for this run (CSV or JSON lines with description and code; repeatable), in place of the store
    #[arg(long, global = true, value_name = "FILE")]
    pub precedents: Vec<PathBuf>,
    /// Use no precedents at all (neither the store nor --precedents)
    #[arg(long, global = true, conflicts_with = "precedents")]
    pub no_precedents: bool,
    /// Any reported row of a precedent file is an error (exit 2) instead of a warning
    #[arg(long, global = true)]
    pub strict: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a code: its path from the section down, children, units, duty and notes
    Show(ShowArgs),
    /// Ranked code suggestions for a description (or a code's subtree)
    Search(SearchArgs),
    /// Classify many descriptions from a CSV file or lines (bulk)
    Classify(ClassifyArgs),
    /// Measure ranking against a labelled CSV (description,gold)
    Eval(EvalArgs),
    /// Build the index or report on it
    Index(IndexArgs),
    /// List the controlled-goods flags table (categories, code ranges, reasons, sources)
    Flags(FlagsArgs),
    /// List the codes added and deleted between HS 2017 and HS 2022
    DiffEditions(DiffEditionsArgs),
    /// The US duty for goods of an origin: the rate that applies, why, and the arithmetic
    Duty(DutyArgs),
    /// Chapter 99 measures (Section 301, 232, 122, IEEPA...) in force on a date, or the lines one covers
    Measures(MeasuresArgs),
    /// Interactive terminal UI: live suggestions, the code tree, the rules, a quiz
    Tui(TuiArgs),
    /// Choose a code in the terminal UI and print it on stdout: code=$(hs pick)
    Pick(PickArgs),
    /// Practise classifying: narrow a description down to section, chapter, heading, subheading
    Quiz(QuizArgs),
    /// Resolve many codes from a CSV file or lines (bulk): normalised code, status, description, HS six digits
    ///
    /// Each row gets a status: `found`; `unknown` (well-formed but not in the current edition: `nearest` lists the nearest existing codes); `deleted-2022` (in HS 2017, deleted by HS 2022: `hs2017_description` says what it was); `malformed` (not a code: `error` has the parser's message). More statuses may be added; treat one you do not know as not found.
    Lookup(LookupArgs),
    /// Print a shell completion script to stdout (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout, e.g. `hs man > hs.1`
    Man,
    /// Keep named sets of precedents (your classified history) that search, classify, tui and pick consult
    Precedents(PrecedentsArgs),
    /// Find rows of a classified history whose declared code disagrees with the evidence
    Audit(AuditArgs),
    /// Serve the HTTP JSON API (search, classify, codes, duty, /openapi.json)
    ///
    /// Listens on loopback (127.0.0.1:8080) by default; any other address needs a token (--token or HS_TOKEN), checked as `Authorization: Bearer TOKEN`. SIGTERM or Ctrl-C drain the requests in flight and exit 0.
    Serve(ServeArgs),
    /// Serve the Model Context Protocol over stdio, for AI agents (tools: search, show, duty, classify)
    ///
    /// Standard output carries only JSON-RPC messages, one a line; notices go to stderr. When the input ends, every request already read is answered, then it exits 0.
    Mcp(McpArgs),
}

#[derive(Debug, Args)]
pub struct PrecedentsArgs {
    #[command(subcommand)]
    pub action: PrecedentsAction,
}

#[derive(Debug, Subcommand)]
pub enum PrecedentsAction {
    /// Check a precedent file and index it as a named set (re-adding a changed file rebuilds that set)
    Add {
        /// CSV (header with description and code; optional source, date, reference, note) or JSON lines
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The set's name (default: the file name without its extension)
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// One JSON object
        #[arg(long)]
        json: bool,
    },
    /// The sets in the store: name, rows, source file, when added
    List {
        /// One JSON object
        #[arg(long)]
        json: bool,
    },
    /// Remove a set from the store
    Remove {
        #[arg(value_name = "NAME")]
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Classified history: CSV with a description and a code column
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// CSV column holding the descriptions
    #[arg(long, default_value = "description")]
    pub column: String,
    /// CSV column holding the declared codes
    #[arg(long, default_value = "code")]
    pub code_column: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Report rows at this risk or above (0 to 1)
    #[arg(long, default_value_t = 0.5, value_name = "R")]
    pub min_risk: f32,
    /// Report every row with its risk (for measuring), not only risky ones
    #[arg(long)]
    pub all: bool,
    /// Also consult the store's precedent sets (by default only the file's other rows)
    #[arg(long)]
    pub use_store: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port; the address is printed on stderr)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: std::net::SocketAddr,
    /// Bearer token required on every route but /health (default: $HS_TOKEN; required off loopback)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Consult the store's precedent sets (by default the service uses none, so its answers never depend silently on a user's files)
    #[arg(long)]
    pub use_store: bool,
}

#[derive(Debug, Args)]
pub struct McpArgs {
    /// Consult the store's precedent sets (by default none)
    #[arg(long)]
    pub use_store: bool,
}

/// The most suggestions `--top` may ask for: ranking weighs at most this
/// many candidates, so more could never be filled.
pub const MAX_TOP: usize = 200;

/// `--top N`: a whole number from 1 to [`MAX_TOP`]; anything else is a
/// usage error (exit 2) giving the range.
fn top_parser(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_TOP).contains(&n) => Ok(n),
        _ => Err(format!("--top takes a whole number from 1 to {MAX_TOP}")),
    }
}

/// `--flag CATEGORY`: one of the flag categories, or `any`; unknown names
/// are a usage error listing the categories.
fn flag_parser() -> PossibleValuesParser {
    let mut values: Vec<PossibleValue> = CATEGORIES
        .iter()
        .map(|(slug, about)| PossibleValue::new(*slug).help(*about))
        .collect();
    values.push(PossibleValue::new(ANY).help("Any flag at all"));
    PossibleValuesParser::new(values)
}

/// `--level`: 4 (headings) or 6 (subheadings).
fn edition_level(s: &str) -> Result<u8, String> {
    match s.trim() {
        "4" => Ok(4),
        "6" => Ok(6),
        _ => Err(format!(
            "'{s}' is not a level to compare: use 4 (headings) or 6 (subheadings)"
        )),
    }
}

#[derive(Debug, Args)]
pub struct FlagsArgs {
    /// One JSON object: {"flags_disclaimer", "categories", "flags"}
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DiffEditionsArgs {
    /// One JSON object: {"old", "new", "level", "added", "deleted"}
    #[arg(long)]
    pub json: bool,
    /// Compare headings (4) or subheadings (6)
    #[arg(long, default_value = "6", value_parser = edition_level, value_name = "4|6")]
    pub level: u8,
}
/// Which national lines are shown and suggested under the HS six digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ScheduleArg {
    /// US Harmonized Tariff Schedule (8- and 10-digit lines, with US rates)
    #[default]
    Us,
    /// EU Combined Nomenclature 2026 (8-digit lines, with supplementary units)
    Eu,
}

impl ScheduleArg {
    pub fn schedule(self) -> crate::cn::Schedule {
        match self {
            ScheduleArg::Us => crate::cn::Schedule::Us,
            ScheduleArg::Eu => crate::cn::Schedule::Eu,
        }
    }
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The code: 6109.10, 610910, 6109 10, 6109.10.00.12; or a section (XI)
    #[arg(required = true, num_args = 1.., value_name = "CODE")]
    pub code: Vec<String>,
    /// Print the section and chapter notes in full
    #[arg(long)]
    pub notes: bool,
    /// One JSON object
    #[arg(long)]
    pub json: bool,
    /// Show the HS subheading with its national lines in every schedule: US HTS 10-digit and EU CN 8-digit lines, side by side on a wide terminal
    #[arg(long, conflicts_with = "notes")]
    pub all_schedules: bool,
    /// National lines to show under an HS subheading: us (HTS) or eu (CN 2026)
    #[arg(long, value_enum, default_value_t = ScheduleArg::Us)]
    pub schedule: ScheduleArg,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Description of the goods (several words may be given unquoted)
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
    /// Number of suggestions (1 to 200)
    #[arg(long, default_value_t = 10, value_parser = top_parser, allow_negative_numbers = true)]
    pub top: usize,
    /// JSON: {"query": ..., "suggestions": [...]}
    #[arg(long)]
    pub json: bool,
    /// Keep only suggestions carrying this flag (repeatable; `any` for any flag; see `hs flags`)
    #[arg(long, value_name = "CATEGORY", value_parser = flag_parser())]
    pub flag: Vec<String>,
    /// National lines to suggest: us (HTS) or eu (CN 2026); the ranking of HS subheadings is the same
    #[arg(long, value_enum, default_value_t = ScheduleArg::Us)]
    pub schedule: ScheduleArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
    Tsv,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// Input file (`-` for stdin)
    #[arg(long, short, default_value = "-", value_name = "FILE")]
    pub input: PathBuf,
    /// CSV column holding the descriptions
    #[arg(long, default_value = "description")]
    pub column: String,
    /// One description a line instead of CSV
    #[arg(long)]
    pub lines: bool,
    /// Suggestions per row (1 to 200)
    #[arg(long, default_value_t = 5, value_parser = top_parser, allow_negative_numbers = true)]
    pub top: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Print only the best code of each row, one a line
    #[arg(long)]
    pub codes_only: bool,
    /// Keep only rows where any suggestion carries this flag (repeatable; `any` for any flag; see `hs flags`)
    #[arg(long, value_name = "CATEGORY", value_parser = flag_parser())]
    pub flag: Vec<String>,
    /// Add each suggestion's US General rate (CSV/TSV: hs_general_rate_N after hs_confidence_N; JSON lines: general_rate)
    #[arg(long)]
    pub with_rates: bool,
    /// With --with-rates: each suggestion's chapter 99 additional rate and total rate (percent) for goods of this origin, ISO 3166-1 alpha-2 (CSV/TSV: hs_additional_rate_N, hs_total_rate_N after hs_general_rate_N; JSON lines: additional_rate, total_rate, null with rate_note when not ad valorem)
    #[arg(long, value_name = "CC", requires = "with_rates")]
    pub origin: Option<String>,
    /// With --origin: the date of entry the measures are judged on (YYYY-MM-DD; default today)
    #[arg(long, value_name = "DATE", requires = "origin")]
    pub date: Option<String>,
    /// National lines to suggest: us (HTS) or eu (CN 2026)
    #[arg(long, value_enum, default_value_t = ScheduleArg::Us)]
    pub schedule: ScheduleArg,
    /// Search every row, even one whose description repeats an earlier row's (by default repeats reuse its result; the output is the same)
    #[arg(long)]
    pub no_cache: bool,
    /// CSV/TSV: write cells byte for byte (no `'` before cells a spreadsheet would run as formulas, control characters not escaped; TSV still escapes tab, newline, CR and backslash)
    #[arg(long)]
    pub raw_cells: bool,
}

#[derive(Debug, Args)]
pub struct DutyArgs {
    /// A US tariff line (8 digits, 6109.10.00) or statistical line (10 digits, 6109.10.00.12)
    #[arg(required = true, num_args = 1.., value_name = "CODE")]
    pub code: Vec<String>,
    /// Country of origin of the goods: ISO 3166-1 alpha-2 code (CN, MX, DE...)
    #[arg(long, short, value_name = "CC")]
    pub origin: String,
    /// Customs value in USD (for ad valorem rates)
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub value: Option<f64>,
    /// Quantity, in the line's first unit of quantity unless --unit says otherwise (for specific rates)
    #[arg(long, value_name = "Q", allow_negative_numbers = true)]
    pub quantity: Option<f64>,
    /// The unit of --quantity: one of the line's units of quantity (e.g. kg on a line reporting doz. and kg)
    #[arg(long, value_name = "UNIT", requires = "quantity")]
    pub unit: Option<String>,
    /// The date of entry: decides which programs and chapter 99 measures apply (YYYY-MM-DD; default today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// How the goods arrive: the Harbor Maintenance Fee applies by sea only (default: not stated, no HMF)
    #[arg(long, value_enum, value_name = "MODE")]
    pub transport: Option<TransportArg>,
    /// Formal or informal entry (default: informal up to $2,500, formal above)
    #[arg(long, value_enum, value_name = "KIND")]
    pub entry: Option<EntryArg>,
    /// Leave out the fees (MPF, HMF)
    #[arg(long)]
    pub no_fees: bool,
    /// One JSON object
    #[arg(long)]
    pub json: bool,
}

/// `--transport`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TransportArg {
    Sea,
    Air,
    Land,
    Mail,
}

/// `--entry`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EntryArg {
    Formal,
    Informal,
}

#[derive(Debug, Args)]
pub struct MeasuresArgs {
    /// A chapter 99 heading (9903.88.15): show that measure (with --lines, the lines it covers)
    #[arg(value_name = "HEADING")]
    pub code: Option<String>,
    /// List the measures in force on this day (YYYY-MM-DD; default today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Only measures that apply to goods of this origin (ISO 3166-1 alpha-2)
    #[arg(long, short, value_name = "CC")]
    pub origin: Option<String>,
    /// With HEADING: list the lines its product list covers
    #[arg(long, requires = "code")]
    pub lines: bool,
    /// One JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Input file (`-` for stdin)
    #[arg(long, short, default_value = "-", value_name = "FILE")]
    pub input: PathBuf,
    /// CSV column holding the codes
    #[arg(long, default_value = "code")]
    pub column: String,
    /// One code a line instead of CSV
    #[arg(long)]
    pub lines: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Print only the normalised code of each row that exists, one a line (an empty line otherwise)
    #[arg(long)]
    pub codes_only: bool,
    /// CSV/TSV: write cells byte for byte (no `'` before cells a spreadsheet would run as formulas, control characters not escaped; TSV still escapes tab, newline, CR and backslash)
    #[arg(long)]
    pub raw_cells: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labelled CSV with a description and a gold column
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[arg(long, default_value = "description")]
    pub column: String,
    #[arg(long, default_value = "gold")]
    pub gold: String,
    /// Figures by gold chapter
    #[arg(long)]
    pub by_chapter: bool,
    /// JSON output
    #[arg(long)]
    pub json: bool,
    /// Write each row's predictions as JSON lines to this file
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// K-fold cross-validation: each fold is ranked with the other folds' rows as precedents
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(2..=100))]
    pub cross_validate: Option<u64>,
    /// Seed of the fold split (default 2022, so figures repeat)
    #[arg(long, value_name = "N", requires = "cross_validate")]
    pub seed: Option<u64>,
    /// Also consult the store's precedent sets (by default eval uses none, so figures never depend on your files)
    #[arg(long)]
    pub use_store: bool,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(subcommand)]
    pub action: IndexAction,
}

#[derive(Debug, Subcommand)]
pub enum IndexAction {
    /// Build (or rebuild) the index now
    Build,
    /// Where the index is, what it holds and when it was built
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args, Default)]
pub struct TuiArgs {
    /// Open with this query typed
    #[arg(long, value_name = "TEXT")]
    pub query: Option<String>,
    /// Print the code chosen with Enter on stdout (as `hs pick`); the UI is drawn on the terminal
    #[arg(long)]
    pub print: bool,
}

#[derive(Debug, Args)]
pub struct PickArgs {
    /// Open with this query typed
    #[arg(long, value_name = "TEXT")]
    pub query: Option<String>,
}

#[derive(Debug, Args)]
pub struct QuizArgs {
    /// CSV of goods descriptions with their right codes (default: everyday phrases from the reference data)
    #[arg(long, short, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// CSV column holding the descriptions
    #[arg(long, default_value = "description")]
    pub column: String,
    /// CSV column holding the right code
    #[arg(long, default_value = "gold")]
    pub gold: String,
    /// Number of questions (default: every row of a CSV, 10 built-in phrases)
    #[arg(long, value_name = "N")]
    pub count: Option<usize>,
    /// Ask the rows of a CSV in random order (built-in phrases always are)
    #[arg(long)]
    pub shuffle: bool,
    /// Seed of the random order, to repeat a quiz
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}
