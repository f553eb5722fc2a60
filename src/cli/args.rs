//! Raw arguments: the clap definitions of every subcommand and flag.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "hs",
    version,
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
    /// Resolve many codes from a CSV file or lines (bulk): normalised code, status, description, HS six digits
    ///
    /// Each row gets a status: `found`; `unknown` (well-formed but not in the current edition: `nearest` lists the nearest existing codes); `malformed` (not a code: `error` has the parser's message). More statuses may be added; treat one you do not know as not found.
    Lookup(LookupArgs),
    /// Print a shell completion script to stdout (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout, e.g. `hs man > hs.1`
    Man,
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
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Description of the goods (several words may be given unquoted)
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
    /// Number of suggestions
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// JSON: {"query": ..., "suggestions": [...]}
    #[arg(long)]
    pub json: bool,
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
    /// Suggestions per row
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Print only the best code of each row, one a line
    #[arg(long)]
    pub codes_only: bool,
    /// Search every row, even one whose description repeats an earlier row's (by default repeats reuse its result; the output is the same)
    #[arg(long)]
    pub no_cache: bool,
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
